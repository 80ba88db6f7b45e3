// Non-ASCII names (UTF-8) round-trip: a file created as "ünï-😀.txt" is
// listed by fd_readdir with exactly those bytes and opens by that name.
#include "readdir.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  const char *name = "\xc3\xbcn\xc3\xaf-\xf0\x9f\x98\x80.txt";
  must("mkdir u", __wasi_path_create_directory(dir, "u"));
  char path[64];
  snprintf(path, sizeof path, "u/%s", name);
  expect_errno("create", create_file(dir, path, "smile"), 0);
  must("open u", open_at(dir, 0, "u", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &fd));
  static uint8_t buf[512];
  __wasi_size_t used;
  must("fd_readdir", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used));
  struct entry e[8];
  int n = parse_dirents(buf, used, e, 8);
  int found = 0;
  for (int i = 0; i < n; i++) if (!strcmp(e[i].name, name)) found = (int)strlen(e[i].name);
  expect_int("listed with its 14 UTF-8 bytes", found, 14);
  char text[16];
  size_t len;
  expect_errno("open by name", read_file(dir, path, text, sizeof text, &len), 0);
  expect_bytes("contents", text, len, "smile");
  return finish();
}
