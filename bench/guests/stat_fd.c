// stat_fd PATH N: opens PATH once, then N × fstat (fd_filestat_get).
// check = the file's size.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  unsigned long n = arg(argc, argv, 2);
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) fail("open");
  struct stat st;
  unsigned long long size = 0;
  unsigned long long t0 = now_ns();
  for (unsigned long i = 0; i < n; i++) {
    if (fstat(fd, &st) != 0) fail("fstat");
    size = (unsigned long long)st.st_size;
  }
  unsigned long long t1 = now_ns();
  close(fd);
  report(t1 - t0, n, size);
  return 0;
}
