// fd_sync and fd_datasync on a written file succeed.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("create sync.txt", open_at(dir, 0, "sync.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd));
  must("write", write_str(fd, "synced\n"));
  expect_errno("fd_sync", __wasi_fd_sync(fd), 0);
  expect_errno("fd_datasync", __wasi_fd_datasync(fd), 0);
  return finish();
}
