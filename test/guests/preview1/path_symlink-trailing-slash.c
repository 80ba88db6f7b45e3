// path_symlink with a trailing slash on the link name: ENOENT when the
// name does not exist, EEXIST when it does (Linux symlinkat(2); wasi-testsuite
// path_symlink_trailing_slashes).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("new/", __wasi_path_symlink("source", dir, "new/"), ENOENT);
  expect_errno("dir/", __wasi_path_symlink("source", dir, "dir/"), EEXIST);
  expect_errno("hello.txt/", __wasi_path_symlink("source", dir, "hello.txt/"), EEXIST);
  expect_errno("new", __wasi_path_filestat_get(dir, 0, "new", &st), ENOENT);
  return finish();
}
