// fd_filestat_set_size to a smaller size: the tail is cut off; a position
// past the new end stays where it was (reads there return 0 bytes).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  __wasi_filesize_t pos;
  must("fd_seek", __wasi_fd_seek(fd, 10, __WASI_WHENCE_SET, &pos));
  expect_errno("fd_filestat_set_size(5)", __wasi_fd_filestat_set_size(fd, 5), 0);
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position", (long long)pos, 10);
  char buf[32];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 99;
  must("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
  expect_int("read at 10", n, 0);
  must("fd_pread", __wasi_fd_pread(fd, &iov, 1, 0, &n));
  expect_bytes("contents", buf, n, "Hello");
  expect_errno("fd_filestat_set_size(0)", __wasi_fd_filestat_set_size(fd, 0), 0);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, 0);
  return finish();
}
