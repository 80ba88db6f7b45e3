// random_get: fills the buffer (not all zeros, two draws differ), accepts a
// zero length, and a buffer larger than one getrandom() call.
#include "check.h"

static uint8_t big[200000];

int main(void) {
  uint8_t a[64] = {0}, b[64] = {0};
  expect_errno("random_get(64)", __wasi_random_get(a, sizeof a), 0);
  expect_errno("random_get(64) again", __wasi_random_get(b, sizeof b), 0);
  int zeros = 1;
  for (size_t i = 0; i < sizeof a; i++) if (a[i]) zeros = 0;
  expect_true("not all zero", !zeros);
  expect_true("two draws differ", memcmp(a, b, sizeof a) != 0);
  expect_errno("random_get(0)", __wasi_random_get(a, 0), 0);
  expect_errno("random_get(200000)", __wasi_random_get(big, sizeof big), 0);
  // Each 64 KiB chunk is filled, the last bytes too.
  int filled = 1;
  for (size_t at = 0; at < sizeof big; at += 65536 / 2) {
    int nz = 0;
    for (size_t i = at; i < at + 64 && i < sizeof big; i++) if (big[i]) nz = 1;
    if (!nz) filled = 0;
  }
  int tail = 0;
  for (size_t i = sizeof big - 64; i < sizeof big; i++) if (big[i]) tail = 1;
  expect_true("every chunk filled", filled && tail);
  return finish();
}
