// fd_seek / fd_tell on a regular file: SET, CUR and END move the position
// that fd_read uses; a negative result or an unknown whence is EINVAL;
// seeking past the end is allowed and reads return 0 bytes there.
#include "check.h"

static void seek(const char *what, __wasi_fd_t fd, __wasi_filedelta_t off, __wasi_whence_t whence, long long want) {
  __wasi_filesize_t pos = 0;
  __wasi_errno_t e = __wasi_fd_seek(fd, off, whence, &pos);
  if (e != 0) expect_errno(what, e, 0);
  else expect_int(what, (long long)pos, want);
}

static void read_n(const char *what, __wasi_fd_t fd, size_t n, const char *want) {
  char buf[32];
  __wasi_iovec_t iov = {(uint8_t *)buf, n};
  __wasi_size_t got = 0;
  must("fd_read", __wasi_fd_read(fd, &iov, 1, &got));
  expect_bytes(what, buf, got, want);
}

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt",
       open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL, 0, &fd));
  __wasi_filesize_t pos = 99;
  expect_errno("fd_tell", __wasi_fd_tell(fd, &pos), 0);
  expect_int("position at open", (long long)pos, 0);
  seek("seek(5, CUR)", fd, 5, __WASI_WHENCE_CUR, 5);
  read_n("read 2", fd, 2, ", ");
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("fd_tell after read", (long long)pos, 7);
  seek("seek(0, END)", fd, 0, __WASI_WHENCE_END, 14);
  seek("seek(-3, END)", fd, -3, __WASI_WHENCE_END, 11);
  read_n("read 3", fd, 3, "d!\n");
  seek("seek(-2, CUR)", fd, -2, __WASI_WHENCE_CUR, 12);
  expect_errno("seek(-1, SET)", __wasi_fd_seek(fd, -1, __WASI_WHENCE_SET, &pos), EINVAL);
  expect_errno("seek(-15, END)", __wasi_fd_seek(fd, -15, __WASI_WHENCE_END, &pos), EINVAL);
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position unchanged by failed seeks", (long long)pos, 12);
  expect_errno("seek(0, whence 3)", __wasi_fd_seek(fd, 0, 3, &pos), EINVAL);
  seek("seek(100, SET)", fd, 100, __WASI_WHENCE_SET, 100);
  read_n("read past the end", fd, 4, "");
  return finish();
}
