// Symlinks in the middle of a path are followed inside the sandbox only: a
// link to a sibling directory or back to the top works; a link whose
// target climbs out (dir/out -> ../..) is ENOTCAPABLE wherever it appears
// in the path.
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
  must("symlink .. <- dir/top", __wasi_path_symlink("..", dir, "dir/top"));
  must("symlink ../.. <- dir/out", __wasi_path_symlink("../..", dir, "dir/out"));
  must("symlink sub <- dir/s", __wasi_path_symlink("sub", dir, "dir/s"));
  expect_errno("open dir/top/hello.txt", try_open("dir/top/hello.txt", 0), 0);
  expect_errno("open dir/s/b.txt", try_open("dir/s/b.txt", 0), 0);
  expect_errno("open link-dir/s/b.txt", try_open("link-dir/s/b.txt", 0), 0);
  expect_errno("open dir/top/dir/top/hello.txt", try_open("dir/top/dir/top/hello.txt", 0), 0);
  expect_errno("open dir/out/secret.txt", try_open("dir/out/secret.txt", 0), ENOTCAPABLE);
  expect_errno("open dir/out/fs-tests.dir/hello.txt", try_open("dir/out/fs-tests.dir/hello.txt", 0), ENOTCAPABLE);
  expect_errno("open link-dir/out/secret.txt", try_open("link-dir/out/secret.txt", 0), ENOTCAPABLE);
  expect_errno("open dir/top/../secret.txt", try_open("dir/top/../secret.txt", 0), ENOTCAPABLE);
  expect_errno("stat dir/out/secret.txt", __wasi_path_filestat_get(dir, 0, "dir/out/secret.txt", &st), ENOTCAPABLE);
  return finish();
}
