// clock N: N × clock_time_get(MONOTONIC), straight from WASI.
// check = 1 if the clock never went backwards.
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  unsigned long n = arg(argc, argv, 1);
  __wasi_timestamp_t prev = 0, t = 0;
  int monotonic = 1;
  unsigned long long t0 = now_ns();
  for (unsigned long i = 0; i < n; i++) {
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) abort();
    if (t < prev) monotonic = 0;
    prev = t;
  }
  unsigned long long t1 = now_ns();
  report(t1 - t0, n, (unsigned long long)monotonic);
  return 0;
}
