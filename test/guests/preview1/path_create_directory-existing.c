// path_create_directory onto an existing name is EEXIST (directory, file,
// symlink, dangling symlink).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  __wasi_filestat_t st;
  (void)st;
  expect_errno("mkdir dir", __wasi_path_create_directory(dir, "dir"), EEXIST);
  expect_errno("mkdir hello.txt", __wasi_path_create_directory(dir, "hello.txt"), EEXIST);
  expect_errno("mkdir link-dir", __wasi_path_create_directory(dir, "link-dir"), EEXIST);
  expect_errno("mkdir dangling", __wasi_path_create_directory(dir, "dangling"), EEXIST);
  expect_errno("nowhere not created", __wasi_path_filestat_get(dir, 0, "nowhere", &st), ENOENT);
  return finish();
}
