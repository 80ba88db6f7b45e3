// path_unlink_file on a directory is EISDIR (Linux), with or without a
// trailing slash; the directory stays.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("unlink dir", __wasi_path_unlink_file(dir, "dir"), EISDIR);
  expect_errno("unlink dir/", __wasi_path_unlink_file(dir, "dir/"), EISDIR);
  expect_errno("dir still there", __wasi_path_filestat_get(dir, 0, "dir", &st), 0);
  return finish();
}
