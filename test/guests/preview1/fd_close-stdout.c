// The guest may close its stdout (fd 1): later writes to fd 1 are EBADF,
// and the embedder's own descriptor behind it stays open (the host only
// drops the guest's fd; the test runner closes that descriptor itself
// afterwards, which throws EBADF if the host had closed it). Results go to
// stderr (fd 2) after the close, and to the exit status.
#include "check.h"

int main(void) {
  printf("before the close\n");
  fflush(stdout);
  int failures = 0;
  __wasi_errno_t e = __wasi_fd_close(1);
  fprintf(stderr, "fd_close(1): %s\n", errname(e));
  if (e != 0) failures++;
  e = write_str(1, "after the close\n");
  fprintf(stderr, "fd_write(1): %s\n", errname(e));
  if (e != EBADF) failures++;
  e = __wasi_fd_close(1);
  fprintf(stderr, "fd_close(1) again: %s\n", errname(e));
  if (e != EBADF) failures++;
  e = write_str(2, "stderr still works\n");
  if (e != 0) failures++;
  return failures ? 1 : 0;
}
