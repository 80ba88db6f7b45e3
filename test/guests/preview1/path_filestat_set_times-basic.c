// path_filestat_set_times: sets atim and mtim (to the microsecond here),
// or only one of them, leaving the other as it was.
#include "check.h"

#define T1 1400000000111111000ull
#define T2 1500000000222222000ull
#define T3 1600000000333333000ull

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  expect_errno("set atim and mtim", __wasi_path_filestat_set_times(dir, 0, "hello.txt", T1, T2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  must("stat", __wasi_path_filestat_get(dir, 0, "hello.txt", &st));
  expect_int("atim", (long long)st.atim, (long long)T1);
  expect_int("mtim", (long long)st.mtim, (long long)T2);
  expect_errno("set mtim only", __wasi_path_filestat_set_times(dir, 0, "hello.txt", 0, T3, __WASI_FSTFLAGS_MTIM), 0);
  must("stat", __wasi_path_filestat_get(dir, 0, "hello.txt", &st));
  expect_int("atim kept", (long long)st.atim, (long long)T1);
  expect_int("mtim", (long long)st.mtim, (long long)T3);
  expect_errno("set atim only, on a directory", __wasi_path_filestat_set_times(dir, 0, "dir", T2, 0, __WASI_FSTFLAGS_ATIM), 0);
  must("stat", __wasi_path_filestat_get(dir, 0, "dir", &st));
  expect_int("dir atim", (long long)st.atim, (long long)T2);
  expect_errno("missing file", __wasi_path_filestat_set_times(dir, 0, "nope", T1, T1, __WASI_FSTFLAGS_ATIM), ENOENT);
  return finish();
}
