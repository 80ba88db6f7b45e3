// A guest-made dangling symlink whose target lies outside the preopen
// (../made-outside.txt) cannot be used to create a file there: path_open
// with CREAT and SYMLINK_FOLLOW is ENOTCAPABLE and nothing appears outside
// (the test also compares the directory around the preopen before and
// after); the same with CREAT|TRUNC on an existing outside file.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  must("symlink ../made-outside.txt <- out", __wasi_path_symlink("../made-outside.txt", dir, "out"));
  must("symlink ../secret.txt <- sec", __wasi_path_symlink("../secret.txt", dir, "sec"));
  must("symlink dir/../../made-outside.txt <- out2", __wasi_path_symlink("dir/../../made-outside.txt", dir, "out2"));
  expect_errno("CREAT out", open_at(dir, F, "out", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), ENOTCAPABLE);
  expect_errno("CREAT|EXCL out", open_at(dir, F, "out", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RIGHTS_RW, 0, &fd), EEXIST);
  expect_errno("CREAT|TRUNC sec", open_at(dir, F, "sec", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0, &fd), ENOTCAPABLE);
  expect_errno("CREAT out2", open_at(dir, F, "out2", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), ENOTCAPABLE);
  expect_errno("mkdir through out (out/x)", __wasi_path_create_directory(dir, "out/x"), ENOTCAPABLE);
  return finish();
}
