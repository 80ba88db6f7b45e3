// clock_time_get(MONOTONIC): never goes backwards, and advances by at least
// the time slept (poll_oneoff on a relative clock).
#include "check.h"

int main(void) {
  __wasi_timestamp_t t0, t1, t2, res;
  must("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0));
  int monotonic = 1;
  for (int i = 0; i < 1000; i++) {
    must("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
    if (t1 < t0) monotonic = 0;
    t0 = t1;
  }
  expect_true("1000 reads never go backwards", monotonic);
  __wasi_subscription_t sub = {.userdata = 7, .u = {.tag = __WASI_EVENTTYPE_CLOCK}};
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = 20 * 1000000ull;
  __wasi_event_t ev;
  __wasi_size_t n;
  must("poll_oneoff", __wasi_poll_oneoff(&sub, &ev, 1, &n));
  must("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2));
  expect_true("advanced >= 20 ms across a 20 ms sleep", t2 - t1 >= 20 * 1000000ull);
  expect_errno("clock_res_get(MONOTONIC)", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0);
  expect_true("resolution in (0, 1 ms]", res > 0 && res <= 1000000);
  return finish();
}
