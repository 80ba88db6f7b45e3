// path_remove_directory of a non-empty directory: ENOTEMPTY, nothing
// removed.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("rmdir dir", __wasi_path_remove_directory(dir, "dir"), ENOTEMPTY);
  expect_errno("dir/sub/b.txt", __wasi_path_filestat_get(dir, 0, "dir/sub/b.txt", &st), 0);
  return finish();
}
