/* This file reads whole files safely and writes them atomically. */
#define _POSIX_C_SOURCE 200809L
#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

int file_read_all(const char *path, size_t max_bytes, char **out, size_t *len, char *err, size_t errsize)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errsize, "is a directory");
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errsize, "not a regular file");
        return -1;
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        snprintf(err, errsize, "larger than %zu bytes", max_bytes);
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1;
    char *buf = mem_alloc(cap);
    if (!buf) {
        close(fd);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    size_t n = 0;
    while (n < cap - 1) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errsize, "%s", strerror(errno));
            close(fd);
            mem_free(buf);
            return -1;
        }
        if (r == 0)
            break; /* the file shrank while we read: take what is there */
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Writes all of data to fd. Returns 0, or -1 with errno set. */
static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errsize)
{
    /* An existing device or FIFO (--emit-summary /dev/null) is written in
     * place: a rename would replace the device node itself. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        int dfd = open(path, O_WRONLY | O_CLOEXEC);
        if (dfd < 0 || write_all(dfd, data, len) != 0) {
            snprintf(err, errsize, "%s", strerror(errno));
            if (dfd >= 0)
                close(dfd);
            return -1;
        }
        if (close(dfd) != 0) {
            snprintf(err, errsize, "%s", strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t plen = strlen(path);
    char *tmp = mem_alloc(plen + 16);
    if (!tmp) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    /* The temporary file sits beside the target so rename stays in one
     * file system; mkstemp makes its name unique among parallel writers. */
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        mem_free(tmp);
        return -1;
    }
    int rc = write_all(fd, data, len);
    /* Reports are read by people and tools: make them readable like a file
     * the shell would create (mkstemp uses 0600). A fixed 0644, because
     * reading the umask means setting it, which races with other threads. */
    if (rc == 0 && fchmod(fd, 0644) != 0)
        rc = -1;
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        snprintf(err, errsize, "%s", strerror(saved));
        unlink(tmp);
    }
    mem_free(tmp);
    return rc;
}
