// Result pointers outside linear memory: EFAULT from every call that writes
// a result (stat structures, positions, clocks, sizes, random bytes, the
// preopen's name), and the state does not change (a seek does not move).
#include "check.h"
#include "raw.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  static uint32_t word;
  expect_errno("fd_filestat_get", raw_fd_filestat_get(fd, WILD), EFAULT);
  expect_errno("fd_fdstat_get", raw_fd_fdstat_get(fd, WILD), EFAULT);
  expect_errno("fd_seek", raw_fd_seek(fd, 5, __WASI_WHENCE_SET, WILD), EFAULT);
  __wasi_filesize_t pos;
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after the failed seek", (long long)pos, 0);
  expect_errno("clock_time_get", raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, WILD), EFAULT);
  expect_errno("random_get", raw_random_get(WILD, 16), EFAULT);
  expect_errno("random_get(length past the end)", raw_random_get((int32_t)&word, MEM_END), EFAULT);
  expect_errno("args_sizes_get", raw_args_sizes_get(WILD, (int32_t)&word), EFAULT);
  expect_errno("environ_sizes_get", raw_environ_sizes_get((int32_t)&word, WILD), EFAULT);
  expect_errno("args_get", raw_args_get(WILD, WILD), EFAULT);
  expect_errno("fd_prestat_dir_name", raw_fd_prestat_dir_name(dir, WILD, 12), EFAULT);
  return finish();
}
