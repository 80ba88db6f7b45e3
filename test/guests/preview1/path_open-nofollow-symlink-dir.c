// path_open without SYMLINK_FOLLOW on a final symlink: ELOOP (Linux's
// O_NOFOLLOW), for a link to a directory or to a file. Symlinks in the
// middle of the path are followed regardless.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const __wasi_rights_t r = __WASI_RIGHTS_FD_READ;
  expect_errno("link-dir, nofollow", open_at(dir, 0, "link-dir", 0, r, 0, &fd), ELOOP);
  expect_errno("link-hello, nofollow", open_at(dir, 0, "link-hello", 0, r, 0, &fd), ELOOP);
  expect_errno("dangling, nofollow", open_at(dir, 0, "dangling", 0, r, 0, &fd), ELOOP);
  __wasi_errno_t e = open_at(dir, 0, "link-dir/a.txt", 0, r, 0, &fd);
  expect_errno("link-dir/a.txt, nofollow (link in the middle)", e, 0);
  if (e == 0) {
    char buf[8];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n = 0;
    must("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
    expect_bytes("contents", buf, n, "a\n");
  }
  expect_errno("link-hello, follow", open_at(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link-hello", 0, r, 0, &fd), 0);
  return finish();
}
