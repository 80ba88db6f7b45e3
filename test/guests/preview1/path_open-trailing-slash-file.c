// path_open with a trailing slash: the path must name a directory. A file
// (or a symlink to one) with one or more slashes is ENOTDIR; a directory, or
// a symlink to one (followed because of the slash, even without
// SYMLINK_FOLLOW), opens as a directory.
#include "check.h"

static void open_dir(const char *what, __wasi_fd_t dir, const char *path) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, 0, path, 0, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_GET, 0, &fd);
  if (e != 0) {
    expect_errno(what, e, 0);
    return;
  }
  __wasi_fdstat_t st;
  must("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  expect_int(what, st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  must("fd_close", __wasi_fd_close(fd));
}

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  expect_errno("hello.txt/", open_at(dir, 0, "hello.txt/", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  expect_errno("hello.txt///", open_at(dir, 0, "hello.txt///", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  expect_errno("dir/a.txt/", open_at(dir, 0, "dir/a.txt/", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  expect_errno("link-hello/", open_at(dir, 0, "link-hello/", 0, __WASI_RIGHTS_FD_READ, 0, &fd), ENOTDIR);
  open_dir("dir/ filetype", dir, "dir/");
  open_dir("dir/// filetype", dir, "dir///");
  open_dir("link-dir/ filetype", dir, "link-dir/");
  return finish();
}
