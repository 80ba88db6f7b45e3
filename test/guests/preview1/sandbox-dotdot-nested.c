// `..` counted against the depth reached: dir/../../x climbs one level too
// many (ENOTCAPABLE) even though each step is legal on its own; the same
// after descending through a symlink; climbing back exactly to the top is
// fine.
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
  expect_errno("open dir/../../secret.txt", try_open("dir/../../secret.txt", 0), ENOTCAPABLE);
  expect_errno("open dir/sub/../../../secret.txt", try_open("dir/sub/../../../secret.txt", 0), ENOTCAPABLE);
  expect_errno("open dir/sub/../../hello.txt", try_open("dir/sub/../../hello.txt", 0), 0);
  expect_errno("open link-dir/../../secret.txt", try_open("link-dir/../../secret.txt", 0), ENOTCAPABLE);
  expect_errno("open link-dir/../hello.txt", try_open("link-dir/../hello.txt", 0), 0);
  expect_errno("open dir/sub/../../../fs-tests.dir/hello.txt", try_open("dir/sub/../../../fs-tests.dir/hello.txt", 0), ENOTCAPABLE);
  expect_errno("stat dir/../..", __wasi_path_filestat_get(dir, 0, "dir/../..", &st), ENOTCAPABLE);
  return finish();
}
