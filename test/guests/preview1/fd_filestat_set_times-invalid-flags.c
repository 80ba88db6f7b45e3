// fd_filestat_set_times: a time both given and "now" is EINVAL, and so is an
// unknown flag bit; nothing changes then.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt",
       open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES, 0, &fd));
  __wasi_filestat_t before, after;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &before));
  expect_errno("ATIM|ATIM_NOW", __wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), EINVAL);
  expect_errno("MTIM|MTIM_NOW", __wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), EINVAL);
  expect_errno("unknown bit 16", __wasi_fd_filestat_set_times(fd, 1, 1, 16 | __WASI_FSTFLAGS_MTIM), EINVAL);
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &after));
  expect_true("times unchanged", before.atim == after.atim && before.mtim == after.mtim);
  return finish();
}
