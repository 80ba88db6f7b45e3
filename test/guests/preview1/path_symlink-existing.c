// path_symlink onto an existing name is EEXIST (file, directory, symlink).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("onto hello.txt", __wasi_path_symlink("x", dir, "hello.txt"), EEXIST);
  expect_errno("onto dir", __wasi_path_symlink("x", dir, "dir"), EEXIST);
  expect_errno("onto dangling", __wasi_path_symlink("x", dir, "dangling"), EEXIST);
  return finish();
}
