// path_open with OFLAGS_TRUNC empties an existing file.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  expect_errno("open hello.txt TRUNC", open_at(dir, 0, "hello.txt", __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0, &fd), 0);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, 0);
  return finish();
}
