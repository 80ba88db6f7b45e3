// path_filestat_get: without SYMLINK_FOLLOW a symlink is described itself
// (SYMBOLIC_LINK, size = length of the target); with it, its target is.
// A dangling symlink is ENOENT when followed.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  must("link-hello nofollow", __wasi_path_filestat_get(dir, 0, "link-hello", &st));
  expect_int("link-hello nofollow: filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  expect_int("link-hello nofollow: size", (long long)st.size, 9);
  must("link-hello follow", __wasi_path_filestat_get(dir, F, "link-hello", &st));
  expect_int("link-hello follow: filetype", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  expect_int("link-hello follow: size", (long long)st.size, 14);
  must("link-dir follow", __wasi_path_filestat_get(dir, F, "link-dir", &st));
  expect_int("link-dir follow: filetype", st.filetype, __WASI_FILETYPE_DIRECTORY);
  must("dangling nofollow", __wasi_path_filestat_get(dir, 0, "dangling", &st));
  expect_int("dangling nofollow: filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  expect_errno("dangling follow", __wasi_path_filestat_get(dir, F, "dangling", &st), ENOENT);
  return finish();
}
