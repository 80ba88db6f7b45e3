// path_open with CREAT through a dangling symlink: with SYMLINK_FOLLOW the
// target is created (as open(2) does), inside the preopen; without it the
// final symlink is not followed and the open is ELOOP, nothing created.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  __wasi_filestat_t st;
  expect_errno("CREAT dangling, nofollow", open_at(dir, 0, "dangling", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), ELOOP);
  expect_errno("nowhere after nofollow", __wasi_path_filestat_get(dir, 0, "nowhere", &st), ENOENT);
  expect_errno("CREAT dangling, follow", open_at(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), 0);
  must("write", write_str(fd, "made\n"));
  must("stat nowhere", __wasi_path_filestat_get(dir, 0, "nowhere", &st));
  expect_int("nowhere filetype", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  expect_int("nowhere size", (long long)st.size, 5);
  return finish();
}
