// A NUL byte inside a path is EINVAL for every path operation, never a path
// silently cut at the NUL: "hello.txt\0..." must not reach hello.txt, and
// "x\0/../../secret.txt" must not reach anything.
#include "check.h"
#include "raw.h"

#define P(s) (int32_t)(s), (int32_t)(sizeof(s) - 1)

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  static const char hello[] = "hello.txt\0/../../secret.txt";
  static const char newdir[] = "newdir\0x";
  static const char sneak[] = "x\0/../../secret.txt";
  int32_t fd = 0;
  __wasi_filestat_t st;
  expect_errno("path_open", raw_path_open(dir, 0, P(hello), 0, __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)&fd), EINVAL);
  expect_errno("path_filestat_get", raw_path_filestat_get(dir, 0, P(hello), (int32_t)&st), EINVAL);
  expect_errno("path_create_directory", raw_path_create_directory(dir, P(newdir)), EINVAL);
  expect_errno("newdir not created", __wasi_path_filestat_get(dir, 0, "newdir", &st), ENOENT);
  expect_errno("path_unlink_file", raw_path_unlink_file(dir, P(hello)), EINVAL);
  expect_errno("hello.txt still there", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  expect_errno("path_remove_directory", raw_path_remove_directory(dir, P(sneak)), EINVAL);
  expect_errno("path_rename (source)", raw_path_rename(dir, P(hello), dir, P("moved")), EINVAL);
  expect_errno("path_rename (target)", raw_path_rename(dir, P("hello.txt"), dir, P(sneak)), EINVAL);
  expect_errno("path_link (target)", raw_path_link(dir, 0, P("hello.txt"), dir, P(sneak)), EINVAL);
  expect_errno("path_symlink (link name)", raw_path_symlink(P("hello.txt"), dir, P(sneak)), EINVAL);
  expect_errno("path_symlink (target)", raw_path_symlink(P(sneak), dir, P("l")), EINVAL);
  expect_errno("l not created", __wasi_path_filestat_get(dir, 0, "l", &st), ENOENT);
  char buf[16];
  __wasi_size_t n;
  expect_errno("path_readlink", raw_path_readlink(dir, P("link-hello\0x"), (int32_t)buf, sizeof buf, (int32_t)&n), EINVAL);
  return finish();
}
