// path_remove_directory of a file or of a symlink (even one to a
// directory) is ENOTDIR, with or without a trailing slash.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("rmdir hello.txt", __wasi_path_remove_directory(dir, "hello.txt"), ENOTDIR);
  expect_errno("rmdir hello.txt/", __wasi_path_remove_directory(dir, "hello.txt/"), ENOTDIR);
  must("mkdir e", __wasi_path_create_directory(dir, "e"));
  must("symlink e <- le", __wasi_path_symlink("e", dir, "le"));
  expect_errno("rmdir le", __wasi_path_remove_directory(dir, "le"), ENOTDIR);
  expect_errno("e still there", __wasi_path_filestat_get(dir, 0, "e", &st), 0);
  return finish();
}
