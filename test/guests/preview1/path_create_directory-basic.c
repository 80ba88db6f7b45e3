// path_create_directory makes a directory, nested ones one at a time.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("mkdir new", __wasi_path_create_directory(dir, "new"), 0);
  must("stat new", __wasi_path_filestat_get(dir, 0, "new", &st));
  expect_int("new filetype", st.filetype, __WASI_FILETYPE_DIRECTORY);
  expect_errno("mkdir new/inner", __wasi_path_create_directory(dir, "new/inner"), 0);
  expect_errno("mkdir link-dir/through-link", __wasi_path_create_directory(dir, "link-dir/through-link"), 0);
  expect_errno("dir/through-link", __wasi_path_filestat_get(dir, 0, "dir/through-link", &st), 0);
  return finish();
}
