// fd_readdir on a regular file: ENOTDIR, as getdents(2) says. The file was
// asked for with FD_READDIR, which a file never gets; the file type is
// checked before the rights, so the answer names the real problem.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, &fd));
  uint8_t buf[128];
  __wasi_size_t used;
  expect_errno("fd_readdir(file)", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used), ENOTDIR);
  return finish();
}
