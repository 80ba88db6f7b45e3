// fd_fdstat_get on a file opened for appending: type REGULAR_FILE, flags
// APPEND, rights exactly those asked for (no FD_READ, it was not asked);
// writes go to the end whatever the position, and the position follows.
#include "check.h"

#define ASKED                                                                                             \
  (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET | \
   __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS)

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, ASKED, __WASI_FDFLAGS_APPEND, &fd));
  __wasi_fdstat_t st;
  expect_errno("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st), 0);
  expect_int("fs_filetype", st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
  expect_int("fs_flags", st.fs_flags, __WASI_FDFLAGS_APPEND);
  printf("fs_rights_base: 0x%llx\n", (unsigned long long)st.fs_rights_base);
  expect_true("fs_rights_base is what was asked", st.fs_rights_base == ASKED);
  expect_true("no FD_READ", !(st.fs_rights_base & __WASI_RIGHTS_FD_READ));
  expect_errno("write \"more\\n\"", write_str(fd, "more\n"), 0);
  __wasi_filesize_t pos;
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position after the append", (long long)pos, 19);
  char buf[64];
  size_t n;
  must("read back", read_file(dir, "hello.txt", buf, sizeof buf, &n));
  expect_bytes("contents", buf, n, "Hello, world!\nmore\n");
  return finish();
}
