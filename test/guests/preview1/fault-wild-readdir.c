// fd_readdir with its buffer or its bufused pointer outside linear memory:
// EFAULT; a listing into valid memory works afterwards.
#include "check.h"
#include "raw.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE);
  static uint8_t buf[256];
  static __wasi_size_t used;
  expect_errno("fd_readdir(buffer outside memory)", raw_fd_readdir(dir, WILD, 256, 0, (int32_t)&used), EFAULT);
  expect_errno("fd_readdir(buffer length past the end)", raw_fd_readdir(dir, (int32_t)buf, MEM_END, 0, (int32_t)&used), EFAULT);
  expect_errno("fd_readdir(bufused outside memory)", raw_fd_readdir(dir, (int32_t)buf, 256, 0, WILD), EFAULT);
  expect_errno("fd_readdir(valid)", raw_fd_readdir(dir, (int32_t)buf, 256, 0, (int32_t)&used), 0);
  expect_true("bufused > 0", used > 0);
  return finish();
}
