// A preopen can be closed like any fd; afterwards it is EBADF for path
// operations and for fd_prestat_get.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  expect_errno("fd_close(preopen)", __wasi_fd_close(dir), 0);
  expect_errno("path_open through it", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd), EBADF);
  __wasi_prestat_t ps;
  expect_errno("fd_prestat_get", __wasi_fd_prestat_get(dir, &ps), EBADF);
  return finish();
}
