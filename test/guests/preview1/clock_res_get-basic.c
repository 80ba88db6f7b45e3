// clock_res_get: every clock (REALTIME, MONOTONIC, PROCESS_CPUTIME_ID,
// THREAD_CPUTIME_ID) has a resolution between 1 ns and 1 ms.
#include "check.h"

int main(void) {
  static const char *const names[] = {"REALTIME", "MONOTONIC", "PROCESS_CPUTIME_ID", "THREAD_CPUTIME_ID"};
  for (int id = 0; id < 4; id++) {
    __wasi_timestamp_t res = 0;
    char what[64];
    snprintf(what, sizeof what, "clock_res_get(%s)", names[id]);
    expect_errno(what, __wasi_clock_res_get((__wasi_clockid_t)id, &res), 0);
    snprintf(what, sizeof what, "%s resolution in [1 ns, 1 ms]", names[id]);
    expect_true(what, res >= 1 && res <= 1000000);
  }
  return finish();
}
