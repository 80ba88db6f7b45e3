// path_unlink_file of a symlink removes the link, never its target (also
// for a link to a directory).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("unlink link-hello", __wasi_path_unlink_file(dir, "link-hello"), 0);
  expect_errno("link-hello", __wasi_path_filestat_get(dir, 0, "link-hello", &st), ENOENT);
  expect_errno("hello.txt", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  expect_errno("unlink link-dir", __wasi_path_unlink_file(dir, "link-dir"), 0);
  expect_errno("dir/a.txt", __wasi_path_filestat_get(dir, 0, "dir/a.txt", &st), 0);
  return finish();
}
