// Paths are UTF-8: a path that is not valid UTF-8 is EILSEQ (as wasmtime),
// and nothing is created.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  expect_errno("path_open(\"\\xff\\xfe\", CREAT)", open_at(dir, 0, "\xff\xfe", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd), EILSEQ);
  expect_errno("path_create_directory(\"a\\xc3\")", __wasi_path_create_directory(dir, "a\xc3"), EILSEQ);
  __wasi_fd_t d;
  must("open .", open_at(dir, 0, ".", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &d));
  static uint8_t buf[1024];
  __wasi_size_t used;
  must("fd_readdir", __wasi_fd_readdir(d, buf, sizeof buf, 0, &used));
  // ".", "..", and the 6 fixture entries: nothing new.
  int n = 0;
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used; n++) {
    __wasi_dirent_t e;
    memcpy(&e, buf + at, sizeof e);
    at += sizeof e + e.d_namlen;
  }
  expect_int("entries in the preopen", n, 8);
  return finish();
}
