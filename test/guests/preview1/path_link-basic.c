// path_link makes a second name for a file: same inode, nlink 2, the same
// contents; in another directory too.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("link hello.txt -> hl", __wasi_path_link(dir, 0, "hello.txt", dir, "hl"), 0);
  __wasi_filestat_t a;
  must("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &a));
  must("stat hl", __wasi_path_filestat_get(dir, 0, "hl", &st));
  expect_true("same inode", a.ino == st.ino && a.dev == st.dev);
  expect_int("nlink", (long long)st.nlink, 2);
  expect_errno("link hello.txt -> dir/sub/hl", __wasi_path_link(dir, 0, "hello.txt", dir, "dir/sub/hl"), 0);
  char buf[32];
  size_t n;
  must("read", read_file(dir, "dir/sub/hl", buf, sizeof buf, &n));
  expect_bytes("contents", buf, n, "Hello, world!\n");
  return finish();
}
