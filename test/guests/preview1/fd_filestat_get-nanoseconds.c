// fd_filestat_get / path_filestat_get report timestamps in nanoseconds with
// their sub-second part: times set to the microsecond read back exactly
// (not rounded to milliseconds or seconds).
#include "check.h"

#define ATIM 1500000000987654000ull
#define MTIM 1600000000123456000ull

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt",
       open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES, 0, &fd));
  expect_errno("fd_filestat_set_times", __wasi_fd_filestat_set_times(fd, ATIM, MTIM, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("fd_filestat_get atim", (long long)st.atim, (long long)ATIM);
  expect_int("fd_filestat_get mtim", (long long)st.mtim, (long long)MTIM);
  must("path_filestat_get", __wasi_path_filestat_get(dir, 0, "hello.txt", &st));
  expect_int("path_filestat_get atim", (long long)st.atim, (long long)ATIM);
  expect_int("path_filestat_get mtim", (long long)st.mtim, (long long)MTIM);
  return finish();
}
