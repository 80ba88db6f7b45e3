// fd_readdir into a buffer smaller than the listing: each call fills the
// buffer completely (bufused == buf_len means "there may be more", the last
// entry possibly cut off); resuming from the last complete entry's cookie
// lists every entry exactly once. A buffer smaller than one header is
// filled too.
#include <stdlib.h>
#include "readdir.h"

int main(void) {
  __wasi_fd_t root = preopen(FIXTURE), dir;
  must("mkdir many", __wasi_path_create_directory(root, "many"));
  for (int i = 0; i < 10; i++) {
    char name[32];
    snprintf(name, sizeof name, "many/file-%d", i);
    must("create", create_file(root, name, ""));
  }
  must("open many", open_at(root, 0, "many", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &dir));
  uint8_t tiny[10];
  __wasi_size_t used = 0;
  expect_errno("fd_readdir(10-byte buffer)", __wasi_fd_readdir(dir, tiny, sizeof tiny, 0, &used), 0);
  expect_int("bufused", used, 10);
  static struct entry all[64];
  int total = 0, calls = 0, full_calls = 0;
  __wasi_dircookie_t cookie = 0;
  for (;;) {
    uint8_t buf[40];  // one 24-byte header and a name, at most
    must("fd_readdir", __wasi_fd_readdir(dir, buf, sizeof buf, cookie, &used));
    calls++;
    struct entry e[4];
    int n = parse_dirents(buf, used, e, 4);
    for (int i = 0; i < n && total < 64; i++) all[total++] = e[i];
    if (used < sizeof buf) break;
    full_calls++;
    if (n == 0) {
      expect_true("an entry fits in 40 bytes", 0);
      break;
    }
    cookie = e[n - 1].next;
  }
  expect_int("entries", total, 12);
  expect_true("more than one call", calls > 1 && full_calls == calls - 1);
  qsort(all, total, sizeof all[0], by_name);
  printf("names:");
  for (int i = 0; i < total; i++) printf(" %s", all[i].name);
  printf("\n");
  int dup = 0;
  for (int i = 1; i < total; i++) if (!strcmp(all[i].name, all[i - 1].name)) dup = 1;
  expect_true("no duplicates", !dup);
  return finish();
}
