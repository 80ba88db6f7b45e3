// A closed fd whose slot is reused stays dead: under generational numbering
// (iolife's default) the next open gets a different number, and every use
// of the old one is EBADF instead of reaching the new file.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), old, fresh;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, &old));
  expect_errno("fd_close(old)", __wasi_fd_close(old), 0);
  must("open dir/a.txt", open_at(dir, 0, "dir/a.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, &fresh));
  expect_true("the new fd has a different number", fresh != old);
  char buf[32];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  __wasi_filestat_t st;
  __wasi_fdstat_t fst;
  expect_errno("fd_read(old)", __wasi_fd_read(old, &iov, 1, &n), EBADF);
  expect_errno("fd_filestat_get(old)", __wasi_fd_filestat_get(old, &st), EBADF);
  expect_errno("fd_fdstat_get(old)", __wasi_fd_fdstat_get(old, &fst), EBADF);
  expect_errno("fd_close(old)", __wasi_fd_close(old), EBADF);
  expect_errno("fd_read(new)", __wasi_fd_read(fresh, &iov, 1, &n), 0);
  expect_bytes("new reads dir/a.txt", buf, n, "a\n");
  return finish();
}
