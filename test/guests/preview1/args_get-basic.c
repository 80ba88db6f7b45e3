// args_get / args_sizes_get: the guest sees exactly the arguments it was
// given (argv[0] is the program's name), UTF-8 and spaces intact.
#include "check.h"

int main(void) {
  __wasi_size_t argc, size;
  must("args_sizes_get", __wasi_args_sizes_get(&argc, &size));
  expect_int("argc", argc, 4);
  // Every argument with its NUL: "args_get-basic.wasm" "one" "two words" "ünï".
  expect_int("argv_buf_size", size, 20 + 4 + 10 + 6);
  char *ptrs[8];
  char buf[64];
  must("args_get", __wasi_args_get((uint8_t **)ptrs, (uint8_t *)buf));
  for (__wasi_size_t i = 0; i < argc && i < 8; i++) printf("argv[%u]: \"%s\"\n", (unsigned)i, ptrs[i]);
  expect_true("argv[3] is UTF-8 \"ünï\"", strcmp(ptrs[3], "\xc3\xbcn\xc3\xaf") == 0);
  return finish();
}
