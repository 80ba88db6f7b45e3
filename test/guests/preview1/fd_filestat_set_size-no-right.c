// fd_filestat_set_size on an fd opened without the right to change the
// size: ENOTCAPABLE, and the file keeps its size.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, &fd));
  expect_errno("fd_filestat_set_size(0)", __wasi_fd_filestat_set_size(fd, 0), ENOTCAPABLE);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, 14);
  return finish();
}
