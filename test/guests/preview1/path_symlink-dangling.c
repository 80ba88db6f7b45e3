// path_symlink to a target that does not exist: the link is created
// (dangling); stat without follow sees it, with follow ENOENT.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("symlink missing <- d2", __wasi_path_symlink("missing", dir, "d2"), 0);
  must("stat d2", __wasi_path_filestat_get(dir, 0, "d2", &st));
  expect_int("d2 filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  expect_errno("stat d2 (follow)", __wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "d2", &st), ENOENT);
  return finish();
}
