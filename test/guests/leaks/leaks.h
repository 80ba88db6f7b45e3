// Shared by the leak guests (test/guests/leaks/*.c): each opens descriptors
// of every kind the host backs with OS descriptors and then ends WITHOUT
// closing them, in its own way (trap, proc_exit, return). The host must
// close everything when the program ends; test/wasi/leaks.node.test.ts
// counts the process's descriptors around hundreds of runs.
#ifndef IOLIFE_LEAKS_H
#define IOLIFE_LEAKS_H
#include "../preview1/check.h"

/**
 * Opens files (read, write, append), directories (one with a directory
 * stream started by fd_readdir, which the Node backend backs with a second
 * OS descriptor), a renumbered fd, and a file whose name is then unlinked.
 * Prints how many fds it holds.
 */
static inline void open_everything(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd, d1, d2, a, b;
  int n = 0;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  n++;
  must("create out.txt", open_at(dir, 0, "out.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd));
  must("write", write_str(fd, "x"));
  n++;
  must("open append", open_at(dir, 0, "out.txt", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND, &fd));
  n++;
  must("open dir", open_at(dir, 0, "dir", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &d1));
  n++;
  must("open dir/sub", open_at(dir, 0, "dir/sub", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0, &d2));
  n++;
  static uint8_t buf[64];
  __wasi_size_t used;
  must("fd_readdir", __wasi_fd_readdir(d2, buf, sizeof buf, 0, &used));
  must("fd_readdir", __wasi_fd_readdir(d1, buf, sizeof buf, 3, &used));
  must("open a", open_at(dir, 0, "dir/a.txt", 0, __WASI_RIGHTS_FD_READ, 0, &a));
  must("open b", open_at(dir, 0, "dir/sub/b.txt", 0, __WASI_RIGHTS_FD_READ, 0, &b));
  must("fd_renumber", __wasi_fd_renumber(a, b));
  n++;
  must("create gone.txt", open_at(dir, 0, "gone.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &fd));
  must("unlink gone.txt", __wasi_path_unlink_file(dir, "gone.txt"));
  n++;
  printf("holding %d fds\n", n);
  fflush(stdout);
}

#endif
