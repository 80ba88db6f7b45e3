// path_link of a directory is EPERM (no hard links to directories).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("link dir -> d2", __wasi_path_link(dir, 0, "dir", dir, "d2"), EPERM);
  expect_errno("d2", __wasi_path_filestat_get(dir, 0, "d2", &st), ENOENT);
  return finish();
}
