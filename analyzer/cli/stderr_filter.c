/* This file keeps libclang's crash dump off stderr while files are parsed.
 *
 * When libclang recovers from a crash inside a parse, it prints a block of
 * its own to stderr ("libclang: crash detected during parsing: {", the
 * file, the arguments, the options, "}"), and the parse returns
 * CXError_Crashed, which stackcheck reports in one line naming the file.
 * While files are parsed, fd 2 is a pipe; a thread copies what arrives to
 * the real stderr as it comes, except those blocks. A line is held back
 * only while it still reads as the start of the block's first line, so
 * nothing else is delayed or lost. The progress line, which has no line
 * ends, goes straight to the real stderr.
 *
 * With LIBCLANG_DISABLE_CRASH_RECOVERY set, a crash kills the process in
 * the middle of the parse, and a copy thread could lose what was printed
 * just before: stderr is left alone. */
#define _GNU_SOURCE /* pipe2 */
#include "cli.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char MARK[] = "libclang: crash detected during parsing: {\n";
#define MARK_LEN (sizeof MARK - 1)

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return; /* stderr gone: nothing better to do */
        p += w;
        n -= (size_t)w;
    }
}

/* States of the copy: at a line start (bytes held while they match MARK),
 * passing a line through, or dropping a block until a line "}". */
enum { AT_START, PASSING, IN_BLOCK };

static void *copy_thread(void *arg)
{
    CliStderrFilter *f = arg;
    char buf[4096];
    char held[MARK_LEN];
    size_t nheld = 0, blockcol = 0;
    bool block_close = false; /* the block's current line so far is "}" */
    int state = AT_START;
    ssize_t n;
    while ((n = read(f->read_fd, buf, sizeof buf)) > 0) {
        size_t run = 0; /* buf[run..k) passes through as one write */
        for (size_t k = 0; k < (size_t)n; k++) {
            char c = buf[k];
            if (state == PASSING) {
                if (c == '\n' || c == '\r') {
                    write_all(f->real_fd, buf + run, k + 1 - run);
                    run = k + 1;
                    state = AT_START;
                }
                continue;
            }
            if (state == IN_BLOCK) {
                if (c == '\n') {
                    if (block_close && blockcol == 1)
                        state = AT_START;
                    blockcol = 0;
                    block_close = false;
                } else {
                    block_close = blockcol == 0 && c == '}';
                    blockcol++;
                }
                run = k + 1;
                continue;
            }
            /* AT_START: hold while the line can still be MARK. */
            if (c == MARK[nheld]) {
                held[nheld++] = c;
                run = k + 1;
                if (nheld == MARK_LEN) {
                    nheld = 0;
                    state = IN_BLOCK;
                }
                continue;
            }
            write_all(f->real_fd, held, nheld);
            nheld = 0;
            run = k;
            state = (c == '\n' || c == '\r') ? AT_START : PASSING;
            if (state == AT_START) {
                write_all(f->real_fd, buf + k, 1);
                run = k + 1;
            }
        }
        if (state == PASSING && run < (size_t)n)
            write_all(f->real_fd, buf + run, (size_t)n - run);
    }
    write_all(f->real_fd, held, nheld);
    return NULL;
}

void cli_stderr_filter_begin(CliStderrFilter *f)
{
    memset(f, 0, sizeof *f);
    f->real_fd = f->read_fd = -1;
    f->direct = stderr;
    const char *norecover = getenv("LIBCLANG_DISABLE_CRASH_RECOVERY");
    if (norecover && *norecover)
        return;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return;
    fflush(stderr);
    f->real_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (f->real_fd < 0 || dup2(p[1], STDERR_FILENO) < 0) {
        if (f->real_fd >= 0)
            close(f->real_fd);
        close(p[0]);
        close(p[1]);
        f->real_fd = -1;
        return;
    }
    close(p[1]);
    f->read_fd = p[0];
    if (pthread_create(&f->thread, NULL, copy_thread, f) != 0) {
        dup2(f->real_fd, STDERR_FILENO);
        close(f->real_fd);
        close(f->read_fd);
        f->real_fd = f->read_fd = -1;
        return;
    }
    int dfd = fcntl(f->real_fd, F_DUPFD_CLOEXEC, 3);
    FILE *direct = dfd >= 0 ? fdopen(dfd, "w") : NULL;
    if (!direct) {
        if (dfd >= 0)
            close(dfd);
        f->on = true;
        cli_stderr_filter_end(f);
        return;
    }
    f->direct = direct;
    f->on = true;
}

void cli_stderr_filter_end(CliStderrFilter *f)
{
    if (!f->on)
        return;
    if (f->direct != stderr)
        fclose(f->direct);
    f->direct = stderr;
    fflush(stderr);
    /* fd 2 was the pipe's only write end: the copy sees end of file. */
    dup2(f->real_fd, STDERR_FILENO);
    pthread_join(f->thread, NULL);
    close(f->read_fd);
    close(f->real_fd);
    f->on = false;
}
