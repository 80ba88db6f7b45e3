// path_rename between a file and a directory: a file onto a directory is
// EISDIR, a directory onto a file ENOTDIR (Linux); nothing moves.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("rename hello.txt -> dir", __wasi_path_rename(dir, "hello.txt", dir, "dir"), EISDIR);
  expect_errno("rename dir -> hello.txt", __wasi_path_rename(dir, "dir", dir, "hello.txt"), ENOTDIR);
  expect_errno("hello.txt still there", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  expect_errno("dir still there", __wasi_path_filestat_get(dir, 0, "dir/a.txt", &st), 0);
  return finish();
}
