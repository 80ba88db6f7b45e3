// The wasi_snapshot_preview1 imports with the ABI's own signatures (pointers
// and lengths as plain i32), for guests that pass what wasi-libc's wrappers
// cannot express: wild pointers, paths with a NUL inside, lengths that lie.
#ifndef IOLIFE_RAW_H
#define IOLIFE_RAW_H
#include <stdint.h>

#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

RAW(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                                     int64_t base, int64_t inheriting, int32_t fdflags, int32_t out);
RAW(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t path_len, int32_t out);
RAW(path_create_directory) int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t path_len);
RAW(path_unlink_file) int32_t raw_path_unlink_file(int32_t fd, int32_t path, int32_t path_len);
RAW(path_remove_directory) int32_t raw_path_remove_directory(int32_t fd, int32_t path, int32_t path_len);
RAW(path_symlink) int32_t raw_path_symlink(int32_t old_path, int32_t old_len, int32_t fd, int32_t new_path, int32_t new_len);
RAW(path_rename) int32_t raw_path_rename(int32_t fd, int32_t old_path, int32_t old_len, int32_t new_fd, int32_t new_path,
                                         int32_t new_len);
RAW(path_link) int32_t raw_path_link(int32_t old_fd, int32_t flags, int32_t old_path, int32_t old_len, int32_t new_fd,
                                     int32_t new_path, int32_t new_len);
RAW(path_readlink) int32_t raw_path_readlink(int32_t fd, int32_t path, int32_t path_len, int32_t buf, int32_t buf_len,
                                             int32_t out);
RAW(fd_write) int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t out);
RAW(fd_read) int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t out);
RAW(fd_pread) int32_t raw_fd_pread(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t out);
RAW(fd_readdir) int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t buf_len, int64_t cookie, int32_t out);
RAW(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t fd, int32_t out);
RAW(fd_fdstat_get) int32_t raw_fd_fdstat_get(int32_t fd, int32_t out);
RAW(fd_seek) int32_t raw_fd_seek(int32_t fd, int64_t offset, int32_t whence, int32_t out);
RAW(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t fd, int32_t buf, int32_t len);
RAW(args_get) int32_t raw_args_get(int32_t argv, int32_t buf);
RAW(args_sizes_get) int32_t raw_args_sizes_get(int32_t argc, int32_t size);
RAW(environ_sizes_get) int32_t raw_environ_sizes_get(int32_t count, int32_t size);
RAW(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t out);
RAW(random_get) int32_t raw_random_get(int32_t buf, int32_t len);
RAW(proc_raise) int32_t raw_proc_raise(int32_t sig);
RAW(poll_oneoff) int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents);

/** An address past the end of any linear memory this program has (4 GiB - 16). */
#define WILD ((int32_t)0xfffffff0u)
/** The current end of linear memory: the first byte that is not there. */
#define MEM_END ((int32_t)(__builtin_wasm_memory_size(0) * 65536u))

#endif
