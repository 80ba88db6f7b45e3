// `..` cannot leave the preopen: "..", "../", "../secret.txt" (a real file
// beside the preopen) are ENOTCAPABLE for every kind of path operation;
// `..` that stays inside is fine.
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
  expect_errno("open ..", try_open("..", 0), ENOTCAPABLE);
  expect_errno("open ../", try_open("../", 0), ENOTCAPABLE);
  expect_errno("open ../secret.txt", try_open("../secret.txt", F), ENOTCAPABLE);
  expect_errno("stat ../secret.txt", __wasi_path_filestat_get(dir, F, "../secret.txt", &st), ENOTCAPABLE);
  expect_errno("mkdir ../x", __wasi_path_create_directory(dir, "../x"), ENOTCAPABLE);
  expect_errno("unlink ../secret.txt", __wasi_path_unlink_file(dir, "../secret.txt"), ENOTCAPABLE);
  expect_errno("symlink at ../x", __wasi_path_symlink("hello.txt", dir, "../x"), ENOTCAPABLE);
  expect_errno("set times of ../secret.txt", __wasi_path_filestat_set_times(dir, 0, "../secret.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), ENOTCAPABLE);
  char buf[16];
  __wasi_size_t n;
  expect_errno("readlink ../x", __wasi_path_readlink(dir, "../x", (uint8_t *)buf, sizeof buf, &n), ENOTCAPABLE);
  expect_errno("rmdir ..", __wasi_path_remove_directory(dir, ".."), ENOTCAPABLE);
  expect_errno("open dir/../hello.txt", try_open("dir/../hello.txt", 0), 0);
  expect_errno("open ./dir/./sub/../../hello.txt", try_open("./dir/./sub/../../hello.txt", 0), 0);
  return finish();
}
