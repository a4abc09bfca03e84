/* Every fixed limit of stackcheck, each with why it exists, what happens when
 * it is hit, and how to raise it (SQLite's sqliteLimit.h). */
#ifndef STACKCHECK_LIMITS_H
#define STACKCHECK_LIMITS_H

/* Bytes in one arena chunk. Larger objects get a chunk of their own; this
 * only trades malloc calls for slack. */
#define SC_ARENA_CHUNK (64u * 1024u)

/* Most translation units one run reads. Past it the run stops with exit 2
 * ("too many input files"). Raise by editing this value; it only guards
 * 32-bit indexes. */
#define SC_MAX_FILES 4000000u

/* Stack size of the thread that runs libclang's parse: deeply nested C
 * (50,000 parentheses) recurses deeply inside clang. Hitting it would crash
 * libclang's own recovery; raise here. */
#define SC_PARSE_THREAD_STACK (512u * 1024u * 1024u)

/* Deepest nesting of AST cursors the front end follows. Deeper code is
 * reported as a parse error for that file (exit 2) rather than analyzed
 * partially. */
#define SC_MAX_AST_DEPTH 100000u

/* Guards and argument facts kept per call site for the convergence check;
 * beyond it the call site's facts are dropped (the check goes silent). */
#define SC_MAX_GUARDS 16u

/* (function, parameter) pairs the linker follows back through callers to
 * resolve one call through a parameter (`cb(x)`). Past it the call also
 * takes every address-taken function of its type (sound, less precise). */
#define SC_MAX_PARAM_TRACE 1024u

/* Largest -fbracket-depth=N a parse accepts (clang's default is 256). Each
 * nesting level costs clang about 10 KiB of stack, and 60,000 levels overflow
 * even the SC_PARSE_THREAD_STACK thread (a crash of the whole run); a larger
 * N is refused for that file (exit 2). Raise with SC_PARSE_THREAD_STACK. */
#define SC_MAX_BRACKET_DEPTH 30000u

/* Steps kept of each entry's deepest path. A program with many entry
 * points over one long chain (a library, generated code) would otherwise
 * keep entries x chain length steps; past the limit the path ends with a
 * "truncated" mark, and every function's own deepest callee (JSON
 * functions[].max_stack and the DOT graph) still leads on. Raise here. */
#define SC_MAX_PATH_STEPS 100u

/* Distinct flags clang does not know that a run reports once each (a
 * compile database's GCC-only flags); past that many, each file reports
 * its own. */
#define SC_MAX_UNKNOWN_FLAGS 64u

/* Functions the convergence check walks from a cycle to prove that no code
 * it can run writes a guarded struct member (non-convergent-recursion over
 * `p->m`). Past the limit it gives up: no finding for that cycle (sound,
 * less complete). Each walk is linear in the functions and edges it meets;
 * raise here. */
#define SC_MAX_CONV_REACH 10000u

/* File-scope static function pointers one TU tracks as possible sole
 * targets (a `static fn_t p = f;` only ever called through). Past it, more
 * such pointers are not tracked: calls through them stay possible calls
 * (inferred from their type), which a stack bound counts as well. */
#define SC_MAX_FILE_STATICS 256u

#endif
