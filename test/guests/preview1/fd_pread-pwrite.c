// fd_pread / fd_pwrite: read and write at an offset without moving the
// position; writing past the end extends the file with zero bytes.
#include "check.h"

static __wasi_size_t pread_at(__wasi_fd_t fd, char *buf, size_t n, __wasi_filesize_t off) {
  __wasi_iovec_t iov = {(uint8_t *)buf, n};
  __wasi_size_t got = 0;
  must("fd_pread", __wasi_fd_pread(fd, &iov, 1, off, &got));
  return got;
}

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("create pp.txt", create_file(dir, "pp.txt", "0123456789"));
  must("open pp.txt", open_at(dir, 0, "pp.txt", 0, RIGHTS_RW, 0, &fd));
  __wasi_ciovec_t ab = {(const uint8_t *)"AB", 2};
  __wasi_size_t n = 0;
  expect_errno("pwrite \"AB\" at 3", __wasi_fd_pwrite(fd, &ab, 1, 3, &n), 0);
  expect_int("nwritten", n, 2);
  __wasi_filesize_t pos = 99;
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after pwrite", (long long)pos, 0);
  char buf[32];
  n = pread_at(fd, buf, 4, 2);
  expect_bytes("pread 4 at 2", buf, n, "2AB5");
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after pread", (long long)pos, 0);
  __wasi_ciovec_t z = {(const uint8_t *)"Z", 1};
  expect_errno("pwrite \"Z\" at 12", __wasi_fd_pwrite(fd, &z, 1, 12, &n), 0);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, 13);
  n = pread_at(fd, buf, 8, 9);
  expect_int("pread 8 at 9: count", n, 4);
  expect_true("pread 8 at 9: \"9\\0\\0Z\"", n == 4 && memcmp(buf, "9\0\0Z", 4) == 0);
  n = pread_at(fd, buf, 4, 13);
  expect_int("pread at the end", n, 0);
  __wasi_iovec_t iov = {(uint8_t *)buf, 10};
  must("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
  expect_bytes("fd_read from position 0", buf, n, "012AB56789");
  return finish();
}
