/* Writes the cache's canonical form of a source file (cache/canon.h) to
 * standard output, or exits 3 when the file has none; for the test that
 * compares clang's tokens of both (tests/cli/canon_tokens.sh). */
#include <stdio.h>
#include <stdlib.h>

#include "cache/canon.h"
#include "util/fileio.h"
#include "util/mem.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sc_canon_dump FILE\n");
        return 2;
    }
    char *buf = NULL, err[256];
    size_t len = 0;
    if (file_read_all(argv[1], 1u << 30, &buf, &len, err, sizeof err) != 0) {
        fprintf(stderr, "sc_canon_dump: %s\n", err);
        return 2;
    }
    char *out = mem_alloc(len ? len : 1);
    size_t n = out ? canon_source(buf, len, out) : (size_t)-1;
    int rc = 3;
    if (n != (size_t)-1 && fwrite(out, 1, n, stdout) == n)
        rc = 0;
    mem_free(out);
    mem_free(buf);
    return rc;
}
