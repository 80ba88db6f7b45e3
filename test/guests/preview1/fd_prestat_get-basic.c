// fd_prestat_get / fd_prestat_dir_name: the preopen's name and length; a
// buffer too small is ENAMETOOLONG; stdio, unknown fds and directories
// opened by the guest are not preopens (EBADF).
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), sub;
  __wasi_prestat_t ps;
  expect_errno("fd_prestat_get(preopen)", __wasi_fd_prestat_get(dir, &ps), 0);
  expect_int("tag", ps.tag, __WASI_PREOPENTYPE_DIR);
  expect_int("pr_name_len", ps.u.dir.pr_name_len, 12);
  char name[32];
  memset(name, '#', sizeof name);
  expect_errno("fd_prestat_dir_name(len 13)", __wasi_fd_prestat_dir_name(dir, (uint8_t *)name, 13), 0);
  expect_bytes("name", name, 13, "fs-tests.dir#");
  expect_errno("fd_prestat_dir_name(len 4)", __wasi_fd_prestat_dir_name(dir, (uint8_t *)name, 4), ENAMETOOLONG);
  expect_errno("fd_prestat_get(0)", __wasi_fd_prestat_get(0, &ps), EBADF);
  expect_errno("fd_prestat_get(1000)", __wasi_fd_prestat_get(1000, &ps), EBADF);
  must("open dir", open_at(dir, 0, "dir", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &sub));
  expect_errno("fd_prestat_get(opened dir)", __wasi_fd_prestat_get(sub, &ps), EBADF);
  return finish();
}
