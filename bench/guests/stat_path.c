// stat_path PATH N: N × stat(PATH) (path_filestat_get, following symlinks).
// check = the file's size.
#include <sys/stat.h>
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  unsigned long n = arg(argc, argv, 2);
  struct stat st;
  unsigned long long size = 0;
  unsigned long long t0 = now_ns();
  for (unsigned long i = 0; i < n; i++) {
    if (stat(argv[1], &st) != 0) fail("stat");
    size = (unsigned long long)st.st_size;
  }
  unsigned long long t1 = now_ns();
  report(t1 - t0, n, size);
  return 0;
}
