// fd_fdstat_set_flags with a bit outside the defined fdflags: EINVAL, the
// flags stay as they were.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND, &fd));
  expect_errno("fd_fdstat_set_flags(32)", __wasi_fd_fdstat_set_flags(fd, 32), EINVAL);
  __wasi_fdstat_t st;
  must("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  expect_int("fs_flags", st.fs_flags, __WASI_FDFLAGS_APPEND);
  return finish();
}
