// Runs the operations on its command line, one after the other, on fds the
// host handed it, and prints one line per operation: what the guest sees of
// a given or lent descriptor. The embedding tests (test/embed/) drive it.
//
//   fdstat FD          filetype, a few rights by name, fd flags
//   isatty FD          wasi-libc's isatty(): a character device without seek/tell rights
//   read FD N          fd_read of up to N bytes (shown as a string)
//   count FD N         fd_read of up to N bytes (only the count is shown)
//   write FD TEXT      fd_write
//   recv FD N / send FD TEXT    sock_recv / sock_send
//   seek FD OFFSET     fd_seek from the start
//   close FD           fd_close
//   renumber FD TO     fd_renumber
//   rights FD R,R,...  fd_fdstat_set_rights to exactly those rights (names below; "none" for none)
//   setflags FD F,...  fd_fdstat_set_flags (append, nonblock; "none")
//   prestat FD         the preopen name (fd_prestat_dir_name)
//   cat PATH           the file at PATH, through wasi-libc's preopen resolution
#include <fcntl.h>
#include <unistd.h>
#include "../preview1/check.h"

static const struct { const char *name; __wasi_rights_t bit; } RIGHT_NAMES[] = {
  { "read", __WASI_RIGHTS_FD_READ }, { "write", __WASI_RIGHTS_FD_WRITE }, { "seek", __WASI_RIGHTS_FD_SEEK },
  { "tell", __WASI_RIGHTS_FD_TELL }, { "stat", __WASI_RIGHTS_FD_FILESTAT_GET }, { "readdir", __WASI_RIGHTS_FD_READDIR },
  { "open", __WASI_RIGHTS_PATH_OPEN }, { "accept", __WASI_RIGHTS_SOCK_ACCEPT }, { "shutdown", __WASI_RIGHTS_SOCK_SHUTDOWN },
  { "poll", __WASI_RIGHTS_POLL_FD_READWRITE },
};
#define NRIGHTS (sizeof RIGHT_NAMES / sizeof RIGHT_NAMES[0])

static __wasi_rights_t parse_rights(const char *list) {
  __wasi_rights_t r = 0;
  if (strcmp(list, "none") == 0) return 0;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", list);
  for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
    size_t i;
    for (i = 0; i < NRIGHTS && strcmp(RIGHT_NAMES[i].name, tok) != 0; i++) {}
    if (i == NRIGHTS) {
      fprintf(stderr, "unknown right %s\n", tok);
      exit(2);
    }
    r |= RIGHT_NAMES[i].bit;
  }
  return r;
}

static void print_rights(__wasi_rights_t r) {
  const char *sep = "";
  for (size_t i = 0; i < NRIGHTS; i++) {
    if (r & RIGHT_NAMES[i].bit) {
      printf("%s%s", sep, RIGHT_NAMES[i].name);
      sep = ",";
    }
  }
  if (*sep == '\0') printf("none");
}

static __wasi_fd_t fd_arg(const char *s) { return (__wasi_fd_t)strtoul(s, NULL, 10); }

/** Prints `buf` as a quoted string (\n and non-printable bytes escaped) and a newline. */
static void show(const char *buf, size_t n) {
  printf("\"");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)buf[i];
    if (c == '\n') printf("\\n");
    else if (c >= 32 && c < 127) putchar(c);
    else printf("\\x%02x", c);
  }
  printf("\"\n");
}

int main(int argc, char **argv) {
  int i = 1;
#define NEED(k) do { if (i + (k) > argc) { fprintf(stderr, "%s: missing arguments\n", op); return 2; } } while (0)
  while (i < argc) {
    const char *op = argv[i++];
    if (strcmp(op, "fdstat") == 0) {
      NEED(1);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      __wasi_fdstat_t st;
      __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
      if (e != 0) {
        printf("fdstat %u: %s\n", fd, errname(e));
        continue;
      }
      printf("fdstat %u: filetype=%u rights=", fd, st.fs_filetype);
      print_rights(st.fs_rights_base);
      printf(" flags=%s%s%s\n", st.fs_flags & __WASI_FDFLAGS_APPEND ? "append" : "",
             (st.fs_flags & __WASI_FDFLAGS_APPEND) && (st.fs_flags & __WASI_FDFLAGS_NONBLOCK) ? "," : "",
             st.fs_flags & __WASI_FDFLAGS_NONBLOCK ? "nonblock" : (st.fs_flags & __WASI_FDFLAGS_APPEND ? "" : "none"));
    } else if (strcmp(op, "isatty") == 0) {
      NEED(1);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      printf("isatty %u: %d\n", fd, isatty((int)fd));
    } else if (strcmp(op, "count") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      size_t want = strtoul(argv[i++], NULL, 10);
      char buf[4096];
      __wasi_iovec_t iov = { (uint8_t *)buf, want < sizeof buf ? want : sizeof buf };
      __wasi_size_t got = 0;
      __wasi_errno_t e = __wasi_fd_read(fd, &iov, 1, &got);
      if (e != 0) printf("count %u: %s\n", fd, errname(e));
      else printf("count %u: %lu bytes\n", fd, (unsigned long)got);
    } else if (strcmp(op, "read") == 0 || strcmp(op, "recv") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      size_t want = strtoul(argv[i++], NULL, 10);
      char buf[4096];
      if (want > sizeof buf) want = sizeof buf;
      __wasi_iovec_t iov = { (uint8_t *)buf, want };
      __wasi_size_t got = 0;
      __wasi_roflags_t ro = 0;
      __wasi_errno_t e = strcmp(op, "read") == 0 ? __wasi_fd_read(fd, &iov, 1, &got) : __wasi_sock_recv(fd, &iov, 1, 0, &got, &ro);
      if (e != 0) printf("%s %u: %s\n", op, fd, errname(e));
      else {
        printf("%s %u: ", op, fd);
        show(buf, got);
      }
    } else if (strcmp(op, "write") == 0 || strcmp(op, "send") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      const char *text = argv[i++];
      __wasi_ciovec_t iov = { (const uint8_t *)text, strlen(text) };
      __wasi_size_t put = 0;
      __wasi_errno_t e = op[0] == 'w' ? __wasi_fd_write(fd, &iov, 1, &put) : __wasi_sock_send(fd, &iov, 1, 0, &put);
      if (e != 0) printf("%s %u: %s\n", op, fd, errname(e));
      else printf("%s %u: %lu\n", op, fd, (unsigned long)put);
    } else if (strcmp(op, "seek") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      __wasi_filedelta_t off = strtoll(argv[i++], NULL, 10);
      __wasi_filesize_t pos = 0;
      __wasi_errno_t e = __wasi_fd_seek(fd, off, __WASI_WHENCE_SET, &pos);
      if (e != 0) printf("seek %u: %s\n", fd, errname(e));
      else printf("seek %u: %llu\n", fd, (unsigned long long)pos);
    } else if (strcmp(op, "close") == 0) {
      NEED(1);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      printf("close %u: %s\n", fd, errname(__wasi_fd_close(fd)));
    } else if (strcmp(op, "renumber") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      __wasi_fd_t to = fd_arg(argv[i++]);
      printf("renumber %u %u: %s\n", fd, to, errname(__wasi_fd_renumber(fd, to)));
    } else if (strcmp(op, "rights") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      const char *list = argv[i++];
      printf("rights %u %s: %s\n", fd, list, errname(__wasi_fd_fdstat_set_rights(fd, parse_rights(list), 0)));
    } else if (strcmp(op, "setflags") == 0) {
      NEED(2);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      const char *list = argv[i++];
      __wasi_fdflags_t f = 0;
      if (strstr(list, "append")) f |= __WASI_FDFLAGS_APPEND;
      if (strstr(list, "nonblock")) f |= __WASI_FDFLAGS_NONBLOCK;
      printf("setflags %u %s: %s\n", fd, list, errname(__wasi_fd_fdstat_set_flags(fd, f)));
    } else if (strcmp(op, "prestat") == 0) {
      NEED(1);
      __wasi_fd_t fd = fd_arg(argv[i++]);
      __wasi_prestat_t ps;
      __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
      char name[256] = { 0 };
      if (e == 0 && ps.u.dir.pr_name_len < sizeof name) e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len);
      if (e != 0) printf("prestat %u: %s\n", fd, errname(e));
      else printf("prestat %u: %s\n", fd, name);
    } else if (strcmp(op, "cat") == 0) {
      NEED(1);
      const char *path = argv[i++];
      int fd = open(path, O_RDONLY);
      if (fd < 0) {
        printf("cat %s: %s\n", path, errname(errno));
        continue;
      }
      char buf[4096];
      ssize_t n = read(fd, buf, sizeof buf);
      close(fd);
      if (n < 0) printf("cat %s: %s\n", path, errname(errno));
      else {
        printf("cat %s: ", path);
        show(buf, (size_t)n);
      }
    } else {
      fprintf(stderr, "unknown operation %s\n", op);
      return 2;
    }
  }
  return 0;
}
