// path_open with a NUL byte inside the path (given with its length, as the
// ABI passes it): EINVAL, never a path silently cut at the NUL (which
// would open hello.txt).
#include "check.h"
#include "raw.h"

static int open_len(__wasi_fd_t dir, const char *path, size_t len) {
  __wasi_fd_t fd = 0;
  return raw_path_open(dir, 0, (int32_t)path, (int32_t)len, 0, __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)&fd);
}

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  static const char a[] = "hello.txt\0";
  static const char b[] = "hello.txt\0/../../secret.txt";
  static const char c[] = "\0hello.txt";
  static const char d[] = "dir\0/a.txt";
  expect_errno("\"hello.txt\\0\"", open_len(dir, a, sizeof a - 1), EINVAL);
  expect_errno("\"hello.txt\\0/../../secret.txt\"", open_len(dir, b, sizeof b - 1), EINVAL);
  expect_errno("\"\\0hello.txt\"", open_len(dir, c, sizeof c - 1), EINVAL);
  expect_errno("\"dir\\0/a.txt\"", open_len(dir, d, sizeof d - 1), EINVAL);
  expect_errno("\"hello.txt\" (length without the NUL)", open_len(dir, a, 9), 0);
  return finish();
}
