// path_rename with trailing slashes: fine on directories (either side,
// both sides); a file named with a slash is ENOTDIR.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("dir/ -> d2", __wasi_path_rename(dir, "dir/", dir, "d2"), 0);
  expect_errno("d2 -> d3/", __wasi_path_rename(dir, "d2", dir, "d3/"), 0);
  expect_errno("d3/ -> d4/", __wasi_path_rename(dir, "d3/", dir, "d4/"), 0);
  expect_errno("d4 exists", __wasi_path_filestat_get(dir, 0, "d4/a.txt", &st), 0);
  expect_errno("hello.txt/ -> h2", __wasi_path_rename(dir, "hello.txt/", dir, "h2"), ENOTDIR);
  expect_errno("hello.txt -> h2/", __wasi_path_rename(dir, "hello.txt", dir, "h2/"), ENOTDIR);
  expect_errno("hello.txt still there", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  return finish();
}
