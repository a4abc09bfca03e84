/* This file writes the report atomically: into a temporary file in the
 * target's folder, synced and renamed over the target only when complete. */
#define _XOPEN_SOURCE 700 /* mkstemp, fsync, fchmod */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

int cli_output_open(CliOutput *o, const char *path, DiagSink *diags)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    /* An existing device or FIFO (-o /dev/null, a pipe) is written in
     * place: renaming a file over it would replace the device node itself
     * (as root, /dev/null would become a regular file). */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        o->fp = fopen(path, "w");
        if (!o->fp) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot write '%s': %s", path, strerror(errno));
            return -1;
        }
        o->path = path;
        o->direct = true;
        return 0;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    static const char tmpl[] = ".stackcheck-XXXXXX";
    char *tmp = mem_alloc(dirlen + sizeof tmpl);
    if (!tmp) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    memcpy(tmp, path, dirlen);
    memcpy(tmp + dirlen, tmpl, sizeof tmpl);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot write '%s': %s", path, strerror(errno));
        mem_free(tmp);
        return -1;
    }
    /* mkstemp makes the file 0600; a report gets the usual 0666 & ~umask. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot write '%s': %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        mem_free(tmp);
        return -1;
    }
    o->path = path;
    o->tmp_path = tmp;
    return 0;
}

void cli_output_discard(CliOutput *o)
{
    if (o->direct && o->fp)
        fclose(o->fp);
    if (o->tmp_path) {
        if (o->fp)
            fclose(o->fp);
        unlink(o->tmp_path);
        mem_free(o->tmp_path);
    }
    memset(o, 0, sizeof *o);
}

int cli_output_commit(CliOutput *o, DiagSink *diags)
{
    if (o->direct) {
        errno = 0;
        int bad = fflush(o->fp) != 0 || ferror(o->fp);
        int e = errno ? errno : EIO;
        if (fclose(o->fp) != 0 && !bad) {
            bad = 1;
            e = errno ? errno : EIO;
        }
        if (bad)
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot write '%s': %s", o->path, strerror(e));
        memset(o, 0, sizeof *o);
        return bad ? -1 : 0;
    }
    if (!o->tmp_path) {
        /* stdout: flush and check here; main closes it last. */
        errno = 0;
        if (fflush(o->fp) != 0 || ferror(o->fp)) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot write the report to standard output: %s",
                     strerror(errno ? errno : EIO));
            return -1;
        }
        return 0;
    }
    int err = 0;
    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        err = errno ? errno : EIO;
    if (!err && fsync(fileno(o->fp)) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    if (fclose(o->fp) != 0 && !err)
        err = errno ? errno : EIO;
    o->fp = NULL;
    if (!err && rename(o->tmp_path, o->path) != 0)
        err = errno;
    if (err) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot write '%s': %s", o->path, strerror(err));
        cli_output_discard(o);
        return -1;
    }
    mem_free(o->tmp_path);
    memset(o, 0, sizeof *o);
    return 0;
}
