// Shared by the preview1 conformance guests (test/guests/preview1/*.c).
//
// Each guest checks ONE behaviour. Every check prints one line,
// "<what>: <observed>", and counts a failure when the observation differs
// from the expectation; the guest's exit status is 1 if any check failed.
// The sidecar <name>.json holds the exact expected stdout, so a mismatch is
// visible both as a diff of the output and as the exit code. Diagnostics go
// to stderr only.
//
// Errors are printed by their WASI names (E + the witx name in upper case):
// raw __wasi_* calls return WASI errnos, and wasi-libc's errno values are the
// same numbers, so one table serves both.
#ifndef IOLIFE_CHECK_H
#define IOLIFE_CHECK_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int check_failures;

static const char *const ERRNO_NAMES[] = {
  "OK", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY",
  "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET",
  "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH",
  "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR",
  "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET",
  "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK",
  "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY",
  "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM",
  "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH",
  "ESTALE", "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
};

/** The WASI name of errno value `e` ("OK" for 0). */
static inline const char *errname(int e) {
  static char buf[24];
  if (e >= 0 && e < (int)(sizeof ERRNO_NAMES / sizeof ERRNO_NAMES[0])) return ERRNO_NAMES[e];
  snprintf(buf, sizeof buf, "errno(%d)", e);
  return buf;
}

/** The errno a libc call left, or 0 when it succeeded (`r` >= 0). */
#define LIBC(r) ((r) < 0 ? errno : 0)

static inline void fail_line(const char *what) {
  check_failures++;
  fprintf(stderr, "FAILED: %s\n", what);
}

/** "<what>: <ERRNO name>"; a failure unless `got` == `want`. */
static inline void expect_errno(const char *what, int got, int want) {
  printf("%s: %s\n", what, errname(got));
  if (got != want) {
    fprintf(stderr, "  %s: got %s, want %s\n", what, errname(got), errname(want));
    fail_line(what);
  }
}

/** "<what>: <number>"; a failure unless `got` == `want`. */
static inline void expect_int(const char *what, long long got, long long want) {
  printf("%s: %lld\n", what, got);
  if (got != want) {
    fprintf(stderr, "  %s: got %lld, want %lld\n", what, got, want);
    fail_line(what);
  }
}

/** "<what>: <yes|no>"; a failure unless `cond` holds. */
static inline void expect_true(const char *what, int cond) {
  printf("%s: %s\n", what, cond ? "yes" : "no");
  if (!cond) fail_line(what);
}

/** "<what>: "<text>"" (the first `len` bytes of `got`); a failure unless they equal `want`. */
static inline void expect_bytes(const char *what, const void *got, size_t len, const char *want) {
  printf("%s: \"%.*s\"\n", what, (int)len, (const char *)got);
  if (len != strlen(want) || memcmp(got, want, len) != 0) fail_line(what);
}

/** A step that must succeed for the rest to make sense: no output line, exit 2 if it fails. */
static inline void must(const char *what, int err) {
  if (err != 0) {
    fprintf(stderr, "setup step failed: %s: %s\n", what, errname(err));
    printf("setup failed: %s: %s\n", what, errname(err));
    exit(2);
  }
}

/** The exit status: 0 when every check held. */
static inline int finish(void) {
  fflush(stdout);
  return check_failures == 0 ? 0 : 1;
}

/** The preopened directory named `name` (its fd), found by fd_prestat_dir_name; exits 2 if none. */
static inline __wasi_fd_t preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256];
    size_t n = ps.u.dir.pr_name_len;
    if (n >= sizeof buf || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, n) != 0) continue;
    if (n == strlen(name) && memcmp(buf, name, n) == 0) return fd;
  }
  must("find preopen", ENOENT);
  return 0;
}

/** The fixture directory every guest gets (a fresh copy per run). */
#define FIXTURE "fs-tests.dir"

/** path_open with explicit rights; returns the errno and stores the fd in *out. */
static inline __wasi_errno_t open_at(__wasi_fd_t dir, __wasi_lookupflags_t lookup, const char *path, __wasi_oflags_t oflags,
                              __wasi_rights_t base, __wasi_fdflags_t fdflags, __wasi_fd_t *out) {
  return __wasi_path_open(dir, lookup, path, oflags, base, base, fdflags, out);
}

/** Rights for a file that is read, written, sought and inspected. */
#define RIGHTS_RW                                                                                          \
  (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |        \
   __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | \
   __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES |            \
   __WASI_RIGHTS_POLL_FD_READWRITE | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC)

/**
 * Every right but SOCK_SHUTDOWN (no directory can have it), less those that
 * ask for write access to the directory itself, as wasi-libc's
 * open(O_RDONLY) leaves them out: a directory cannot be opened for writing
 * (EISDIR, see path_open-directory-write-rights.c).
 */
#define RIGHTS_DIR                                                                                   \
  ((__wasi_rights_t)0x0fffffff & ~(__WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | \
                                   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE))

/** Writes `text` (a whole C string) at the file's position; returns the errno. */
static inline __wasi_errno_t write_str(__wasi_fd_t fd, const char *text) {
  __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
  __wasi_size_t n;
  __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &n);
  if (e == 0 && n != iov.buf_len) return EIO;
  return e;
}

/** Creates (or truncates) `path` under `dir` with `text` as its contents; returns the errno. */
static inline __wasi_errno_t create_file(__wasi_fd_t dir, const char *path, const char *text) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, 0, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0, &fd);
  if (e != 0) return e;
  e = write_str(fd, text);
  __wasi_errno_t c = __wasi_fd_close(fd);
  return e != 0 ? e : c;
}

/** Reads up to `cap` bytes of `path` under `dir` into `buf`; stores the count in *len. Returns the errno. */
static inline __wasi_errno_t read_file(__wasi_fd_t dir, const char *path, char *buf, size_t cap, size_t *len) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, 0, path, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
  if (e != 0) return e;
  __wasi_iovec_t iov = {(uint8_t *)buf, cap};
  __wasi_size_t n = 0;
  e = __wasi_fd_read(fd, &iov, 1, &n);
  *len = n;
  (void)__wasi_fd_close(fd);
  return e;
}

#endif
