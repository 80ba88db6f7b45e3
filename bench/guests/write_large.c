// write_large PATH TOTAL CHUNK: writes TOTAL bytes in CHUNK-byte fd_writes
// to a fresh file. check = bytes written.
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

static char buf[1 << 20];

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  unsigned long long want = arg(argc, argv, 2);
  unsigned long chunk = arg(argc, argv, 3);
  if (chunk > sizeof buf || chunk == 0) return 2;
  for (unsigned long i = 0; i < chunk; i++) buf[i] = (char)(i * 31 + 7);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail("open");
  unsigned long long total = 0, calls = 0;
  unsigned long long t0 = now_ns();
  while (total < want) {
    ssize_t r = write(fd, buf, chunk);
    calls++;
    if (r <= 0) fail("write");
    total += (unsigned long long)r;
  }
  unsigned long long t1 = now_ns();
  close(fd);
  report(t1 - t0, calls, total);
  return 0;
}
