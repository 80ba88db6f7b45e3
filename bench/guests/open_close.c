// open_close PATH N: N × (open read-only + close): path_open + fd_close.
// calls = opens; check = opens that succeeded.
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  unsigned long n = arg(argc, argv, 2);
  unsigned long long ok = 0;
  unsigned long long t0 = now_ns();
  for (unsigned long i = 0; i < n; i++) {
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) fail("open");
    if (close(fd) != 0) fail("close");
    ok++;
  }
  unsigned long long t1 = now_ns();
  report(t1 - t0, n, ok);
  return 0;
}
