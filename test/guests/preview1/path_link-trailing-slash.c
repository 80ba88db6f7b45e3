// path_link to a new name with a trailing slash: ENOENT (Linux linkat(2);
// wasi-testsuite path_link); a source file named with a slash: ENOTDIR.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("link hello.txt -> hl/", __wasi_path_link(dir, 0, "hello.txt", dir, "hl/"), ENOENT);
  expect_errno("link hello.txt/ -> hl", __wasi_path_link(dir, 0, "hello.txt/", dir, "hl"), ENOTDIR);
  expect_errno("hl", __wasi_path_filestat_get(dir, 0, "hl", &st), ENOENT);
  return finish();
}
