// path_open with CREAT|DIRECTORY is EINVAL (Linux's open(2)); nothing is
// created.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  expect_errno("CREAT|DIRECTORY", open_at(dir, 0, "newdir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &fd), EINVAL);
  __wasi_filestat_t st;
  expect_errno("newdir exists", __wasi_path_filestat_get(dir, 0, "newdir", &st), ENOENT);
  return finish();
}
