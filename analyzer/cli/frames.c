/* This file gathers compiler-measured frames for --frames: .su files next to
 * the inputs (auto), under a folder (su=DIR), or from running each compile
 * command with -fstack-usage into a temporary folder (compiler). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/fileio.h"
#include "util/mem.h"

#define FRAMES_SU_MAX_BYTES (64u * 1024u * 1024u)

/* Reads `path` into the table when it is a readable regular file. Returns 0
 * (read or absent), -1 when memory runs out. */
static int load_su_file(SuTable *t, const char *path, bool *found)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    char *text = NULL;
    size_t len = 0;
    char err[128];
    if (file_read_all(path, FRAMES_SU_MAX_BYTES, &text, &len, err, sizeof err) != 0)
        return 0;
    int rc = frame_su_parse(t, text, len);
    mem_free(text);
    *found = true;
    return rc;
}

/* auto: DIR/STEM.su beside the source, and ./STEM.su. */
static int load_beside(SuTable *t, const CliInput *in, bool *found)
{
    const char *p = in->path;
    const char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - base) : strlen(base);
    size_t dirn = slash ? (size_t)(slash - p) + 1 : 0;
    const char *wd = in->fo.working_dir && p[0] != '/' ? in->fo.working_dir : NULL;
    size_t need = (wd ? strlen(wd) + 1 : 0) + dirn + stem + 4;
    char *buf = mem_alloc(need);
    if (!buf)
        return -1;
    snprintf(buf, need, "%s%s%.*s%.*s.su", wd ? wd : "", wd ? "/" : "", (int)dirn, p, (int)stem,
             base);
    int rc = load_su_file(t, buf, found);
    if (rc == 0 && dirn) {
        snprintf(buf, need, "%.*s.su", (int)stem, base);
        rc = load_su_file(t, buf, found);
    }
    mem_free(buf);
    return rc;
}

/* Runs argv (never through a shell) in `dir` (NULL: here) with its output
 * discarded. Returns the exit status, or -1 when it could not run. */
static int run_argv(char *const *argv, const char *dir)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        if (dir && chdir(dir) != 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* compiler: CC -fstack-usage -c FILE -o TMP/N.o ARGS..., then TMP/N.su.
 * CC is $CC, else the compiler of the file's compile database entry (it
 * knows the entry's flags: arm-none-eabi-gcc and -mcpu), else cc. */
static int run_compiler(SuTable *t, const CliInput *in, size_t idx, const char *tmp, DiagSink *diags)
{
    const char *cc = getenv("CC");
    if (!cc || !cc[0])
        cc = in->compiler && in->compiler[0] ? in->compiler : "cc";
    char obj[4200], su[4200];
    int w1 = snprintf(obj, sizeof obj, "%s/%zu.o", tmp, idx);
    int w2 = snprintf(su, sizeof su, "%s/%zu.su", tmp, idx);
    if (w1 < 0 || w2 < 0 || (size_t)w1 >= sizeof obj || (size_t)w2 >= sizeof su)
        return 0;
    const char *words[] = {cc, "-fstack-usage", "-c", in->path, "-o", obj};
    size_t nw = sizeof words / sizeof words[0];
    size_t n = nw + in->fo.nargs + 1;
    char **argv = mem_calloc(n, sizeof *argv);
    if (!argv)
        return -1;
    bool oom = false;
    /* execvp takes mutable strings: hand it copies. */
    for (size_t k = 0; k < n - 1 && !oom; k++) {
        const char *w = k < nw ? words[k] : in->fo.args[k - nw];
        oom = !(argv[k] = mem_strdup(w));
    }
    int st = oom ? -1 : run_argv(argv, in->fo.working_dir);
    for (size_t k = 0; k < n; k++)
        mem_free(argv[k]);
    mem_free(argv);
    if (oom)
        return -1;
    bool found = false;
    int rc = st == 0 ? load_su_file(t, su, &found) : 0;
    if (rc == 0 && !found)
        diag_add(diags, DIAG_WARNING, in->path, 0, 0,
                 "no frames from the compiler ('%s' %s): its frames are estimated", cc,
                 st < 0 || st == 127 ? "could not run" : "failed"); /* 127: exec failed */
    unlink(su);
    unlink(obj);
    return rc;
}

int cli_load_frames(const CliOptions *o, const CliInput *in, size_t n, const CliInput *lib, size_t nlib,
                    SuTable *t, DiagSink *diags)
{
    int rc = 0;
    switch (o->frames) {
    case CLI_FRAMES_ESTIMATE:
        return 0;
    case CLI_FRAMES_SU: {
        char err[512];
        if (frame_su_load_dir(t, o->frames_dir, err, sizeof err) < 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: %s", o->frames_dir, err);
            return 1;
        }
        break;
    }
    case CLI_FRAMES_AUTO:
        for (size_t i = 0; i < n && rc == 0; i++) {
            bool found = false;
            rc = load_beside(t, &in[i], &found);
        }
        /* Pulled library members: beside their sources, relative to the
         * folder they were compiled in (one stat each, pulled ones only). */
        for (size_t i = 0; i < nlib && rc == 0; i++) {
            bool found = false;
            rc = load_beside(t, &lib[i], &found);
        }
        break;
    case CLI_FRAMES_COMPILER: {
        const char *base = getenv("TMPDIR");
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s/stackcheck-su.XXXXXX", base && base[0] ? base : "/tmp");
        if (!mkdtemp(tmp)) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: cannot create a temporary folder: %s", tmp,
                     strerror(errno));
            return 1;
        }
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = run_compiler(t, &in[i], i, tmp, diags);
        rmdir(tmp);
        break;
    }
    }
    if (rc != 0)
        return -1;
    frame_su_sort(t);
    return 0;
}
