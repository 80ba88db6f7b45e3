// path_open of a directory asking for FD_WRITE (which means opening it for
// writing): EISDIR, as open(2) says and as wasmtime and node:wasi answer.
// Without the write rights it opens.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const __wasi_rights_t r = __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN;
  expect_errno("dir, DIRECTORY, FD_WRITE", open_at(dir, 0, "dir", __WASI_OFLAGS_DIRECTORY, r | __WASI_RIGHTS_FD_WRITE, 0, &fd), EISDIR);
  expect_errno("dir, FD_WRITE", open_at(dir, 0, "dir", 0, r | __WASI_RIGHTS_FD_WRITE, 0, &fd), EISDIR);
  expect_errno("dir, DIRECTORY", open_at(dir, 0, "dir", __WASI_OFLAGS_DIRECTORY, r, 0, &fd), 0);
  return finish();
}
