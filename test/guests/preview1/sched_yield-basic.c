// sched_yield succeeds.
#include "check.h"

int main(void) {
  expect_errno("sched_yield", __wasi_sched_yield(), 0);
  return finish();
}
