// environ_sizes_get / environ_get: with no environment configured the guest
// sees none at all (nothing of the host's environment leaks in).
#include "check.h"

int main(void) {
  __wasi_size_t count = 99, size = 99;
  expect_errno("environ_sizes_get", __wasi_environ_sizes_get(&count, &size), 0);
  expect_int("count", count, 0);
  expect_int("size", size, 0);
  char *ptrs[1] = {0};
  char buf[1] = {0};
  expect_errno("environ_get", __wasi_environ_get((uint8_t **)ptrs, (uint8_t *)buf), 0);
  expect_true("getenv(\"PATH\") is NULL", getenv("PATH") == NULL);
  expect_true("getenv(\"HOME\") is NULL", getenv("HOME") == NULL);
  return finish();
}
