// path_link cannot make a name outside the preopen nor link a file from
// outside in (by `..`, an absolute path, or a symlink that climbs out,
// followed or not): ENOTCAPABLE.
#include "check.h"

static __wasi_fd_t dir;
static __wasi_filestat_t st;

/** path_open for reading; returns the errno. */
__attribute__((unused)) static __wasi_errno_t try_open(const char *path, __wasi_lookupflags_t lookup) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, lookup, path, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

int main(void) {
  dir = preopen(FIXTURE);
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  (void)F;
  must("symlink ../.. <- dir/out", __wasi_path_symlink("../..", dir, "dir/out"));
  must("symlink ../secret.txt <- sec", __wasi_path_symlink("../secret.txt", dir, "sec"));
  expect_errno("link hello.txt -> ../hl", __wasi_path_link(dir, 0, "hello.txt", dir, "../hl"), ENOTCAPABLE);
  expect_errno("link ../secret.txt -> in", __wasi_path_link(dir, 0, "../secret.txt", dir, "in"), ENOTCAPABLE);
  expect_errno("link dir/out/secret.txt -> in", __wasi_path_link(dir, 0, "dir/out/secret.txt", dir, "in"), ENOTCAPABLE);
  expect_errno("link hello.txt -> dir/out/hl", __wasi_path_link(dir, 0, "hello.txt", dir, "dir/out/hl"), ENOTCAPABLE);
  expect_errno("link sec -> in (follow)", __wasi_path_link(dir, F, "sec", dir, "in"), ENOTCAPABLE);
  expect_errno("in", __wasi_path_filestat_get(dir, 0, "in", &st), ENOENT);
  return finish();
}
