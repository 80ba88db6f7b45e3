// fd_readdir lists `.` and `..` like every other entry (as wasmtime does and
// wasi-testsuite's fd_readdir expects): `.` with the directory's own inode,
// both as directories; then the entries with their types (a symlink as
// SYMBOLIC_LINK, not followed). Resuming from an entry's d_next cookie
// continues after it; from the last one, nothing is left.
#include <stdlib.h>
#include "readdir.h"

int main(void) {
  __wasi_fd_t root = preopen(FIXTURE), dir;
  must("mkdir rd", __wasi_path_create_directory(root, "rd"));
  must("create rd/f1", create_file(root, "rd/f1", "1"));
  must("mkdir rd/s", __wasi_path_create_directory(root, "rd/s"));
  must("symlink rd/l -> f1", __wasi_path_symlink("f1", root, "rd/l"));
  must("open rd", open_at(root, 0, "rd", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &dir));
  static uint8_t buf[4096];
  __wasi_size_t used = 0;
  expect_errno("fd_readdir(cookie 0)", __wasi_fd_readdir(dir, buf, sizeof buf, 0, &used), 0);
  struct entry e[16];
  int n = parse_dirents(buf, used, e, 16);
  expect_int("entries", n, 5);
  expect_true("bufused is exactly the entries", n == 5);
  struct entry sorted[16];
  memcpy(sorted, e, sizeof e);
  qsort(sorted, n, sizeof sorted[0], by_name);
  for (int i = 0; i < n; i++) printf("entry \"%s\" type %d\n", sorted[i].name, sorted[i].type);
  __wasi_filestat_t st;
  must("fd_filestat_get(rd)", __wasi_fd_filestat_get(dir, &st));
  int dot_ino = 0;
  for (int i = 0; i < n; i++) if (!strcmp(e[i].name, ".")) dot_ino = e[i].ino == st.ino;
  expect_true("`.` has the directory's inode", dot_ino);
  must("path_filestat_get(rd/f1)", __wasi_path_filestat_get(root, 0, "rd/f1", &st));
  int f1_ino = 0;
  for (int i = 0; i < n; i++) if (!strcmp(e[i].name, "f1")) f1_ino = e[i].ino == st.ino;
  expect_true("f1 has its inode", f1_ino);
  // Resume after the first entry: the other four, in the same order.
  expect_errno("fd_readdir(first d_next)", __wasi_fd_readdir(dir, buf, sizeof buf, e[0].next, &used), 0);
  struct entry rest[16];
  int m = parse_dirents(buf, used, rest, 16);
  expect_int("entries after the first", m, 4);
  int same = m == 4;
  for (int i = 0; same && i < 4; i++) same = !strcmp(rest[i].name, e[i + 1].name);
  expect_true("same order", same);
  expect_errno("fd_readdir(last d_next)", __wasi_fd_readdir(dir, buf, sizeof buf, e[n - 1].next, &used), 0);
  expect_int("bufused at the end", used, 0);
  return finish();
}
