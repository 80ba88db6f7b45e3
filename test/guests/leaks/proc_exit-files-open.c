// proc_exit(3) while holding open files and directories: the exit code
// reaches the embedder and every descriptor is closed.
#include "leaks.h"

int main(void) {
  open_everything();
  __wasi_proc_exit(3);
}
