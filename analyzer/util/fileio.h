/* Whole-file reads with a size limit, and atomic whole-file writes
 * (temporary file in the same folder, fsync, rename): a run killed at any
 * moment leaves the old file or the new one, never a torn one. */
#ifndef STACKCHECK_UTIL_FILEIO_H
#define STACKCHECK_UTIL_FILEIO_H

#include <stddef.h>

/* Reads the regular file `path` (at most max_bytes) into a new
 * NUL-terminated buffer (*out, free with mem_free; *len without the NUL).
 * Returns 0, or -1 with a reason ("no such file or directory", "is a
 * directory", "not a regular file", "larger than N bytes", "out of memory")
 * in err. Never opens a FIFO or device (it could block). */
int file_read_all(const char *path, size_t max_bytes, char **out, size_t *len, char *err, size_t errsize);

/* Writes `len` bytes to `path` atomically. Returns 0, or -1 with a reason
 * in err; on failure the temporary file is removed and `path` untouched.
 * An existing device or FIFO at `path` is written in place, never replaced. */
int file_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errsize);

#endif
