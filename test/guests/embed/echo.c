// Serves one connection it was handed (fd argv[1]): receives a line with
// sock_recv, sends it back in upper case with sock_send, then closes the fd
// — as its owner when it was given (argv[2] "give": the close succeeds) or
// as a borrower when it was lent ("lend": the close is refused, ENOTCAPABLE,
// and the host keeps a working socket). Prints "echo: ok" when all of that
// held; anything else is printed and exits 1.
#include <ctype.h>
#include "../preview1/check.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: echo FD give|lend\n");
    return 2;
  }
  __wasi_fd_t fd = (__wasi_fd_t)atoi(argv[1]);
  int lent = strcmp(argv[2], "lend") == 0;
  char line[512];
  size_t n = 0;
  while (n < sizeof line) {
    __wasi_iovec_t iov = { (uint8_t *)line + n, sizeof line - n };
    __wasi_size_t got = 0;
    __wasi_roflags_t flags = 0;
    __wasi_errno_t e = __wasi_sock_recv(fd, &iov, 1, 0, &got, &flags);
    if (e != 0) {
      printf("sock_recv: %s\n", errname(e));
      return 1;
    }
    if (got == 0) break;
    n += got;
    if (memchr(line + n - got, '\n', got) != NULL) break;
  }
  for (size_t i = 0; i < n; i++) line[i] = (char)toupper((unsigned char)line[i]);
  for (size_t at = 0; at < n;) {
    __wasi_ciovec_t iov = { (const uint8_t *)line + at, n - at };
    __wasi_size_t put = 0;
    __wasi_errno_t e = __wasi_sock_send(fd, &iov, 1, 0, &put);
    if (e != 0) {
      printf("sock_send: %s\n", errname(e));
      return 1;
    }
    at += put;
  }
  __wasi_errno_t closed = __wasi_fd_close(fd);
  __wasi_errno_t want = lent ? __WASI_ERRNO_NOTCAPABLE : 0;
  if (closed != want) {
    printf("fd_close: %s, want %s\n", errname(closed), errname(want));
    return 1;
  }
  printf("echo: ok\n");
  return 0;
}
