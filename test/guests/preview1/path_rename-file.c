// path_rename of a file to a new name: the old name is gone, the new one
// has the contents (same inode).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  __wasi_filestat_t before;
  must("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &before));
  expect_errno("rename hello.txt -> renamed.txt", __wasi_path_rename(dir, "hello.txt", dir, "renamed.txt"), 0);
  expect_errno("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), ENOENT);
  must("stat renamed.txt", __wasi_path_filestat_get(dir, 0, "renamed.txt", &st));
  expect_true("same inode", st.ino == before.ino);
  expect_errno("rename into a subdirectory", __wasi_path_rename(dir, "renamed.txt", dir, "dir/sub/moved.txt"), 0);
  char buf[32];
  size_t n;
  must("read", read_file(dir, "dir/sub/moved.txt", buf, sizeof buf, &n));
  expect_bytes("contents", buf, n, "Hello, world!\n");
  return finish();
}
