// fd_filestat_set_size to a larger size: the file grows with zero bytes and
// the position does not move.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  expect_errno("fd_filestat_set_size(20)", __wasi_fd_filestat_set_size(fd, 20), 0);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, 20);
  __wasi_filesize_t pos = 99;
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position", (long long)pos, 0);
  char buf[32];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n;
  must("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
  expect_int("read", n, 20);
  expect_true("hello then 6 zero bytes", n == 20 && memcmp(buf, "Hello, world!\n\0\0\0\0\0\0", 20) == 0);
  return finish();
}
