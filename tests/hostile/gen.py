#!/usr/bin/env python3
"""Writes hostile C inputs for tests/cli/hostile.sh into a folder, at test
time (nothing big is committed). Usage: gen.py OUTDIR [CASE...]
Each case is one file (or a few) named after it; see CASES below."""
import os
import sys

# Sizes: big enough to be hostile, small enough that a run takes seconds.
DEEP = 50000        # nesting depth of parentheses and blocks
NFUNCS = 60000      # functions in one generated file
MACRO_LEVELS = 18   # 2**18 = 262,144 tokens from one macro use


def parens(out):
    with open(os.path.join(out, "parens.c"), "w") as f:
        f.write("int main(void)\n{\n    return ")
        f.write("(" * DEEP + "1" + ")" * DEEP)
        f.write(";\n}\n")


def parens_cap(out):
    # At stackcheck's -fbracket-depth cap (SC_MAX_BRACKET_DEPTH): must parse.
    with open(os.path.join(out, "parens_cap.c"), "w") as f:
        f.write("int main(void)\n{\n    return ")
        f.write("(" * 29990 + "1" + ")" * 29990)
        f.write(";\n}\n")


def blocks(out):
    with open(os.path.join(out, "blocks.c"), "w") as f:
        f.write("int main(void)\n{\n    int x = 0;\n")
        f.write("{" * DEEP + "x++;" + "}" * DEEP)
        f.write("\n    return x;\n}\n")


def manyfuncs(out):
    # A call chain f0 <- f1 <- ... <- f59999 <- main: deep for the path
    # search, wide for the linker; no recursion anywhere.
    with open(os.path.join(out, "manyfuncs.c"), "w") as f:
        f.write("int f0(int x) { return x + 1; }\n")
        for k in range(1, NFUNCS):
            f.write("int f%d(int x) { return f%d(x) + 1; }\n" % (k, k - 1))
        f.write("int main(void) { return f%d(0); }\n" % (NFUNCS - 1))


def macros(out):
    # E0 is two tokens; each level doubles. In an initializer the expansion
    # is flat (2**18 elements: analyzed); as a sum it nests 2**18 deep
    # (deeper than the front end follows: one error naming the file).
    defs = "#define E0 1,\n" + "".join(
        "#define E%d E%d E%d\n" % (k, k - 1, k - 1) for k in range(1, MACRO_LEVELS + 1))
    with open(os.path.join(out, "macros.c"), "w") as f:
        f.write(defs)
        f.write("static const int table[] = { E%d 0 };\n" % MACRO_LEVELS)
        f.write("int main(void) { return table[1]; }\n")
    with open(os.path.join(out, "macros_deep.c"), "w") as f:
        f.write(defs.replace("1,", "1 +", 1))
        f.write("int main(void)\n{\n    return E%d 0;\n}\n" % MACRO_LEVELS)


def include_cycle(out):
    # a.h and b.h include each other without guards: clang stops at its
    # include depth limit (an error in the file that includes them).
    with open(os.path.join(out, "cyc_a.h"), "w") as f:
        f.write('#include "cyc_b.h"\n')
    with open(os.path.join(out, "cyc_b.h"), "w") as f:
        f.write('#include "cyc_a.h"\n')
    with open(os.path.join(out, "include_cycle.c"), "w") as f:
        f.write('#include "cyc_a.h"\nint main(void) { return 0; }\n')


def nonutf8(out):
    # Latin-1 and invalid UTF-8 bytes inside a comment and a string.
    with open(os.path.join(out, "nonutf8.c"), "wb") as f:
        f.write(b"/* caf\xe9 \xff\xfe\xc3\x28 */\n")
        f.write(b'static const char s[] = "\xe9\xff\x80";\n')
        f.write(b"int main(void) { return s[0] != 0; }\n")


def nul(out):
    with open(os.path.join(out, "nul.c"), "wb") as f:
        f.write(b"int main(void) { return 0; }\n\0\0int x;\n")


def empty(out):
    open(os.path.join(out, "empty.c"), "w").close()


CASES = {
    "parens": parens,
    "parens_cap": parens_cap,
    "blocks": blocks,
    "manyfuncs": manyfuncs,
    "macros": macros,
    "include_cycle": include_cycle,
    "nonutf8": nonutf8,
    "nul": nul,
    "empty": empty,
}


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: gen.py OUTDIR [CASE...]\n")
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    names = sys.argv[2:] or list(CASES)
    for n in names:
        if n not in CASES:
            sys.stderr.write("gen.py: unknown case '%s'\n" % n)
            return 2
        CASES[n](out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
