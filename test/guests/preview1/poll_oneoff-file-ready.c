// poll_oneoff on a regular file: always ready for reading and writing, so
// the call returns at once with both events (and not the 10 s clock); the
// read event's nbytes is what is left to read from the position.
#include "check.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  __wasi_filesize_t pos;
  must("seek", __wasi_fd_seek(fd, 4, __WASI_WHENCE_SET, &pos));
  __wasi_subscription_t sub[3] = {0};
  sub[0].userdata = 1;
  sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  sub[0].u.u.fd_read.file_descriptor = fd;
  sub[1].userdata = 2;
  sub[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  sub[1].u.u.fd_write.file_descriptor = fd;
  sub[2].userdata = 3;
  sub[2].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[2].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[2].u.u.clock.timeout = 10ull * 1000000000ull;
  __wasi_event_t ev[3];
  __wasi_size_t n = 0;
  __wasi_timestamp_t t0, t1;
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0));
  expect_errno("poll_oneoff", __wasi_poll_oneoff(sub, ev, 3, &n), 0);
  must("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
  expect_int("nevents", n, 2);
  expect_true("returned within 1 s", t1 - t0 < 1000000000ull);
  for (__wasi_size_t i = 0; i < n && i < 3; i++) {
    printf("event userdata %llu type %u error %s", (unsigned long long)ev[i].userdata, ev[i].type, errname(ev[i].error));
    if (ev[i].type == __WASI_EVENTTYPE_FD_READ) printf(" nbytes %llu", (unsigned long long)ev[i].fd_readwrite.nbytes);
    printf("\n");
  }
  return finish();
}
