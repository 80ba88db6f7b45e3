// path_symlink creates a link holding the target text verbatim; following
// it reaches the target.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("symlink dir/a.txt <- sl", __wasi_path_symlink("dir/a.txt", dir, "sl"), 0);
  char buf[32];
  __wasi_size_t n;
  must("readlink", __wasi_path_readlink(dir, "sl", (uint8_t *)buf, sizeof buf, &n));
  expect_bytes("target", buf, n, "dir/a.txt");
  size_t len;
  __wasi_fd_t fd;
  must("open sl (follow)", open_at(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sl", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  must("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
  len = n;
  expect_bytes("contents through it", buf, len, "a\n");
  expect_errno("symlink ../hello.txt <- dir/up", __wasi_path_symlink("../hello.txt", dir, "dir/up"), 0);
  must("stat dir/up (follow)", __wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dir/up", &st));
  expect_int("dir/up size", (long long)st.size, 14);
  return finish();
}
