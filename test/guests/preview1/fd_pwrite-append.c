// fd_pwrite on an APPEND fd: Linux appends whatever the offset (POSIX would
// write at the offset; wasi-testsuite's pwrite-with-append accepts both) and
// the fd's position does not move: it stays where the last append write
// left it, even though the file has grown since.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("create app.txt", open_at(dir, 0, "app.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RIGHTS_RW, __WASI_FDFLAGS_APPEND, &fd));
  must("write \"ab\"", write_str(fd, "ab"));
  __wasi_ciovec_t iov = {(const uint8_t *)"XYZ", 3};
  __wasi_size_t n;
  expect_errno("fd_pwrite(\"XYZ\", 0)", __wasi_fd_pwrite(fd, &iov, 1, 0, &n), 0);
  expect_int("nwritten", n, 3);
  __wasi_filesize_t pos;
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position (end of the last write)", (long long)pos, 2);
  char buf[16];
  size_t len;
  must("read back", read_file(dir, "app.txt", buf, sizeof buf, &len));
  expect_bytes("contents", buf, len, "abXYZ");
  must("write \"c\"", write_str(fd, "c"));
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after another append", (long long)pos, 6);
  expect_errno("fd_filestat_set_size(10)", __wasi_fd_filestat_set_size(fd, 10), 0);
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after growing the file", (long long)pos, 6);
  return finish();
}
