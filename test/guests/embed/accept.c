// Serves argv[2] connections on the listening socket it was given (fd
// argv[1]): sock_accept each, receive a line, send it back in upper case,
// close the connection; then close the listener (its owner now). Prints
// "accepted N" and "closed listener: OK".
#include <ctype.h>
#include "../preview1/check.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: accept FD COUNT\n");
    return 2;
  }
  __wasi_fd_t listener = (__wasi_fd_t)atoi(argv[1]);
  int count = atoi(argv[2]);
  int served = 0;
  for (int i = 0; i < count; i++) {
    __wasi_fd_t c;
    __wasi_errno_t e = __wasi_sock_accept(listener, 0, &c);
    if (e != 0) {
      printf("sock_accept: %s\n", errname(e));
      break;
    }
    char line[256];
    size_t n = 0;
    while (n < sizeof line) {
      __wasi_iovec_t iov = { (uint8_t *)line + n, sizeof line - n };
      __wasi_size_t got = 0;
      __wasi_roflags_t flags = 0;
      e = __wasi_sock_recv(c, &iov, 1, 0, &got, &flags);
      if (e != 0 || got == 0) break;
      n += got;
      if (memchr(line + n - got, '\n', got) != NULL) break;
    }
    for (size_t k = 0; k < n; k++) line[k] = (char)toupper((unsigned char)line[k]);
    for (size_t at = 0; at < n && e == 0;) {
      __wasi_ciovec_t iov = { (const uint8_t *)line + at, n - at };
      __wasi_size_t put = 0;
      e = __wasi_sock_send(c, &iov, 1, 0, &put);
      at += put;
    }
    __wasi_errno_t closed = __wasi_fd_close(c);
    if (e != 0 || closed != 0) printf("connection %d: %s, close: %s\n", i, errname(e), errname(closed));
    else served++;
  }
  printf("accepted %d\n", served);
  printf("closed listener: %s\n", errname(__wasi_fd_close(listener)));
  return served == count ? 0 : 1;
}
