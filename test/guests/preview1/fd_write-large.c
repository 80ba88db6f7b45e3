// fd_write of 1 MiB gathered from 16 iovecs of 64 KiB into a file: every
// byte arrives, in order (the count may be short only if the file system
// says so; the loop writes the rest).
#include "check.h"

#define CHUNK 65536
#define CHUNKS 16
static uint8_t data[CHUNKS * CHUNK];
static uint8_t back[CHUNKS * CHUNK];

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 7 + (i >> 16));
  must("create big.bin", open_at(dir, 0, "big.bin", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd));
  __wasi_ciovec_t iov[CHUNKS];
  for (int i = 0; i < CHUNKS; i++) iov[i] = (__wasi_ciovec_t){data + i * CHUNK, CHUNK};
  __wasi_size_t n = 0;
  expect_errno("fd_write(16 x 64 KiB)", __wasi_fd_write(fd, iov, CHUNKS, &n), 0);
  size_t total = n;
  while (total < sizeof data) {
    __wasi_ciovec_t rest = {data + total, sizeof data - total};
    must("fd_write (rest)", __wasi_fd_write(fd, &rest, 1, &n));
    total += n;
  }
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size", (long long)st.size, sizeof data);
  size_t got = 0;
  while (got < sizeof back) {
    __wasi_iovec_t r = {back + got, sizeof back - got};
    must("fd_pread", __wasi_fd_pread(fd, &r, 1, got, &n));
    if (n == 0) break;
    got += n;
  }
  expect_true("read back identical", got == sizeof back && memcmp(data, back, sizeof data) == 0);
  return finish();
}
