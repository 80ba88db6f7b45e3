// path_open with CREAT|EXCL: creates a new file; EEXIST for an existing
// file, directory or symlink (even a dangling one, which is not followed);
// CREAT alone opens an existing file without truncating it.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const __wasi_oflags_t CE = __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL;
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  expect_errno("new.txt", open_at(dir, 0, "new.txt", CE, RIGHTS_RW, 0, &fd), 0);
  expect_errno("new.txt again", open_at(dir, 0, "new.txt", CE, RIGHTS_RW, 0, &fd), EEXIST);
  expect_errno("hello.txt", open_at(dir, 0, "hello.txt", CE, RIGHTS_RW, 0, &fd), EEXIST);
  expect_errno("dir", open_at(dir, 0, "dir", CE, RIGHTS_RW, 0, &fd), EEXIST);
  expect_errno("link-hello, follow", open_at(dir, F, "link-hello", CE, RIGHTS_RW, 0, &fd), EEXIST);
  expect_errno("dangling, follow", open_at(dir, F, "dangling", CE, RIGHTS_RW, 0, &fd), EEXIST);
  __wasi_filestat_t st;
  expect_errno("dangling's target not created", __wasi_path_filestat_get(dir, 0, "nowhere", &st), ENOENT);
  expect_errno("CREAT on hello.txt", open_at(dir, 0, "hello.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), 0);
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size kept", (long long)st.size, 14);
  return finish();
}
