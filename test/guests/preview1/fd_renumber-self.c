// fd_renumber(fd, fd) changes nothing (as dup2(fd, fd)): the fd stays open
// and keeps its position.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL, 0, &fd));
  __wasi_filesize_t pos;
  must("seek", __wasi_fd_seek(fd, 7, __WASI_WHENCE_SET, &pos));
  expect_errno("fd_renumber(fd, fd)", __wasi_fd_renumber(fd, fd), 0);
  char buf[16];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  expect_errno("fd_read", __wasi_fd_read(fd, &iov, 1, &n), 0);
  expect_bytes("reads on from 7", buf, n, "world!\n");
  return finish();
}
