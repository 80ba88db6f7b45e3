// Path operations relative to an fd that is not a directory: ENOTDIR
// (wasi-testsuite's path_open_dirfd_not_dir).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), file, fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &file));
  expect_errno("path_open(file fd, \"x\")", open_at(file, 0, "x", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  expect_errno("path_open(file fd, \".\")", open_at(file, 0, ".", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  expect_errno("path_create_directory(file fd)", __wasi_path_create_directory(file, "d"), ENOTDIR);
  __wasi_filestat_t st;
  expect_errno("path_filestat_get(file fd)", __wasi_path_filestat_get(file, 0, "x", &st), ENOTDIR);
  expect_errno("path_open(stdout)", open_at(1, 0, "x", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  return finish();
}
