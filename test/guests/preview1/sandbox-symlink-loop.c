// Symlink cycles end with ELOOP, not a hang or a crash: two links pointing
// at each other, a link to itself, a link to its own subdirectory; and a
// long chain of links is cut off at 40 (Linux's and cap-std's limit).
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
  must("symlink b <- a", __wasi_path_symlink("b", dir, "a"));
  must("symlink a <- b", __wasi_path_symlink("a", dir, "b"));
  must("symlink self <- self", __wasi_path_symlink("self", dir, "self"));
  must("symlink sub/x <- sub", __wasi_path_symlink("sub/x", dir, "sub"));
  expect_errno("open a (follow)", try_open("a", F), ELOOP);
  expect_errno("open a/x", try_open("a/x", 0), ELOOP);
  expect_errno("open self (follow)", try_open("self", F), ELOOP);
  expect_errno("open self/x", try_open("self/x", 0), ELOOP);
  expect_errno("stat a (follow)", __wasi_path_filestat_get(dir, F, "a", &st), ELOOP);
  expect_errno("open sub (follow)", try_open("sub", F), ELOOP);
  expect_errno("mkdir a/x", __wasi_path_create_directory(dir, "a/x"), ELOOP);
  // A chain of 41 links l0 -> l1 -> ... -> l40 -> hello.txt.
  char name[16], target[16];
  for (int i = 0; i <= 40; i++) {
    snprintf(name, sizeof name, "l%d", i);
    if (i == 40) snprintf(target, sizeof target, "hello.txt");
    else snprintf(target, sizeof target, "l%d", i + 1);
    must("symlink", __wasi_path_symlink(target, dir, name));
  }
  expect_errno("open l1 (40 links)", try_open("l1", F), 0);
  expect_errno("open l0 (41 links)", try_open("l0", F), ELOOP);
  return finish();
}
