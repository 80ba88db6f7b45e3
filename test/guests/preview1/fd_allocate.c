// fd_allocate: iolife answers ENOTSUP for every file, as wasmtime does
// (wasi-testsuite accepts ENOTSUP or a real allocation), and the file keeps
// its size.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("create alloc.txt", open_at(dir, 0, "alloc.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd));
  expect_errno("fd_allocate(0, 100)", __wasi_fd_allocate(fd, 0, 100), ENOTSUP);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, 0);
  return finish();
}
