// path_filestat_set_times: a time both given and "now" is EINVAL.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  expect_errno("ATIM|ATIM_NOW", __wasi_path_filestat_set_times(dir, 0, "hello.txt", 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), EINVAL);
  expect_errno("MTIM|MTIM_NOW", __wasi_path_filestat_set_times(dir, 0, "hello.txt", 1, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), EINVAL);
  return finish();
}
