// poll_oneoff on an fd that is not open: the call succeeds and reports an
// event for that subscription with error EBADF (at once, not after the
// 1 s clock); no subscriptions at all is EINVAL.
#include "check.h"

int main(void) {
  __wasi_subscription_t sub[2] = {0};
  sub[0].userdata = 9;
  sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  sub[0].u.u.fd_read.file_descriptor = 1000;
  sub[1].userdata = 10;
  sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[1].u.u.clock.timeout = 1000000000ull;
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  expect_errno("poll_oneoff", __wasi_poll_oneoff(sub, ev, 2, &n), 0);
  expect_int("nevents", n, 1);
  expect_int("userdata", (long long)ev[0].userdata, 9);
  expect_int("type", ev[0].type, __WASI_EVENTTYPE_FD_READ);
  printf("error: %s\n", errname(ev[0].error));
  expect_true("error is EBADF", ev[0].error == EBADF);
  expect_errno("poll_oneoff(0 subscriptions)", __wasi_poll_oneoff(sub, ev, 0, &n), EINVAL);
  return finish();
}
