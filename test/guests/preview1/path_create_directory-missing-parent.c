// path_create_directory under a missing directory: ENOENT; under a file:
// ENOTDIR. No parents are created.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("mkdir a/b", __wasi_path_create_directory(dir, "a/b"), ENOENT);
  expect_errno("mkdir hello.txt/b", __wasi_path_create_directory(dir, "hello.txt/b"), ENOTDIR);
  expect_errno("a", __wasi_path_filestat_get(dir, 0, "a", &st), ENOENT);
  return finish();
}
