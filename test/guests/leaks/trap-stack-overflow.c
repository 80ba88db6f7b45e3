// Exhausts the stack by unbounded recursion (a trap raised by the engine,
// not by the program's own `unreachable`) while holding open files.
#include "leaks.h"

static volatile int sink;

__attribute__((noinline)) static int deep(int n) {
  volatile char pad[256];
  if (sink == -1) return 0;  // never: sink stays 0 (keeps the compiler from calling this infinite)
  pad[n & 255] = (char)n;
  return deep(n + 1) + pad[(n * 7) & 255] + sink;
}

int main(void) {
  open_everything();
  return deep(0);
}
