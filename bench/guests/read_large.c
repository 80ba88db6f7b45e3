// read_large PATH CHUNK: reads the whole file in CHUNK-byte fd_reads until
// end of file. calls counts the final read that returns 0; check = bytes.
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

static char buf[1 << 20];

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  unsigned long chunk = arg(argc, argv, 2);
  if (chunk > sizeof buf) return 2;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) fail("open");
  unsigned long long total = 0, calls = 0;
  unsigned long long t0 = now_ns();
  for (;;) {
    ssize_t r = read(fd, buf, chunk);
    calls++;
    if (r < 0) fail("read");
    if (r == 0) break;
    total += (unsigned long long)r;
  }
  unsigned long long t1 = now_ns();
  close(fd);
  report(t1 - t0, calls, total);
  return 0;
}
