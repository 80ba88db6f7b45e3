// path_remove_directory of "." (the directory itself) or "dir/." is EINVAL
// (Linux rmdir(2)); nothing is removed.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  must("mkdir e", __wasi_path_create_directory(dir, "e"));
  expect_errno("rmdir e/.", __wasi_path_remove_directory(dir, "e/."), EINVAL);
  expect_errno("rmdir .", __wasi_path_remove_directory(dir, "."), EINVAL);
  expect_errno("e still there", __wasi_path_filestat_get(dir, 0, "e", &st), 0);
  return finish();
}
