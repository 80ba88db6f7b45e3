// A guest cannot reach /etc through symlinks it makes: an absolute target
// is refused at creation (ENOTCAPABLE: it could never be followed), and a
// relative one climbing out is created but never followed out (ENOTCAPABLE
// on every use through it, for open, stat, mkdir).
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
  expect_errno("symlink /etc <- etc", __wasi_path_symlink("/etc", dir, "etc"), ENOTCAPABLE);
  expect_errno("open etc/passwd", try_open("etc/passwd", F), ENOENT);
  expect_errno("symlink ../../../../../../../../etc <- up", __wasi_path_symlink("../../../../../../../../etc", dir, "up"), 0);
  expect_errno("open up/passwd", try_open("up/passwd", 0), ENOTCAPABLE);
  expect_errno("open up (follow)", try_open("up", F), ENOTCAPABLE);
  expect_errno("stat up/passwd", __wasi_path_filestat_get(dir, F, "up/passwd", &st), ENOTCAPABLE);
  expect_errno("stat up (follow)", __wasi_path_filestat_get(dir, F, "up", &st), ENOTCAPABLE);
  expect_errno("stat up (nofollow)", __wasi_path_filestat_get(dir, 0, "up", &st), 0);
  expect_errno("mkdir up/x", __wasi_path_create_directory(dir, "up/x"), ENOTCAPABLE);
  char buf[64];
  __wasi_size_t n;
  must("readlink up", __wasi_path_readlink(dir, "up", (uint8_t *)buf, sizeof buf, &n));
  expect_bytes("readlink up", buf, n, "../../../../../../../../etc");
  return finish();
}
