// path_filestat_set_times without SYMLINK_FOLLOW sets the times of the
// symlink itself, leaving its target alone; with it, the target's.
#include "check.h"

#define T1 1300000000000001000ull
#define T2 1400000000000002000ull

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t before, st;
  must("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &before));
  expect_errno("set link-hello, nofollow", __wasi_path_filestat_set_times(dir, 0, "link-hello", T1, T1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  must("stat link-hello", __wasi_path_filestat_get(dir, 0, "link-hello", &st));
  expect_int("link mtim", (long long)st.mtim, (long long)T1);
  must("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &st));
  expect_true("target mtim unchanged", st.mtim == before.mtim);
  expect_errno("set link-hello, follow", __wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link-hello", T2, T2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  must("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &st));
  expect_int("target mtim", (long long)st.mtim, (long long)T2);
  must("stat link-hello", __wasi_path_filestat_get(dir, 0, "link-hello", &st));
  expect_int("link mtim kept", (long long)st.mtim, (long long)T1);
  return finish();
}
