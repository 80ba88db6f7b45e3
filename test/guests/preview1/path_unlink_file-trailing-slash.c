// path_unlink_file of a file named with a trailing slash: ENOTDIR; the
// file stays.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("unlink hello.txt/", __wasi_path_unlink_file(dir, "hello.txt/"), ENOTDIR);
  expect_errno("hello.txt still there", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  expect_errno("unlink hello.txt", __wasi_path_unlink_file(dir, "hello.txt"), 0);
  return finish();
}
