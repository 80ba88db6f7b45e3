// sock_recv on something that is not a socket is ENOTSOCK; on an fd that
// is not open, EBADF.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  char buf[8];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n;
  __wasi_roflags_t flags;
  expect_errno("sock_recv(file)", __wasi_sock_recv(fd, &iov, 1, 0, &n, &flags), ENOTSOCK);
  expect_errno("sock_recv(1000)", __wasi_sock_recv(1000, &iov, 1, 0, &n, &flags), EBADF);
  return finish();
}
