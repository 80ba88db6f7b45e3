// sock_accept on something that is not a socket is ENOTSOCK; on an fd that
// is not open, EBADF.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  __wasi_fd_t out;
  expect_errno("sock_accept(file)", __wasi_sock_accept(fd, 0, &out), ENOTSOCK);
  expect_errno("sock_accept(preopen)", __wasi_sock_accept(dir, 0, &out), ENOTSOCK);
  expect_errno("sock_accept(1000)", __wasi_sock_accept(1000, 0, &out), EBADF);
  return finish();
}
