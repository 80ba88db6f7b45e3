// path_readlink: the target's bytes, no NUL added, the rest of the buffer
// untouched; into a buffer shorter than the target, the first buf_len bytes
// (truncated, as readlink(2) and wasmtime do; wasi-testsuite's readlink).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  char buf[20];
  memset(buf, '#', sizeof buf);
  __wasi_size_t n = 0;
  expect_errno("readlink link-hello (20-byte buffer)", __wasi_path_readlink(dir, "link-hello", (uint8_t *)buf, 20, &n), 0);
  expect_int("bufused", n, 9);
  expect_bytes("buffer", buf, 12, "hello.txt###");
  memset(buf, '#', sizeof buf);
  n = 0;
  expect_errno("readlink link-hello (4-byte buffer)", __wasi_path_readlink(dir, "link-hello", (uint8_t *)buf, 4, &n), 0);
  expect_int("bufused", n, 4);
  expect_bytes("buffer", buf, 6, "hell##");
  n = 0;
  expect_errno("readlink link-hello (9-byte buffer)", __wasi_path_readlink(dir, "link-hello", (uint8_t *)buf, 9, &n), 0);
  expect_int("bufused", n, 9);
  return finish();
}
