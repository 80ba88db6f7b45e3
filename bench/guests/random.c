// random N SIZE: N × random_get of SIZE bytes, straight from WASI.
// check = bytes requested.
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  unsigned long n = arg(argc, argv, 1), size = arg(argc, argv, 2);
  static unsigned char buf[4096];
  if (size > sizeof buf) return 2;
  unsigned long long total = 0, x = 0;
  unsigned long long t0 = now_ns();
  for (unsigned long i = 0; i < n; i++) {
    if (__wasi_random_get(buf, size) != 0) abort();
    x ^= buf[0];
    total += size;
  }
  unsigned long long t1 = now_ns();
  report(t1 - t0, n, total + (x & 0));
  return 0;
}
