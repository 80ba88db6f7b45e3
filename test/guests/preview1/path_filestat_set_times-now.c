// path_filestat_set_times with MTIM_NOW / ATIM_NOW: the time becomes the
// current realtime clock (within 100 ms: file systems keep a coarse clock).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_timestamp_t t0, t1;
  const __wasi_timestamp_t slack = 100 * 1000000ull;
  must("set an old time", __wasi_path_filestat_set_times(dir, 0, "hello.txt", 1000000000, 1000000000, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t0));
  expect_errno("ATIM_NOW|MTIM_NOW", __wasi_path_filestat_set_times(dir, 0, "hello.txt", 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW), 0);
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t1));
  __wasi_filestat_t st;
  must("stat", __wasi_path_filestat_get(dir, 0, "hello.txt", &st));
  expect_true("atim is now", st.atim + slack >= t0 && st.atim <= t1 + slack);
  expect_true("mtim is now", st.mtim + slack >= t0 && st.mtim <= t1 + slack);
  return finish();
}
