// poll_oneoff with only clock subscriptions: blocks until the earliest one
// (relative, monotonic) and reports it alone, with its userdata; an absolute
// time in the past is reported at once.
#include "check.h"

int main(void) {
  __wasi_subscription_t sub[2] = {0};
  sub[0].userdata = 0x1111;
  sub[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[0].u.u.clock.timeout = 500 * 1000000ull;
  sub[1].userdata = 0x2222;
  sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[1].u.u.clock.timeout = 30 * 1000000ull;
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  __wasi_timestamp_t t0, t1;
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0));
  expect_errno("poll_oneoff(500 ms, 30 ms)", __wasi_poll_oneoff(sub, ev, 2, &n), 0);
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
  expect_int("nevents", n, 1);
  printf("userdata: 0x%llx\n", (unsigned long long)ev[0].userdata);
  expect_int("error", ev[0].error, 0);
  expect_int("type", ev[0].type, __WASI_EVENTTYPE_CLOCK);
  expect_true("waited >= 30 ms", t1 - t0 >= 30 * 1000000ull);
  expect_true("waited < 500 ms", t1 - t0 < 500 * 1000000ull);
  __wasi_timestamp_t now;
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now));
  __wasi_subscription_t abs = {.userdata = 0x3333, .u = {.tag = __WASI_EVENTTYPE_CLOCK}};
  abs.u.u.clock.id = __WASI_CLOCKID_REALTIME;
  abs.u.u.clock.timeout = now - 1000000000ull;
  abs.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0));
  expect_errno("poll_oneoff(absolute, 1 s ago)", __wasi_poll_oneoff(&abs, ev, 1, &n), 0);
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
  expect_int("nevents", n, 1);
  printf("userdata: 0x%llx\n", (unsigned long long)ev[0].userdata);
  expect_true("returned within 200 ms", t1 - t0 < 200 * 1000000ull);
  return finish();
}
