// path_unlink_file removes a file; an open fd on it still reads it.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  __wasi_fd_t fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  expect_errno("unlink hello.txt", __wasi_path_unlink_file(dir, "hello.txt"), 0);
  expect_errno("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), ENOENT);
  char buf[32];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n;
  must("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
  expect_bytes("the open fd still reads", buf, n, "Hello, world!\n");
  expect_errno("unlink hello.txt again", __wasi_path_unlink_file(dir, "hello.txt"), ENOENT);
  return finish();
}
