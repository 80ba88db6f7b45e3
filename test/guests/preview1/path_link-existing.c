// path_link onto an existing name is EEXIST: a file, the source itself, a
// directory, a dangling symlink.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("onto dir/a.txt", __wasi_path_link(dir, 0, "hello.txt", dir, "dir/a.txt"), EEXIST);
  expect_errno("onto itself", __wasi_path_link(dir, 0, "hello.txt", dir, "hello.txt"), EEXIST);
  expect_errno("onto dir", __wasi_path_link(dir, 0, "hello.txt", dir, "dir"), EEXIST);
  expect_errno("onto dangling", __wasi_path_link(dir, 0, "hello.txt", dir, "dangling"), EEXIST);
  return finish();
}
