// fd_read from stdin (fd 0): scatters into several iovecs, reads everything
// given, then 0 bytes at the end.
#include "check.h"

int main(void) {
  char a[5], b[100];
  __wasi_iovec_t iov[2] = {{(uint8_t *)a, sizeof a}, {(uint8_t *)b, sizeof b}};
  size_t total = 0;
  char all[200];
  for (;;) {
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_fd_read(0, iov, 2, &n);
    if (e != 0) {
      expect_errno("fd_read", e, 0);
      break;
    }
    if (n == 0) break;
    size_t first = n < sizeof a ? n : sizeof a;
    memcpy(all + total, a, first);
    memcpy(all + total + first, b, n - first);
    total += n;
  }
  expect_int("bytes read", total, 20);
  expect_bytes("data", all, total, "line one\nline two\n\xc3\xa9");
  __wasi_size_t n = 99;
  expect_errno("fd_read at end", __wasi_fd_read(0, iov, 2, &n), 0);
  expect_int("nread at end", n, 0);
  return finish();
}
