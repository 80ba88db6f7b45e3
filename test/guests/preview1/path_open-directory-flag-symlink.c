// path_open with OFLAGS_DIRECTORY on a symlink: without SYMLINK_FOLLOW the
// link itself is not a directory (ENOTDIR, as Linux's
// O_DIRECTORY|O_NOFOLLOW); with it, a link to a directory opens the
// directory and a link to a file is ENOTDIR. A plain file is ENOTDIR.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const __wasi_rights_t r = __WASI_RIGHTS_FD_READDIR;
  const __wasi_oflags_t D = __WASI_OFLAGS_DIRECTORY;
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  expect_errno("link-dir, DIRECTORY, nofollow", open_at(dir, 0, "link-dir", D, r, 0, &fd), ENOTDIR);
  __wasi_errno_t e = open_at(dir, F, "link-dir", D, r, 0, &fd);
  expect_errno("link-dir, DIRECTORY, follow", e, 0);
  if (e == 0) {
    __wasi_fdstat_t st;
    must("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
    expect_int("filetype", st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  }
  expect_errno("link-hello, DIRECTORY, nofollow", open_at(dir, 0, "link-hello", D, r, 0, &fd), ENOTDIR);
  expect_errno("link-hello, DIRECTORY, follow", open_at(dir, F, "link-hello", D, r, 0, &fd), ENOTDIR);
  expect_errno("hello.txt, DIRECTORY", open_at(dir, F, "hello.txt", D, r, 0, &fd), ENOTDIR);
  expect_errno("dangling, DIRECTORY, follow", open_at(dir, F, "dangling", D, r, 0, &fd), ENOENT);
  return finish();
}
