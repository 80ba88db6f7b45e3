// clock_time_get / clock_res_get with a clock id that does not exist: EINVAL.
#include "check.h"

int main(void) {
  __wasi_timestamp_t t = 0;
  expect_errno("clock_time_get(4)", __wasi_clock_time_get(4, 1, &t), EINVAL);
  expect_errno("clock_time_get(0xffffffff)", __wasi_clock_time_get(0xffffffffu, 1, &t), EINVAL);
  expect_errno("clock_res_get(4)", __wasi_clock_res_get(4, &t), EINVAL);
  return finish();
}
