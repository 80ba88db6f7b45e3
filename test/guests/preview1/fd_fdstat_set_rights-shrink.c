// fd_fdstat_set_rights narrows an fd's rights (fd_fdstat_get reports the
// new set, a call needing a dropped right is ENOTCAPABLE) and can never
// widen them again (ENOTCAPABLE, rights unchanged).
#include "check.h"

#define R (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, R | __WASI_RIGHTS_FD_WRITE, 0, &fd));
  expect_errno("fd_fdstat_set_rights(drop FD_WRITE)", __wasi_fd_fdstat_set_rights(fd, R, 0), 0);
  __wasi_fdstat_t st;
  must("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  expect_true("fs_rights_base is READ|SEEK|TELL", st.fs_rights_base == R);
  expect_errno("fd_write", write_str(fd, "x"), ENOTCAPABLE);
  char buf[8];
  __wasi_iovec_t iov = {(uint8_t *)buf, 5};
  __wasi_size_t n;
  expect_errno("fd_read", __wasi_fd_read(fd, &iov, 1, &n), 0);
  expect_errno("fd_fdstat_set_rights(add FD_WRITE back)", __wasi_fd_fdstat_set_rights(fd, R | __WASI_RIGHTS_FD_WRITE, 0), ENOTCAPABLE);
  must("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  expect_true("fs_rights_base still READ|SEEK|TELL", st.fs_rights_base == R);
  expect_errno("fd_write", write_str(fd, "x"), ENOTCAPABLE);
  return finish();
}
