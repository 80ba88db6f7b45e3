// path_rename cannot move anything out of the preopen nor in from outside
// (either path escaping is ENOTCAPABLE, by `..` or through a symlink);
// nothing moves.
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
  expect_errno("rename hello.txt -> ../stolen.txt", __wasi_path_rename(dir, "hello.txt", dir, "../stolen.txt"), ENOTCAPABLE);
  expect_errno("rename ../secret.txt -> in.txt", __wasi_path_rename(dir, "../secret.txt", dir, "in.txt"), ENOTCAPABLE);
  expect_errno("rename hello.txt -> dir/out/stolen.txt", __wasi_path_rename(dir, "hello.txt", dir, "dir/out/stolen.txt"), ENOTCAPABLE);
  expect_errno("rename dir/out/secret.txt -> in.txt", __wasi_path_rename(dir, "dir/out/secret.txt", dir, "in.txt"), ENOTCAPABLE);
  expect_errno("rename dir -> dir/top/../../dir", __wasi_path_rename(dir, "dir", dir, "dir/top/../../dir"), ENOTCAPABLE);
  expect_errno("rename hello.txt -> dir/top/h2 (inside)", __wasi_path_rename(dir, "hello.txt", dir, "dir/top/h2"), 0);
  expect_errno("h2 is at the top", __wasi_path_filestat_get(dir, 0, "h2", &st), 0);
  expect_errno("in.txt", __wasi_path_filestat_get(dir, 0, "in.txt", &st), ENOENT);
  return finish();
}
