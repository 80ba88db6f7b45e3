// Byte I/O on a directory fd is refused: a directory carries no FD_READ,
// FD_WRITE, FD_SEEK or FD_TELL right, so each call is ENOTCAPABLE
// (wasi-testsuite's dir_fd_op_failures accepts EISDIR, EBADF or ENOTCAPABLE).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  char buf[16];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_ciovec_t ciov = {(const uint8_t *)buf, sizeof buf};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  expect_errno("fd_read", __wasi_fd_read(dir, &iov, 1, &n), ENOTCAPABLE);
  expect_errno("fd_pread", __wasi_fd_pread(dir, &iov, 1, 0, &n), ENOTCAPABLE);
  expect_errno("fd_write", __wasi_fd_write(dir, &ciov, 1, &n), ENOTCAPABLE);
  expect_errno("fd_pwrite", __wasi_fd_pwrite(dir, &ciov, 1, 0, &n), ENOTCAPABLE);
  expect_errno("fd_seek", __wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &pos), ENOTCAPABLE);
  expect_errno("fd_tell", __wasi_fd_tell(dir, &pos), ENOTCAPABLE);
  return finish();
}
