// Absolute paths are refused (ENOTCAPABLE): they name nothing relative to
// the preopen, even "/" or a path that would exist inside it.
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
  expect_errno("open /etc/passwd", try_open("/etc/passwd", F), ENOTCAPABLE);
  expect_errno("open /", try_open("/", 0), ENOTCAPABLE);
  expect_errno("open /hello.txt", try_open("/hello.txt", 0), ENOTCAPABLE);
  expect_errno("open //hello.txt", try_open("//hello.txt", 0), ENOTCAPABLE);
  expect_errno("stat /etc", __wasi_path_filestat_get(dir, F, "/etc", &st), ENOTCAPABLE);
  expect_errno("mkdir /tmp/x", __wasi_path_create_directory(dir, "/tmp/x"), ENOTCAPABLE);
  expect_errno("rename hello.txt -> /tmp/stolen", __wasi_path_rename(dir, "hello.txt", dir, "/tmp/stolen"), ENOTCAPABLE);
  expect_errno("link /etc/passwd -> p", __wasi_path_link(dir, 0, "/etc/passwd", dir, "p"), ENOTCAPABLE);
  return finish();
}
