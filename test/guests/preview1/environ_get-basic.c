// environ_get: the configured variables, as NAME=VALUE, values kept verbatim
// (an '=' inside a value, an empty value).
#include "check.h"

int main(void) {
  __wasi_size_t count, size;
  must("environ_sizes_get", __wasi_environ_sizes_get(&count, &size));
  expect_int("count", count, 3);
  // "A=1" "EQ=x=y" "EMPTY=" with their NULs.
  expect_int("size", size, 4 + 7 + 7);
  const char *a = getenv("A"), *eq = getenv("EQ"), *empty = getenv("EMPTY");
  printf("A: \"%s\"\n", a ? a : "(null)");
  printf("EQ: \"%s\"\n", eq ? eq : "(null)");
  printf("EMPTY: \"%s\"\n", empty ? empty : "(null)");
  expect_true("values as given", a && eq && empty && !strcmp(a, "1") && !strcmp(eq, "x=y") && !*empty);
  return finish();
}
