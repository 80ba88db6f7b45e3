// proc_exit: the exit code reaches the embedder; nothing after the call
// runs; output written before it is kept. A file is left open on purpose.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd));
  printf("before proc_exit\n");
  fflush(stdout);
  __wasi_proc_exit(42);
  printf("after proc_exit\n");
  return 0;
}
