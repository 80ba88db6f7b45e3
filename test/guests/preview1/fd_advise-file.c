// fd_advise on a regular file: every defined advice is accepted and changes
// nothing; an unknown advice is EINVAL.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  static const char *const names[] = {"NORMAL", "SEQUENTIAL", "RANDOM", "WILLNEED", "DONTNEED", "NOREUSE"};
  for (int a = 0; a < 6; a++) {
    char what[40];
    snprintf(what, sizeof what, "fd_advise(0, 14, %s)", names[a]);
    expect_errno(what, __wasi_fd_advise(fd, 0, 14, (__wasi_advice_t)a), 0);
  }
  expect_errno("fd_advise(10, 50, NORMAL) past the end", __wasi_fd_advise(fd, 10, 50, __WASI_ADVICE_NORMAL), 0);
  expect_errno("fd_advise(0, 0, advice 6)", __wasi_fd_advise(fd, 0, 0, 6), EINVAL);
  __wasi_filestat_t st;
  must("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
  expect_int("size unchanged", (long long)st.size, 14);
  return finish();
}
