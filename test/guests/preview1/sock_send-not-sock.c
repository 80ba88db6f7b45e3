// sock_send on something that is not a socket is ENOTSOCK; on an fd that
// is not open, EBADF.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
  __wasi_size_t n;
  expect_errno("sock_send(file)", __wasi_sock_send(fd, &iov, 1, 0, &n), ENOTSOCK);
  expect_errno("sock_send(1000)", __wasi_sock_send(1000, &iov, 1, 0, &n), EBADF);
  return finish();
}
