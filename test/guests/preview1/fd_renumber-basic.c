// fd_renumber(from, to): `to` now refers to what `from` did (its old file is
// closed), `from` is closed; renumbering onto a closed fd is EBADF.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), a, b;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0, &a));
  must("open dir/a.txt", open_at(dir, 0, "dir/a.txt", 0, __WASI_RIGHTS_FD_READ, 0, &b));
  __wasi_filesize_t pos;
  must("seek", __wasi_fd_seek(a, 7, __WASI_WHENCE_SET, &pos));
  expect_errno("fd_renumber(a, b)", __wasi_fd_renumber(a, b), 0);
  char buf[32];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  expect_errno("fd_read(b)", __wasi_fd_read(b, &iov, 1, &n), 0);
  expect_bytes("b reads hello.txt from a's position", buf, n, "world!\n");
  expect_errno("fd_read(a)", __wasi_fd_read(a, &iov, 1, &n), EBADF);
  expect_errno("fd_close(a)", __wasi_fd_close(a), EBADF);
  expect_errno("fd_renumber(b, a) onto a closed fd", __wasi_fd_renumber(b, a), EBADF);
  expect_errno("fd_renumber(a, b) from a closed fd", __wasi_fd_renumber(a, b), EBADF);
  expect_errno("fd_close(b)", __wasi_fd_close(b), 0);
  return finish();
}
