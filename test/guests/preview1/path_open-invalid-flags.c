// path_open with bits outside the defined oflags (CREAT, DIRECTORY, EXCL,
// TRUNC) or fdflags (APPEND, DSYNC, NONBLOCK, RSYNC, SYNC): EINVAL, and
// nothing is created.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  __wasi_filestat_t st;
  expect_errno("oflags bit 4", open_at(dir, 0, "new.txt", __WASI_OFLAGS_CREAT | 16, RIGHTS_RW, 0, &fd), EINVAL);
  expect_errno("fdflags bit 5", open_at(dir, 0, "new.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 32, &fd), EINVAL);
  expect_errno("new.txt not created", __wasi_path_filestat_get(dir, 0, "new.txt", &st), ENOENT);
  return finish();
}
