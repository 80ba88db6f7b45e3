// fd_filestat_set_times keeps every nanosecond: a time set to
// ...123456789 ns reads back as ...123456789 ns (Linux's utimensat(2) and
// ext4/tmpfs store nanoseconds).
#include "check.h"

#define ATIM 1500000000987654321ull
#define MTIM 1600000000123456789ull

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt",
       open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES, 0, &fd));
  expect_errno("fd_filestat_set_times", __wasi_fd_filestat_set_times(fd, ATIM, MTIM, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("atim", (long long)st.atim, (long long)ATIM);
  expect_int("mtim", (long long)st.mtim, (long long)MTIM);
  return finish();
}
