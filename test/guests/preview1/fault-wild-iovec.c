// fd_write / fd_read / fd_pread with iovecs pointing outside linear memory:
// EFAULT, with nothing written or read, and the host does not crash. An
// iovec ending exactly at the end of memory is fine.
#include "check.h"
#include "raw.h"

int main(void) {
  __wasi_fd_t dir = preopen(FIXTURE), fd;
  must("open hello.txt", open_at(dir, 0, "hello.txt", 0, RIGHTS_RW, 0, &fd));
  // A page of our own at the end of memory (malloc never hands it out).
  int32_t page = (int32_t)(__builtin_wasm_memory_grow(0, 1) * 65536u);
  int32_t end = MEM_END;
  static __wasi_ciovec_t iov[2];
  static __wasi_size_t n;
  iov[0].buf = (const uint8_t *)"ok";
  iov[0].buf_len = 2;
  expect_errno("fd_write(iovs array outside memory)", raw_fd_write(1, WILD, 1, (int32_t)&n), EFAULT);
  expect_errno("fd_write(iovs array crossing the end)", raw_fd_write(1, end - 8, 2, (int32_t)&n), EFAULT);
  iov[1].buf = (const uint8_t *)(uintptr_t)(uint32_t)WILD;
  iov[1].buf_len = 4;
  expect_errno("fd_write(second iovec's buffer outside memory)", raw_fd_write(1, (int32_t)iov, 2, (int32_t)&n), EFAULT);
  iov[1].buf = (const uint8_t *)(uintptr_t)(uint32_t)(end - 4);
  iov[1].buf_len = 8;
  expect_errno("fd_write(buffer crossing the end)", raw_fd_write(1, (int32_t)iov, 2, (int32_t)&n), EFAULT);
  iov[1].buf = (const uint8_t *)(uintptr_t)(uint32_t)(end - 4);
  iov[1].buf_len = 0xfffffff0u;
  expect_errno("fd_write(length wrapping around 4 GiB)", raw_fd_write(1, (int32_t)iov, 2, (int32_t)&n), EFAULT);
  expect_errno("fd_write(nwritten outside memory)", raw_fd_write(1, (int32_t)iov, 1, WILD), EFAULT);
  __wasi_iovec_t riov = {(uint8_t *)(uintptr_t)(uint32_t)WILD, 4};
  expect_errno("fd_read(buffer outside memory)", raw_fd_read(fd, (int32_t)&riov, 1, (int32_t)&n), EFAULT);
  __wasi_filesize_t pos;
  must("fd_tell", __wasi_fd_tell(fd, &pos));
  expect_int("position unchanged", (long long)pos, 0);
  riov.buf = (uint8_t *)(uintptr_t)(uint32_t)(end - 5);
  riov.buf_len = 5;
  expect_errno("fd_pread(into the last 5 bytes of memory)", raw_fd_pread(fd, (int32_t)&riov, 1, 0, (int32_t)&n), 0);
  expect_bytes("read", (const char *)(uintptr_t)(uint32_t)(end - 5), n, "Hello");
  (void)page;
  return finish();
}
