// A path component of 255 bytes is the longest a Linux file system takes:
// creating it works; 256 bytes is ENAMETOOLONG.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  char name[300];
  memset(name, 'n', 255);
  name[255] = 0;
  expect_errno("255-byte name", open_at(dir, 0, name, __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), 0);
  memset(name, 'm', 256);
  name[256] = 0;
  expect_errno("256-byte name", open_at(dir, 0, name, __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), ENAMETOOLONG);
  expect_errno("mkdir 256-byte name", __wasi_path_create_directory(dir, name), ENAMETOOLONG);
  return finish();
}
