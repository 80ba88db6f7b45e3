// path_remove_directory of a directory named with a trailing slash works.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  must("mkdir e", __wasi_path_create_directory(dir, "e"));
  expect_errno("rmdir e/", __wasi_path_remove_directory(dir, "e/"), 0);
  expect_errno("stat e", __wasi_path_filestat_get(dir, 0, "e", &st), ENOENT);
  return finish();
}
