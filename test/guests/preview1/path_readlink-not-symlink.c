// path_readlink of something that is not a symlink: EINVAL (file,
// directory); ENOENT when missing. A symlink in the middle is followed.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  char buf[32];
  __wasi_size_t n;
  expect_errno("readlink hello.txt", __wasi_path_readlink(dir, "hello.txt", (uint8_t *)buf, sizeof buf, &n), EINVAL);
  expect_errno("readlink dir", __wasi_path_readlink(dir, "dir", (uint8_t *)buf, sizeof buf, &n), EINVAL);
  expect_errno("readlink nope", __wasi_path_readlink(dir, "nope", (uint8_t *)buf, sizeof buf, &n), ENOENT);
  must("symlink dir/l -> a.txt", __wasi_path_symlink("a.txt", dir, "dir/l"));
  expect_errno("readlink link-dir/l", __wasi_path_readlink(dir, "link-dir/l", (uint8_t *)buf, sizeof buf, &n), 0);
  expect_bytes("target", buf, n, "a.txt");
  return finish();
}
