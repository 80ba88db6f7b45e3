// Shared by the bench/wasi.bench.mjs guests: a monotonic clock read straight
// from WASI (clock_time_get), and the one result line each guest prints:
//   <loop ns> <calls> <check>
// where <loop ns> is the time of the measured loop only (instantiation and
// set-up excluded), <calls> the WASI calls the loop made, and <check> a
// figure the bench verifies (bytes, entries), so a guest that silently did
// less work cannot look fast.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static inline unsigned long long now_ns(void) {
  __wasi_timestamp_t t;
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) abort();
  return (unsigned long long)t;
}

static inline void report(unsigned long long ns, unsigned long long calls, unsigned long long check) {
  printf("%llu %llu %llu\n", ns, calls, check);
}

static inline void fail(const char *what) {
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  exit(1);
}

static inline unsigned long arg(int argc, char **argv, int i) {
  if (i >= argc) {
    fprintf(stderr, "missing argument %d\n", i);
    exit(2);
  }
  return strtoul(argv[i], NULL, 10);
}
