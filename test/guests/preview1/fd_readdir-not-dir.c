// fd_readdir on a regular file: ENOTDIR (wasmtime's answer; a file cannot
// carry FD_READDIR, and the kind is checked first).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, &fd));
  uint8_t buf[128];
  __wasi_size_t used;
  expect_errno("fd_readdir(file)", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used), ENOTDIR);
  return finish();
}
