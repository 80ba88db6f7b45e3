// path_open of what does not exist: ENOENT (also for an empty path, and for
// a missing directory in the middle); a file used as a directory in the
// middle of a path is ENOTDIR.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const __wasi_rights_t r = __WASI_RIGHTS_FD_READ;
  expect_errno("nope", open_at(dir, 0, "nope", 0, r, 0, &fd), ENOENT);
  expect_errno("nope/x", open_at(dir, 0, "nope/x", 0, r, 0, &fd), ENOENT);
  expect_errno("dir/nope", open_at(dir, 0, "dir/nope", 0, r, 0, &fd), ENOENT);
  expect_errno("\"\"", open_at(dir, 0, "", 0, r, 0, &fd), ENOENT);
  expect_errno("hello.txt/x", open_at(dir, 0, "hello.txt/x", 0, r, 0, &fd), ENOTDIR);
  expect_errno("dangling/x", open_at(dir, 0, "dangling/x", 0, r, 0, &fd), ENOENT);
  return finish();
}
