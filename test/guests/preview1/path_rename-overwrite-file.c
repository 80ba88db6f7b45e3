// path_rename onto an existing file replaces it atomically.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("rename hello.txt -> dir/a.txt", __wasi_path_rename(dir, "hello.txt", dir, "dir/a.txt"), 0);
  char buf[32];
  size_t n;
  must("read", read_file(dir, "dir/a.txt", buf, sizeof buf, &n));
  expect_bytes("dir/a.txt", buf, n, "Hello, world!\n");
  expect_errno("stat hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), ENOENT);
  return finish();
}
