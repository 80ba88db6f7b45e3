// write_small PATH N SIZE: N writes of SIZE bytes (one fd_write each) to a
// fresh file. check = bytes written.
#include <fcntl.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  unsigned long n = arg(argc, argv, 2), size = arg(argc, argv, 3);
  static char buf[4096];
  if (size > sizeof buf) return 2;
  memset(buf, 'x', size);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail("open");
  unsigned long long total = 0;
  unsigned long long t0 = now_ns();
  for (unsigned long i = 0; i < n; i++) {
    ssize_t r = write(fd, buf, size);
    if (r != (ssize_t)size) fail("write");
    total += (unsigned long long)r;
  }
  unsigned long long t1 = now_ns();
  close(fd);
  report(t1 - t0, n, total);
  return 0;
}
