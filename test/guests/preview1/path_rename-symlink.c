// path_rename of a symlink renames the link itself, never its target; a
// missing source is ENOENT.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("rename link-hello -> l2", __wasi_path_rename(dir, "link-hello", dir, "l2"), 0);
  must("stat l2", __wasi_path_filestat_get(dir, 0, "l2", &st));
  expect_int("l2 filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  expect_errno("hello.txt still there", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  expect_errno("rename nope -> x", __wasi_path_rename(dir, "nope", dir, "x"), ENOENT);
  return finish();
}
