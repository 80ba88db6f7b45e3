// path_rename of a directory: to a new name, and onto an empty directory
// (which it replaces); onto a non-empty one is ENOTEMPTY; into itself EINVAL.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("rename dir -> d2", __wasi_path_rename(dir, "dir", dir, "d2"), 0);
  expect_errno("stat d2/a.txt", __wasi_path_filestat_get(dir, 0, "d2/a.txt", &st), 0);
  must("mkdir empty", __wasi_path_create_directory(dir, "empty"));
  expect_errno("rename d2 -> empty (empty dir)", __wasi_path_rename(dir, "d2", dir, "empty"), 0);
  expect_errno("stat empty/sub/b.txt", __wasi_path_filestat_get(dir, 0, "empty/sub/b.txt", &st), 0);
  must("mkdir src", __wasi_path_create_directory(dir, "src"));
  expect_errno("rename src -> empty (not empty)", __wasi_path_rename(dir, "src", dir, "empty"), ENOTEMPTY);
  expect_errno("rename empty -> empty/sub/x (into itself)", __wasi_path_rename(dir, "empty", dir, "empty/sub/x"), EINVAL);
  return finish();
}
