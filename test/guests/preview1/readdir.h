// fd_readdir helpers shared by the fd_readdir-* guests.
#ifndef IOLIFE_READDIR_H
#define IOLIFE_READDIR_H
#include "check.h"

struct entry {
  char name[64];
  __wasi_dircookie_t next;
  __wasi_inode_t ino;
  __wasi_filetype_t type;
};

/**
 * Parses the complete entries in buf[0..used) into out (at most max);
 * returns how many. An entry cut off at the end of the buffer is not
 * counted (the caller asks again from the last complete entry's d_next).
 */
static inline int parse_dirents(const uint8_t *buf, size_t used, struct entry *out, int max) {
  int n = 0;
  size_t at = 0;
  while (n < max && at + sizeof(__wasi_dirent_t) <= used) {
    __wasi_dirent_t d;
    memcpy(&d, buf + at, sizeof d);
    if (at + sizeof d + d.d_namlen > used) break;
    size_t len = d.d_namlen < 63 ? d.d_namlen : 63;
    memcpy(out[n].name, buf + at + sizeof d, len);
    out[n].name[len] = 0;
    out[n].next = d.d_next;
    out[n].ino = d.d_ino;
    out[n].type = d.d_type;
    n++;
    at += sizeof d + d.d_namlen;
  }
  return n;
}

static inline int by_name(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

#endif
