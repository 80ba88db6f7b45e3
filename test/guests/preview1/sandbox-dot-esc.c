// Guest-made links `dot -> .` and `esc -> dot/..`: `esc` lexically looks
// like it stays inside, but resolves to the preopen's parent, so every path
// through it is ENOTCAPABLE (open, stat, create, rename, link, symlink
// target use), while `dot/...` stays usable.
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
  must("symlink . <- dot", __wasi_path_symlink(".", dir, "dot"));
  must("symlink dot/.. <- esc", __wasi_path_symlink("dot/..", dir, "esc"));
  expect_errno("open dot/hello.txt", try_open("dot/hello.txt", 0), 0);
  expect_errno("open dot/dot/dot/hello.txt", try_open("dot/dot/dot/hello.txt", 0), 0);
  expect_errno("open esc/secret.txt", try_open("esc/secret.txt", 0), ENOTCAPABLE);
  expect_errno("open esc/fs-tests.dir/hello.txt", try_open("esc/fs-tests.dir/hello.txt", 0), ENOTCAPABLE);
  expect_errno("open esc (follow)", try_open("esc", F), ENOTCAPABLE);
  expect_errno("open esc/", try_open("esc/", 0), ENOTCAPABLE);
  expect_errno("stat esc/secret.txt", __wasi_path_filestat_get(dir, 0, "esc/secret.txt", &st), ENOTCAPABLE);
  expect_errno("create esc/new.txt", create_file(dir, "esc/new.txt", "x"), ENOTCAPABLE);
  expect_errno("mkdir esc/newdir", __wasi_path_create_directory(dir, "esc/newdir"), ENOTCAPABLE);
  expect_errno("rename hello.txt -> esc/stolen", __wasi_path_rename(dir, "hello.txt", dir, "esc/stolen"), ENOTCAPABLE);
  expect_errno("link esc/secret.txt -> s", __wasi_path_link(dir, 0, "esc/secret.txt", dir, "s"), ENOTCAPABLE);
  expect_errno("unlink esc/secret.txt", __wasi_path_unlink_file(dir, "esc/secret.txt"), ENOTCAPABLE);
  must("symlink esc/secret.txt <- s2", __wasi_path_symlink("esc/secret.txt", dir, "s2"));
  expect_errno("open s2 (follow)", try_open("s2", F), ENOTCAPABLE);
  return finish();
}
