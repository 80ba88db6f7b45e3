// Path arguments outside linear memory: EFAULT for a path pointer past the
// end, a length running past the end, an fd out-pointer past the end (and
// then no file is left open or created).
#include "check.h"
#include "raw.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  static const char name[] = "created.txt";
  int32_t end = MEM_END;
  static int32_t fd;
  __wasi_filestat_t st;
  expect_errno("path_open(path outside memory)", raw_path_open(dir, 0, WILD, 4, 0, __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)&fd), EFAULT);
  expect_errno("path_open(path length past the end)", raw_path_open(dir, 0, (int32_t)name, end, 0, __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)&fd), EFAULT);
  expect_errno("path_open(CREAT, fd pointer outside memory)",
               raw_path_open(dir, 0, (int32_t)name, sizeof name - 1, __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, 0, WILD), EFAULT);
  expect_errno("nothing created", __wasi_path_filestat_get(dir, 0, "created.txt", &st), ENOENT);
  expect_errno("path_filestat_get(path outside memory)", raw_path_filestat_get(dir, 0, WILD, 4, (int32_t)&st), EFAULT);
  expect_errno("path_filestat_get(filestat outside memory)", raw_path_filestat_get(dir, 0, (int32_t)"hello.txt", 9, WILD), EFAULT);
  expect_errno("path_create_directory(path outside memory)", raw_path_create_directory(dir, WILD, 4), EFAULT);
  expect_errno("path_symlink(target outside memory)", raw_path_symlink(WILD, 4, dir, (int32_t)"l", 1), EFAULT);
  expect_errno("path_rename(new path outside memory)", raw_path_rename(dir, (int32_t)"hello.txt", 9, dir, WILD, 4), EFAULT);
  expect_errno("hello.txt still there", __wasi_path_filestat_get(dir, 0, "hello.txt", &st), 0);
  char buf[16];
  static __wasi_size_t n;
  expect_errno("path_readlink(buffer outside memory)", raw_path_readlink(dir, (int32_t)"link-hello", 10, WILD, 16, (int32_t)&n), EFAULT);
  expect_errno("path_readlink(bufused outside memory)", raw_path_readlink(dir, (int32_t)"link-hello", 10, (int32_t)buf, 16, WILD), EFAULT);
  return finish();
}
