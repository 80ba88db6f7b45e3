// clock_time_get(REALTIME): nanoseconds since the Unix epoch (after
// 2020-01-01, before 2100-01-01), consistent with libc's time().
#include <time.h>
#include "check.h"

int main(void) {
  __wasi_timestamp_t t;
  expect_errno("clock_time_get(REALTIME)", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t), 0);
  expect_true("after 2020-01-01", t > 1577836800ull * 1000000000ull);
  expect_true("before 2100-01-01", t < 4102444800ull * 1000000000ull);
  time_t s = time(NULL);
  long long d = (long long)s - (long long)(t / 1000000000ull);
  expect_true("time() within 2 s", d >= -2 && d <= 2);
  return finish();
}
