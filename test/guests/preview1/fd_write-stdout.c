// fd_write to stdout (fd 1): gathers every iovec in order, skips empty ones,
// reports the total count.
#include "check.h"

int main(void) {
  const char *a = "gathered ", *b = "from three ", *c = "iovecs\n";
  __wasi_ciovec_t iov[4] = {
      {(const uint8_t *)a, strlen(a)}, {(const uint8_t *)"", 0}, {(const uint8_t *)b, strlen(b)}, {(const uint8_t *)c, strlen(c)}};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_write(1, iov, 4, &n);
  expect_errno("fd_write(1, 4 iovecs)", e, 0);
  expect_int("nwritten", n, strlen(a) + strlen(b) + strlen(c));
  expect_errno("fd_write(1, 0 iovecs)", __wasi_fd_write(1, iov, 0, &n), 0);
  expect_int("nwritten", n, 0);
  return finish();
}
