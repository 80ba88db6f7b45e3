// fd_readdir from a cookie past the last entry (or the largest cookie)
// returns no entries and succeeds.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  static uint8_t buf[256];
  __wasi_size_t used = 99;
  expect_errno("fd_readdir(cookie 1000)", __wasi_fd_readdir(dir, buf, sizeof buf, 1000, &used), 0);
  expect_int("bufused", used, 0);
  used = 99;
  expect_errno("fd_readdir(cookie 2^64-1)", __wasi_fd_readdir(dir, buf, sizeof buf, 0xffffffffffffffffull, &used), 0);
  expect_int("bufused", used, 0);
  expect_errno("fd_readdir(cookie 0) still lists", __wasi_fd_readdir(dir, buf, sizeof buf, 0, &used), 0);
  expect_true("bufused > 0", used > 0);
  return finish();
}
