// Returns from main (exit status 0) while holding open files and
// directories: wasi-libc does not close them, the host does.
#include "leaks.h"

int main(void) {
  open_everything();
  return 0;
}
