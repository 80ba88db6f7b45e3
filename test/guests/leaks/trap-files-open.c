// Traps (unreachable) while holding open files and directories: the host
// reports the trap and still closes every descriptor the program opened.
#include "leaks.h"

int main(void) {
  open_everything();
  __builtin_trap();
}
