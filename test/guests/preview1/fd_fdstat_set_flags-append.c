// fd_fdstat_set_flags turns APPEND off and on again on an open file: with
// it, writes go to the end whatever the position; without it, they go to
// the position. fd_fdstat_get reports the current flags.
#include "check.h"

static void contents(const char *what, __wasi_fd_t dir, const char *want) {
  char buf[64];
  size_t n;
  must("read back", read_file(dir, "flags.txt", buf, sizeof buf, &n));
  expect_bytes(what, buf, n, want);
}

static void flags(const char *what, __wasi_fd_t fd, int want) {
  __wasi_fdstat_t st;
  must("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  expect_int(what, st.fs_flags, want);
}

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  __wasi_filesize_t pos;
  must("create flags.txt", open_at(dir, 0, "flags.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, __WASI_FDFLAGS_APPEND, &fd));
  flags("flags at open", fd, __WASI_FDFLAGS_APPEND);
  must("write", write_str(fd, "aaaa"));
  must("seek 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  must("write", write_str(fd, "bbbb"));
  contents("APPEND: a write at 0 appends", dir, "aaaabbbb");

  expect_errno("fd_fdstat_set_flags(0)", __wasi_fd_fdstat_set_flags(fd, 0), 0);
  flags("flags after clearing", fd, 0);
  must("seek 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  must("write", write_str(fd, "cc"));
  contents("no APPEND: a write at 0 overwrites", dir, "ccaabbbb");
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after the write", (long long)pos, 2);

  expect_errno("fd_fdstat_set_flags(APPEND)", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
  flags("flags after setting", fd, __WASI_FDFLAGS_APPEND);
  must("seek 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  must("write", write_str(fd, "dd"));
  contents("APPEND again: appends", dir, "ccaabbbbdd");
  return finish();
}
