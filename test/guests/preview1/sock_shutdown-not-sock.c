// sock_shutdown on a file is ENOTSOCK; on an fd that is not open, EBADF
// (wasi-testsuite's sock_shutdown-not_sock / -invalid_fd).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  expect_errno("sock_shutdown(file)", __wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR), ENOTSOCK);
  expect_errno("sock_shutdown(1000)", __wasi_sock_shutdown(1000, __WASI_SDFLAGS_WR), EBADF);
  return finish();
}
