// readdir DIR PASSES: PASSES × (opendir, readdir to the end, closedir), with
// wasi-libc's buffered readdir (fd_readdir into a 4 KiB buffer, refilled).
// calls = entries returned (the per-entry cost is what is compared); check =
// entries per pass, counting . and ..
#include <dirent.h>
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  unsigned long passes = arg(argc, argv, 2);
  unsigned long long entries = 0, per = 0;
  unsigned long long t0 = now_ns();
  for (unsigned long p = 0; p < passes; p++) {
    DIR *d = opendir(argv[1]);
    if (d == NULL) fail("opendir");
    unsigned long long k = 0;
    errno = 0;
    while (readdir(d) != NULL) k++;
    if (errno != 0) fail("readdir");
    closedir(d);
    entries += k;
    per = k;
  }
  unsigned long long t1 = now_ns();
  report(t1 - t0, entries, per);
  return 0;
}
