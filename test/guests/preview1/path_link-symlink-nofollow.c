// path_link without SYMLINK_FOLLOW links the symlink itself (even a
// dangling one): the new name is a symlink too.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("link dangling -> d2", __wasi_path_link(dir, 0, "dangling", dir, "d2"), 0);
  must("stat d2", __wasi_path_filestat_get(dir, 0, "d2", &st));
  expect_int("d2 filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  expect_errno("link link-hello -> l2", __wasi_path_link(dir, 0, "link-hello", dir, "l2"), 0);
  must("stat l2", __wasi_path_filestat_get(dir, 0, "l2", &st));
  expect_int("l2 filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  return finish();
}
