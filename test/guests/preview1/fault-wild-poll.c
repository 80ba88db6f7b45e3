// poll_oneoff with subscriptions, events or nevents outside linear memory,
// or a subscription count running past the end: EFAULT, without sleeping
// on the (valid-looking) 10 s clock.
#include "check.h"
#include "raw.h"

int main(void) {
  static __wasi_subscription_t sub;
  static __wasi_event_t ev;
  static __wasi_size_t n;
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = 10ull * 1000000000ull;
  __wasi_timestamp_t t0, t1;
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0));
  expect_errno("subscriptions outside memory", raw_poll_oneoff(WILD, (int32_t)&ev, 1, (int32_t)&n), EFAULT);
  expect_errno("events outside memory", raw_poll_oneoff((int32_t)&sub, WILD, 1, (int32_t)&n), EFAULT);
  expect_errno("nevents outside memory", raw_poll_oneoff((int32_t)&sub, (int32_t)&ev, 1, WILD), EFAULT);
  expect_errno("count past the end", raw_poll_oneoff((int32_t)&sub, (int32_t)&ev, 0x4000000, (int32_t)&n), EFAULT);
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
  expect_true("no sleep", t1 - t0 < 1000000000ull);
  return finish();
}
