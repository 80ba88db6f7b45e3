// path_create_directory with a trailing slash creates the directory.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("mkdir new/", __wasi_path_create_directory(dir, "new/"), 0);
  must("stat new", __wasi_path_filestat_get(dir, 0, "new", &st));
  expect_int("new filetype", st.filetype, __WASI_FILETYPE_DIRECTORY);
  return finish();
}
