// fd_close twice: the second is EBADF; so are fds never opened.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  expect_errno("fd_close", __wasi_fd_close(fd), 0);
  expect_errno("fd_close again", __wasi_fd_close(fd), EBADF);
  expect_errno("fd_close(1000)", __wasi_fd_close(1000), EBADF);
  expect_errno("fd_close(0x7fffffff)", __wasi_fd_close(0x7fffffff), EBADF);
  expect_errno("fd_close(0xffffffff)", __wasi_fd_close(0xffffffffu), EBADF);
  return finish();
}
