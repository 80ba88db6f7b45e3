// proc_raise (deprecated, gone from wasi-libc's header, still in the ABI):
// iolife delivers no signals, so it is ENOSYS, and the program goes on.
#include "check.h"
#include "raw.h"

#define SIGNAL_KILL 9
#define SIGNAL_TERM 15

int main(void) {
  expect_errno("proc_raise(TERM)", raw_proc_raise(SIGNAL_TERM), ENOSYS);
  expect_errno("proc_raise(KILL)", raw_proc_raise(SIGNAL_KILL), ENOSYS);
  printf("still running\n");
  return finish();
}
