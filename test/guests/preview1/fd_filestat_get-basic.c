// fd_filestat_get: type, size and link count of a file and a directory;
// the same inode as path_filestat_get reports.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, &fd));
  __wasi_filestat_t st, pst;
  expect_errno("fd_filestat_get(file)", __wasi_fd_filestat_get(fd, &st), 0);
  expect_int("filetype", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  expect_int("size", (long long)st.size, 14);
  expect_int("nlink", (long long)st.nlink, 1);
  must("path_filestat_get", __wasi_path_filestat_get(dir, 0, "hello.txt", &pst));
  expect_true("same dev and ino as path_filestat_get", st.dev == pst.dev && st.ino == pst.ino);
  expect_errno("fd_filestat_get(preopen)", __wasi_fd_filestat_get(dir, &st), 0);
  expect_int("preopen filetype", st.filetype, __WASI_FILETYPE_DIRECTORY);
  return finish();
}
