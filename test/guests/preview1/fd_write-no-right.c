// fd_write on a file opened with FD_READ only: ENOTCAPABLE, nothing written.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  expect_errno("fd_write", write_str(fd, "x"), ENOTCAPABLE);
  __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
  __wasi_size_t n;
  expect_errno("fd_pwrite", __wasi_fd_pwrite(fd, &iov, 1, 0, &n), ENOTCAPABLE);
  char buf[32];
  size_t len;
  must("read back", read_file(dir, "hello.txt", buf, sizeof buf, &len));
  expect_bytes("contents", buf, len, "Hello, world!\n");
  return finish();
}
