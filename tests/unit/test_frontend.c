/* Unit tests of the libclang front end: small C files written to a temporary
 * folder, parsed with fe_parse, and their summaries checked. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "frontend/fe.h"
#include "util/mem.h"

typedef struct Ctx {
    char dir[256];
    char resdir[4096];
    DiagSink diags;
    TuSummary *sum;
} Ctx;

static int setup(void **state)
{
    Ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    snprintf(c->dir, sizeof c->dir, "/tmp/sc_fe_XXXXXX");
    if (!mkdtemp(c->dir)) {
        free(c);
        return -1;
    }
    if (fe_find_resource_dir(c->resdir, sizeof c->resdir) != 0)
        c->resdir[0] = '\0';
    diag_init(&c->diags);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    Ctx *c = *state;
    sum_free(c->sum);
    diag_fini(&c->diags);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", c->dir);
    free(c);
    return 0;
}

/* Writes `text` to <dir>/<name> and returns the path (static buffer per ctx
 * call; copy it when two are needed). */
static const char *write_file(Ctx *c, const char *name, const char *text, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static FeStatus parse_args(Ctx *c, const char *name, const char *src, const char *const *args,
                           size_t nargs)
{
    const char *path = write_file(c, name, src, strlen(src));
    FeOptions o = {NULL, args, nargs, NULL, c->resdir[0] ? c->resdir : NULL};
    sum_free(c->sum);
    c->sum = NULL;
    diag_fini(&c->diags);
    diag_init(&c->diags);
    return fe_parse(&o, path, &c->sum, &c->diags);
}

/* Parses src (must succeed) and returns the summary. */
static const TuSummary *parse_ok(Ctx *c, const char *src)
{
    FeStatus st = parse_args(c, "t.c", src, NULL, 0);
    if (st != FE_OK)
        diag_print(&c->diags, stderr);
    assert_int_equal(st, FE_OK);
    assert_non_null(c->sum);
    return c->sum;
}

static const SumFunction *func(const TuSummary *s, const char *name)
{
    for (uint32_t i = 0; i < s->nfuncs; i++)
        if (strcmp(s->funcs[i].name, name) == 0)
            return &s->funcs[i];
    fail_msg("no function %s", name);
    return NULL;
}

/* The call in f on source line `line` to `callee` (NULL: any). */
static const SumCall *call_at(const SumFunction *f, unsigned line, const char *callee)
{
    for (uint32_t i = 0; i < f->ncalls; i++)
        if (f->calls[i].loc.line == line &&
            (!callee || strcmp(f->calls[i].callee_name, callee) == 0))
            return &f->calls[i];
    fail_msg("no call on line %u in %s", line, f->name);
    return NULL;
}

static unsigned count_calls(const SumFunction *f, const char *callee)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->ncalls; i++)
        if (strcmp(f->calls[i].callee_name, callee) == 0)
            n++;
    return n;
}

/* Is block `to` reachable from block `from`? */
static bool reaches(const SumFunction *f, uint32_t from, uint32_t to)
{
    bool *seen = calloc(f->nblocks, 1);
    uint32_t *stack = calloc(f->nblocks + 1, sizeof *stack);
    size_t n = 0;
    bool found = false;
    stack[n++] = from;
    seen[from] = true;
    while (n > 0 && !found) {
        uint32_t b = stack[--n];
        if (b == to)
            found = true;
        for (uint32_t k = 0; k < f->blocks[b].nsucc; k++) {
            uint32_t t = f->succ[f->blocks[b].succ_begin + k];
            if (!seen[t]) {
                seen[t] = true;
                stack[n++] = t;
            }
        }
    }
    free(seen);
    free(stack);
    return found;
}

/* Can some path from entry reach an exit of kind `kind`? */
static bool exit_reachable(const SumFunction *f, SumExit kind)
{
    for (uint32_t b = 0; b < f->nblocks; b++)
        if (f->blocks[b].exit == kind && reaches(f, 0, b))
            return true;
    return false;
}

static bool diag_has(const DiagSink *d, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].text, text))
            return true;
    return false;
}

static void test_functions_and_linkage(void **state)
{
    Ctx *c = *state;
    const char *hdr = "static inline int hin(int x) { return x * 2; }\n";
    write_file(c, "h.h", hdr, strlen(hdr));
    const TuSummary *s = parse_ok(c,
                                  "#include \"h.h\"\n"
                                  "static int helper(int x) { return x + 1; }\n"
                                  "int pub(int a, unsigned b, char *p) { return helper(a) + hin((int)b) + (p != 0); }\n"
                                  "int (*keep)(int) = helper;\n"
                                  "void vv(int n, ...) { (void)n; }\n");
    const SumFunction *h = func(s, "helper");
    assert_int_equal(h->linkage, SUM_LINK_INTERNAL);
    assert_string_equal(h->usr, "c:t.c@F@helper");
    assert_int_equal(h->loc.line, 2);
    assert_int_equal(h->loc.col, 12);
    assert_true(h->address_taken);
    assert_false(h->returns_void);
    assert_int_equal(h->ret_size, 4);
    const SumFunction *p = func(s, "pub");
    assert_int_equal(p->linkage, SUM_LINK_EXTERNAL);
    assert_string_equal(p->usr, "c:@F@pub");
    assert_false(p->address_taken);
    assert_int_equal(p->nparams, 3);
    assert_string_equal(p->params[1].name, "b");
    assert_true(p->params[1].is_unsigned);
    assert_int_equal(p->params[2].cls, SUM_CLASS_POINTER);
    assert_int_equal(p->params[2].size, 8);
    assert_int_equal(p->end.line, 3);
    /* The header's static inline is real code of this TU. */
    const SumFunction *hin = func(s, "hin");
    assert_int_equal(hin->linkage, SUM_LINK_INTERNAL);
    assert_non_null(strstr(hin->loc.file, "h.h"));
    const SumFunction *vv = func(s, "vv");
    assert_true(vv->is_variadic);
    assert_true(vv->returns_void);
    assert_true(s->ndeps >= 2);
    assert_non_null(strstr(s->deps[0], "t.c"));
}

static void test_direct_calls(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "int ext(int);\n"
                                  "static int loc(int x) { return x; }\n"
                                  "int f(int n) {\n"
                                  "    int a = ext(n);\n"
                                  "    return a + loc(n + 3);\n"
                                  "}\n");
    const SumFunction *f = func(s, "f");
    assert_int_equal(f->ncalls, 2);
    const SumCall *e = call_at(f, 4, "ext");
    assert_int_equal(e->kind, SUM_CALL_DIRECT);
    assert_string_equal(e->callee_usr, "c:@F@ext");
    assert_false(e->callee_internal);
    assert_int_equal(e->loc.col, 13);
    assert_true(e->reachable);
    const SumCall *l = call_at(f, 5, "loc");
    assert_true(l->callee_internal);
    assert_int_equal(l->loc.col, 16);
    assert_int_equal(l->nargs, 1);
    assert_int_equal(l->args[0].param, 0);
    assert_int_equal(l->args[0].offset, 3);
    assert_int_equal(l->args[0].size, 4);
}

static void test_indirect_calls(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "struct dev_ops { int (*read)(int, char *); };\n"
                                  "int g(struct dev_ops *ops, void (*cb)(void)) {\n"
                                  "    cb();\n"
                                  "    return ops->read(1, 0);\n"
                                  "}\n");
    const SumFunction *g = func(s, "g");
    assert_int_equal(g->ncalls, 2);
    const SumCall *cb = call_at(g, 3, NULL);
    assert_int_equal(cb->kind, SUM_CALL_INDIRECT);
    assert_string_equal(cb->callee_name, "cb");
    assert_string_equal(cb->fn_type, "void (void)");
    assert_null(cb->field);
    const SumCall *rd = call_at(g, 4, NULL);
    assert_int_equal(rd->kind, SUM_CALL_INDIRECT);
    assert_string_equal(rd->callee_name, "ops->read");
    assert_string_equal(rd->field, "struct dev_ops.read");
    assert_string_equal(rd->fn_type, "int (int, char *)");
    assert_int_equal(rd->nargs, 2);
}

static void test_locals_vla_alloca(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "void *alloca(unsigned long);\n"
                                  "void use(void *);\n"
                                  "void f(int n) {\n"
                                  "    char buf[100];\n"
                                  "    double d;\n"
                                  "    static int st;\n"
                                  "    extern int ex;\n"
                                  "    int vla[n];\n"
                                  "    use(buf); use(&d); use(&st); use(&ex); use(vla);\n"
                                  "}\n"
                                  "void g(int n) { use(alloca(n)); use(__builtin_alloca(8)); }\n");
    const SumFunction *f = func(s, "f");
    assert_int_equal(f->nlocals, 3);
    assert_string_equal(f->locals[0].name, "buf");
    assert_int_equal(f->locals[0].size, 100);
    assert_int_equal(f->locals[1].size, 8);
    assert_int_equal(f->locals[1].align, 8);
    assert_true(f->locals[2].vla);
    assert_int_equal(f->locals[2].size, 0);
    assert_false(f->has_alloca);
    const SumFunction *g = func(s, "g");
    assert_true(g->has_alloca);
    assert_int_equal(count_calls(g, "alloca"), 0);
    assert_int_equal(count_calls(g, "__builtin_alloca"), 0);
    assert_int_equal(count_calls(g, "use"), 2);
}

static void test_dead_calls(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "void exit(int);\n"
                                  "int d(int n) {\n"
                                  "    if (n == 1) { return 1; d(1); }\n"
                                  "    while (n) { break; d(2); }\n"
                                  "    for (int i = 0; i < n; i++) { continue; d(3); }\n"
                                  "    if (n == 2) { goto out; d(4); }\n"
                                  "    if (n == 3) { exit(1); d(5); }\n"
                                  "    if (0) d(6);\n"
                                  "    while (0) d(7);\n"
                                  "    d(8);\n"
                                  "out:\n"
                                  "    return 0;\n"
                                  "}\n");
    const SumFunction *f = func(s, "d");
    for (unsigned line = 3; line <= 9; line++)
        assert_false(call_at(f, line, "d")->reachable);
    assert_true(call_at(f, 10, "d")->reachable);
    const SumCall *ex = call_at(f, 7, "exit");
    assert_true(ex->callee_noreturn);
    assert_true(ex->reachable);
    assert_int_equal(f->blocks[ex->block].exit, SUM_EXIT_NORETURN);
    assert_int_equal(f->blocks[ex->block].nsucc, 0);
}

static void test_unevaluated_not_calls(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "int f(int x) {\n"
                                  "    int a = sizeof(f(x));\n"
                                  "    int b = _Generic(f(x), int: 1, default: 2);\n"
                                  "    __typeof__(f(x)) t = 0;\n"
                                  "    int al = _Alignof(int);\n"
                                  "    return a + b + t + al;\n"
                                  "}\n");
    const SumFunction *f = func(s, "f");
    assert_int_equal(f->ncalls, 0);
    assert_false(f->address_taken);
}

static void test_cfg_shapes(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "int a(void); int b(void); int k(void); void stop(void) __attribute__((noreturn));\n"
                                  "_Noreturn void halt(void);\n"
                                  "int ifelse(int n) {\n"
                                  "    if (n) a(); else b();\n"
                                  "    return k();\n"
                                  "}\n"
                                  "int sw(int n) {\n"
                                  "    switch (n) { case 1: a(); case 2: b(); break; }\n"
                                  "    return k();\n"
                                  "}\n"
                                  "int sc(int n) {\n"
                                  "    return (n && a()) + (n || b()) + (n ? k() : 0);\n"
                                  "}\n"
                                  "int inf(void) {\n"
                                  "    for (;;) { a(); }\n"
                                  "}\n"
                                  "int inf2(void) {\n"
                                  "    while (1) { if (a()) break; }\n"
                                  "    return 0;\n"
                                  "}\n"
                                  "void nr(int n) { if (n) stop(); halt(); k(); }\n"
                                  "int ge(int n) { return ({ int z = a(); z; }) , b(); }\n");
    const SumFunction *f = func(s, "ifelse");
    const SumCall *ca = call_at(f, 4, "a"), *cb = call_at(f, 4, "b"), *ck = call_at(f, 5, "k");
    assert_int_not_equal(ca->block, cb->block);
    assert_false(reaches(f, ca->block, cb->block));
    assert_false(reaches(f, cb->block, ca->block));
    assert_true(reaches(f, ca->block, ck->block));
    assert_true(reaches(f, cb->block, ck->block));

    f = func(s, "sw");
    ca = call_at(f, 8, "a");
    cb = call_at(f, 8, "b");
    ck = call_at(f, 9, "k");
    assert_true(reaches(f, ca->block, cb->block)); /* fallthrough */
    assert_true(reaches(f, 0, ck->block));
    assert_false(reaches(f, cb->block, ca->block));
    /* No default: the switch itself can skip both cases. */
    bool skip = false;
    for (uint32_t k = 0; k < f->blocks[0].nsucc; k++)
        if (f->succ[f->blocks[0].succ_begin + k] == ck->block)
            skip = true;
    assert_true(skip || reaches(f, 0, ck->block));

    f = func(s, "sc");
    ca = call_at(f, 12, "a");
    cb = call_at(f, 12, "b");
    ck = call_at(f, 12, "k");
    assert_int_not_equal(ca->block, 0);
    assert_int_not_equal(cb->block, ca->block);
    assert_int_not_equal(ck->block, cb->block);
    assert_true(ca->reachable && cb->reachable && ck->reachable);
    assert_false(ca->guards_known);

    f = func(s, "inf");
    assert_true(call_at(f, 15, "a")->reachable);
    assert_false(exit_reachable(f, SUM_EXIT_RETURN));
    f = func(s, "inf2");
    assert_true(exit_reachable(f, SUM_EXIT_RETURN));

    f = func(s, "nr");
    assert_true(call_at(f, 21, "stop")->callee_noreturn);
    assert_true(call_at(f, 21, "halt")->callee_noreturn);
    assert_false(call_at(f, 21, "k")->reachable);
    assert_false(exit_reachable(f, SUM_EXIT_RETURN));
    assert_true(exit_reachable(f, SUM_EXIT_NORETURN));

    f = func(s, "ge");
    assert_int_equal(f->ncalls, 2);
    assert_true(call_at(f, 22, "a")->reachable);
    assert_true(call_at(f, 22, "b")->reachable);
}

static bool writes_key(const SumFunction *f, const char *key)
{
    for (uint32_t i = 0; i < f->nwrites; i++)
        if (strcmp(f->writes[i], key) == 0)
            return true;
    return false;
}

/* Member guards over pointer parameters (p->i, (*p).i) and what a body
 * writes: member keys, and unknown writes. */
static void test_member_guards_and_writes(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
        "struct node { int i; unsigned u; volatile int v; struct node *next; unsigned char b; };\n"
        "union un { int i; float x; };\n"
        "void a(struct node *p) { if (p->i > 0) a(p); }\n"
        "void b(struct node *p) { if (p && !(*p).i) b(p); }\n"
        "void d(struct node *p) { if (p->u > 2u) d(p); if (p->v) d(p); }\n"
        "void e(struct node **pp) { if ((*pp)->i > 0) e(pp); }\n"
        "void g(union un *q) { if (q->i > 0) g(q); }\n"
        "void h(struct node *p) { p = p->next; if (p->i > 0) h(p); }\n"
        "void k(struct node *p) { if (p->b > 300) k(p); if (p->b) k(p); }\n"
        "int cnt; struct node gn;\n"
        "void w1(struct node *p) { int x = 0; p->i = 1; gn.u++; x++; }\n"
        "void w2(int *q) { *q = 1; }\n"
        "void w3(void) { cnt = 1; }\n"
        "void w4(struct node *p, struct node *r) { *p = *r; }\n"
        "void w5(union un *q) { q->x = 1.0f; }\n"
        "void w6(struct node *p) { __builtin_memset(p, 0, sizeof *p); }\n"
        "void w7(struct node *p) { int *q = &p->i; (void)q; if (__builtin_expect(p->u, 0)) return; }\n"
        "void zap(int *x);\n"
        "void w8(void) { int t __attribute__((cleanup(zap))) = 0; (void)t; }\n"
        "void w9(void) { __asm__(\"\"); }\n"
        "void w10(int n) { char buf[8]; buf[n] = 1; int m[2][2]; (void)m; }\n"
        "void w11(int n) { int m[2][2]; m[n][0] = 1; }\n");
    const SumCall *k = call_at(func(s, "a"), 3, "a");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_string_equal(k->guards[0].field, "struct node.i");
    assert_int_equal(k->guards[0].param, 0);
    assert_int_equal(k->guards[0].op, SUM_CMP_GT);
    assert_int_equal(k->guards[0].value, 0);
    k = call_at(func(s, "b"), 4, "b");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 2);
    assert_null(k->guards[0].field);
    assert_int_equal(k->guards[0].op, SUM_CMP_NE);
    assert_string_equal(k->guards[1].field, "struct node.i");
    assert_int_equal(k->guards[1].op, SUM_CMP_EQ);
    /* An unsigned comparison, a volatile member: not understood. */
    const SumFunction *f = func(s, "d");
    assert_false(f->calls[0].guards_known);
    assert_false(f->calls[1].guards_known);
    /* Through *pp (which may change), a union member, a modified p. */
    assert_false(call_at(func(s, "e"), 6, "e")->guards_known);
    assert_false(call_at(func(s, "g"), 7, "g")->guards_known);
    assert_false(call_at(func(s, "h"), 8, "h")->guards_known);
    /* p->b > 300 can never hold for an unsigned char; p->b (truth) is fine. */
    f = func(s, "k");
    assert_false(f->calls[0].guards_known);
    assert_true(f->calls[1].guards_known);
    assert_string_equal(f->calls[1].guards[0].field, "struct node.b");

    f = func(s, "a");
    assert_false(f->writes_unknown);
    assert_int_equal(f->nwrites, 0);
    f = func(s, "w1");
    assert_true(writes_key(f, "struct node.i"));
    assert_true(writes_key(f, "struct node.u"));
    assert_false(f->writes_unknown);
    assert_true(func(s, "w2")->writes_unknown);
    /* A store to a scalar of static storage names it ("var " + its USR). */
    f = func(s, "w3");
    assert_false(f->writes_unknown);
    assert_int_equal(f->nwrites, 1);
    assert_int_equal(strncmp(f->writes[0], "var c:", 6), 0);
    assert_non_null(strstr(f->writes[0], "@cnt"));
    assert_true(func(s, "w4")->writes_unknown);
    f = func(s, "w5");
    assert_true(f->writes_unknown);
    assert_true(writes_key(f, "union un.x"));
    assert_true(func(s, "w6")->writes_unknown);
    f = func(s, "w7");
    assert_false(f->writes_unknown);
    assert_true(writes_key(f, "struct node.i"));
    /* cleanup(zap) calls zap unseen; inline assembly. */
    assert_true(func(s, "w8")->writes_unknown);
    assert_true(func(s, "w9")->writes_unknown);
    /* An element of a local array is its own storage; deeper is unknown. */
    assert_false(func(s, "w10")->writes_unknown);
    assert_true(func(s, "w11")->writes_unknown);
}

static void test_guards_and_args(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "void exit(int);\n"
                                  "void p(int n) { if (n < 1) p(n - 1); }\n"
                                  "void q(int n) { if (n == 0) return; q(n - 1); }\n"
                                  "void r(int flag) { if (flag) r(flag); }\n"
                                  "void t(int n) { if (n > 5) exit(0); t(n + 1); }\n"
                                  "void u(int n) { n--; if (n > 0) u(n); }\n"
                                  "void v(int n) { while (n) { v(n / 2); } }\n"
                                  "void w(int *p, int n) { if (p != ((void *)0) && n >= 3) w(p, 2 + n); else w(p, n); }\n");
    const SumCall *k = call_at(func(s, "p"), 2, "p");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].param, 0);
    assert_int_equal(k->guards[0].op, SUM_CMP_LT);
    assert_int_equal(k->guards[0].value, 1);
    assert_int_equal(k->args[0].param, 0);
    assert_int_equal(k->args[0].offset, -1);

    k = call_at(func(s, "q"), 3, "q");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_NE);
    assert_int_equal(k->guards[0].value, 0);

    k = call_at(func(s, "r"), 4, "r");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_NE);
    assert_int_equal(k->args[0].param, 0);
    assert_int_equal(k->args[0].offset, 0);

    k = call_at(func(s, "t"), 5, "t");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_LE);
    assert_int_equal(k->guards[0].value, 5);
    assert_int_equal(k->args[0].offset, 1);

    const SumFunction *u = func(s, "u");
    assert_true(u->params[0].modified);
    assert_false(call_at(u, 6, "u")->guards_known);

    /* In a loop body: the first iteration runs it when the condition
     * holds on entry. */
    k = call_at(func(s, "v"), 7, "v");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_NE);
    assert_int_equal(k->guards[0].value, 0);
    assert_int_equal(k->args[0].param, -1);

    const SumFunction *w = func(s, "w");
    const SumCall *w1 = &w->calls[0], *w2 = &w->calls[1];
    assert_true(w1->guards_known);
    assert_int_equal(w1->nguards, 2);
    assert_int_equal(w1->guards[0].op, SUM_CMP_NE);
    assert_int_equal(w1->guards[0].value, 0);
    assert_int_equal(w1->guards[1].param, 1);
    assert_int_equal(w1->guards[1].op, SUM_CMP_GE);
    assert_int_equal(w1->args[1].param, 1);
    assert_int_equal(w1->args[1].offset, 2);
    assert_false(w2->guards_known); /* negation of && is not understood */
}

/* The sole target of the last indirect call on `line` of f, or NULL. */
static const char *sole_at(const TuSummary *s, const char *f, unsigned line)
{
    const SumFunction *fn = func(s, f);
    const SumCall *k = NULL;
    for (uint32_t i = 0; i < fn->ncalls; i++)
        if (fn->calls[i].loc.line == line && fn->calls[i].kind == SUM_CALL_INDIRECT)
            k = &fn->calls[i];
    if (!k)
        fail_msg("no indirect call on line %u in %s", line, f);
    if (k->sole_usr)
        assert_non_null(k->sole_name);
    else
        assert_null(k->sole_name);
    return k->sole_usr;
}

static void test_sole_targets(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "void g(int); void h(void (*)(int)); int use(void *);\n"
                                  "static void st(int n) { (void)n; }\n"
                                  "void a(int n) { void (*p)(int) = a; if (n > 0) p(n - 1); }\n"
                                  "void b(int n) { static void (*q)(int) = &b; (*q)(n); }\n"
                                  "void c(int n) { void (*p)(int); p = (void (*)(int))st; ((p))(n); }\n"
                                  "void d(int n) { void (*p)(int) = d; p = g; p(n); }\n"
                                  "void e(int n) { void (*p)(int) = e; h(p); p(n); }\n"
                                  "void f(int n) { void (*p)(int) = f; int z = sizeof p; p(n + z); }\n"
                                  "void k(int n) { void (*p)(int) = k; if (p) p(n); }\n"
                                  "void l(int n) { void (* volatile p)(int) = l; p(n); }\n"
                                  "void m(int n) { void (*p)(int); p = m; p = m; p(n); }\n"
                                  "void o(int n) { void (*p)(int) = o; void (**pp)(int) = &p; (*pp)(n); p(n); }\n"
                                  "void r(int n) { void (*p)(int) = r; __asm__(\"\" : \"=r\"(p)); p(n); }\n"
                                  "void t(int n) { void (*p)(int) = n ? t : g; p(n); }\n"
                                  "void u(int n) { void (*p)(int); p(n); }\n"
                                  "void w(int n) { void (*p)(int) = w; p += 0; p(n); }\n"
                                  "void x(int n) { void (*p)(int) = x; use(&p); p(n); }\n"
                                  "void y(int n) { void (*p)(int) = 0; p = y; p(n); }\n"
                                  "void z(int n) { extern void (*gp)(int); gp(n); }\n");
    assert_string_equal(sole_at(s, "a", 3), "c:@F@a");
    const SumCall *k = call_at(func(s, "a"), 3, NULL);
    assert_string_equal(k->sole_name, "a");
    assert_false(k->sole_internal);
    assert_true(k->guards_known); /* nothing else changes */
    assert_string_equal(sole_at(s, "b", 4), "c:@F@b"); /* static local, &b, (*q)(n) */
    k = call_at(func(s, "c"), 5, NULL);
    assert_string_equal(k->sole_usr, "c:t.c@F@st"); /* one assignment, through a cast */
    assert_string_equal(k->sole_name, "st");
    assert_true(k->sole_internal);
    assert_null(sole_at(s, "d", 6));   /* assigned again */
    assert_null(sole_at(s, "e", 7));   /* passed as an argument */
    assert_null(sole_at(s, "f", 8));   /* sizeof p: not understood */
    assert_null(sole_at(s, "k", 9));   /* read in a condition */
    assert_null(sole_at(s, "l", 10));  /* volatile */
    assert_null(sole_at(s, "m", 11));  /* two assignments */
    assert_null(call_at(func(s, "o"), 12, "(*pp)")->sole_usr); /* &p */
    assert_null(call_at(func(s, "o"), 12, "p")->sole_usr);
    assert_null(sole_at(s, "r", 13));  /* an asm output */
    assert_null(sole_at(s, "t", 14));  /* not one function */
    assert_null(sole_at(s, "u", 15));  /* no value */
    assert_null(sole_at(s, "w", 16));  /* compound assignment */
    assert_null(sole_at(s, "x", 17));  /* address passed */
    assert_null(sole_at(s, "y", 18));  /* an initializer and an assignment */
    assert_null(sole_at(s, "z", 19));  /* a global */
    /* The designator still counts as address-taken for other pointers. */
    assert_true(func(s, "st")->address_taken);
    /* Direct calls never carry one. */
    assert_null(call_at(func(s, "e"), 7, "h")->sole_usr);
}

/* File-scope static pointers: a sole target when the whole TU only calls
 * through them; any other use anywhere (a global initializer, a body, an
 * unevaluated operand) refuses. */
static void test_file_static_targets(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "void g(int); int use(void *);\n"
                                  "void a(int n); void b(int n); void d(int n); void e(int n); void f(int n);\n"
                                  "static void (*pa)(int) = a;\n"
                                  "static void (*const pb)(int) = (void (*)(int))&b;\n"
                                  "static void (*pd)(int) = d; static void (**slot)(int) = &pd;\n"
                                  "static void (*pe)(int) = e;\n"
                                  "static void (*pf)(int) = f;\n"
                                  "static void (*volatile pv)(int) = g;\n"
                                  "void (*pub)(int) = g;\n"
                                  "static void (*pn)(int);\n"
                                  "void a(int n) { pa(n); }\n"
                                  "void b(int n) { (*pb)(n); }\n"
                                  "void d(int n) { pd(n); (void)slot; }\n"
                                  "void e(int n) { pe(n); if (n) pe = g; }\n"
                                  "void f(int n) { pf(n + (int)sizeof pf); }\n"
                                  "void h(int n) { pv(n); pub(n); pn(n); }\n");
    assert_string_equal(sole_at(s, "a", 11), "c:@F@a");
    assert_string_equal(sole_at(s, "b", 12), "c:@F@b"); /* const, through a cast and & */
    assert_null(sole_at(s, "d", 13)); /* its address in a global initializer */
    assert_null(sole_at(s, "e", 14)); /* assigned in a body */
    assert_null(sole_at(s, "f", 15)); /* sizeof pf: not a call */
    assert_null(call_at(func(s, "h"), 16, "pv")->sole_usr);  /* volatile */
    assert_null(call_at(func(s, "h"), 16, "pub")->sole_usr); /* not static */
    assert_null(call_at(func(s, "h"), 16, "pn")->sole_usr);  /* no initializer */
}

static void test_builtins(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "typedef unsigned long size_t;\n"
                                  "void *malloc(size_t n) { return __builtin_malloc(n); }\n"
                                  "static void *memset(void *d, int v, size_t n) { return __builtin_memset(d, v, n); }\n"
                                  "void abort(void) { __builtin_abort(); }\n"
                                  "int popcount(unsigned x) { return __builtin_popcount(x); }\n"
                                  "void *other(size_t n) { return __builtin_malloc(n); }\n"
                                  "void jump(void **buf, int n) { if (n) __builtin_longjmp(buf, 1); jump(buf, n - 1); }\n"
                                  "void trap(int n) { if (n) __builtin_trap(); trap(n - 1); }\n");
    const SumFunction *f = func(s, "malloc");
    assert_int_equal(f->ncalls, 1);
    const SumCall *k = call_at(f, 2, "malloc");
    assert_int_equal(k->kind, SUM_CALL_DIRECT);
    assert_string_equal(k->callee_usr, "c:@F@malloc");
    assert_false(k->callee_internal);
    assert_int_equal(k->args[0].param, 0);
    assert_true(k->reachable);
    f = func(s, "memset");
    k = call_at(f, 3, "memset");
    assert_string_equal(k->callee_usr, f->usr);
    assert_true(k->callee_internal);
    k = call_at(func(s, "abort"), 4, "abort");
    assert_true(k->callee_noreturn);
    /* No library function of that name: a builtin, not a call. */
    assert_int_equal(func(s, "popcount")->ncalls, 0);
    /* Elsewhere __builtin_malloc stays what it was. */
    assert_int_equal(func(s, "other")->ncalls, 0);
    /* __builtin_longjmp ends its block like __builtin_trap: a way out. */
    const char *names[] = {"jump", "trap"};
    for (int i = 0; i < 2; i++) {
        f = func(s, names[i]);
        assert_int_equal(f->ncalls, 1);
        assert_true(exit_reachable(f, SUM_EXIT_NORETURN));
        assert_int_equal(count_calls(f, "__builtin_longjmp"), 0);
        /* The base case's block ends there, without successors. */
        const SumCall *rec = call_at(f, 7 + (unsigned)i, names[i]);
        assert_true(reaches(f, 0, rec->block));
        for (uint32_t b = 0; b < f->nblocks; b++)
            if (f->blocks[b].exit == SUM_EXIT_NORETURN)
                assert_int_equal(f->blocks[b].nsucc, 0);
    }
}

static void test_incdec_args(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "void g(int); void h(int, int); int gi(int);\n"
                                  "void a(int n) { if (n > 0) a(n--); }\n"
                                  "void b(int n) { if (n > 0) b(--n); }\n"
                                  "void c(int n) { if (n < 0) c((n++)); }\n"
                                  "void d(long n) { if (n < 9) d(++n); }\n"
                                  "void e(int n) { if (n > 0) { e(n--); g(n); } }\n"
                                  "void f(int n) { g(n--); if (n > 0) f(n); }\n"
                                  "void i(int n) { if (n > 0) h(n--, n); }\n"
                                  "void j(int n) { if (n > 0) j(n--); j(n--); }\n"
                                  "void k(int n) { if (n > 0) h(n, (k(n--), 1)); }\n"
                                  "void l(int n) { n--; if (n > 0) l(n); }\n"
                                  "void m(int n) { int *q = &n; if (n > 0) m((*q)--); }\n"
                                  "void o(int *p) { if (p) o(p++); }\n"
                                  "_Bool q(_Bool x) { return x ? q(--x) : 0; }\n"
                                  "void r(int n) { do r(n--); while (n); }\n"
                                  "void s(int n) { __asm__(\"\" : \"+r\"(n)); if (n > 0) s(n); }\n");
    const SumFunction *f = func(s, "a");
    assert_false(f->params[0].modified);
    const SumCall *k = call_at(f, 2, "a");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_GT);
    assert_int_equal(k->args[0].param, 0);
    assert_int_equal(k->args[0].offset, 0);
    k = call_at(func(s, "b"), 3, "b");
    assert_false(func(s, "b")->params[0].modified);
    assert_int_equal(k->args[0].param, 0);
    assert_int_equal(k->args[0].offset, -1);
    k = call_at(func(s, "c"), 4, "c");
    assert_true(k->guards_known);
    assert_int_equal(k->args[0].param, 0);
    assert_int_equal(k->args[0].offset, 0);
    k = call_at(func(s, "d"), 5, "d");
    assert_int_equal(k->args[0].param, 0);
    assert_int_equal(k->args[0].offset, 1);
    /* n is looked at after the change, by the same call, by a call that
     * holds it, or changed twice: modified, as before. */
    const char *mod[] = {"e", "f", "i", "j", "k", "l", "m", "r", "s"};
    for (size_t x = 0; x < sizeof mod / sizeof *mod; x++) {
        f = func(s, mod[x]);
        if (!f->params[0].modified)
            fail_msg("'%s': n is not modified", mod[x]);
        for (uint32_t y = 0; y < f->ncalls; y++)
            if (f->calls[y].callee_name && strcmp(f->calls[y].callee_name, mod[x]) == 0)
                assert_false(f->calls[y].nargs && f->calls[y].args[0].param == 0 &&
                             f->calls[y].guards_known && f->calls[y].nguards > 0);
    }
    assert_int_equal(call_at(func(s, "e"), 6, "e")->args[0].param, -1);
    /* A pointer may be called through: p++ keeps it modified. */
    f = func(s, "o");
    assert_true(f->params[0].modified);
    assert_int_equal(call_at(f, 13, "o")->args[0].param, -1);
    /* --x on a _Bool is not x - 1. */
    assert_int_equal(call_at(func(s, "q"), 14, "q")->args[0].param, -1);
}

static void test_loop_guards(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "int g(int);\n"
                                  "void a(int n) { while (n) a(n--); }\n"
                                  "void b(int n) { while (n < 1) { b(n - 1); } }\n"
                                  "void d(int n) { for (; n > 0;) d(n - 1); }\n"
                                  "void e(int n) { do { e(n - 1); } while (n); }\n"
                                  "void f(int n) { while (n > 0) { if (n > 5) return; f(n - 1); } }\n"
                                  "void h(int n) { while (n > 0) { if (g(n)) break; h(n - 1); } }\n"
                                  "void i(int n) { while (g(n)) i(n - 1); }\n"
                                  "void j(int n) { for (int k = 0; k < n; k++) j(n - 1); }\n"
                                  "void k(int n) { for (;; g(n)) k(n - 1); }\n"
                                  "void l(int n) { for (;; l(n - 1)) if (n) return; }\n"
                                  "void m(int n) { do { g(0); } while (m(n - 1), n); }\n"
                                  "void o(int n) { while (1) { o(n - 1); } }\n"
                                  "void p(int n) { while (n > 0) { g(0); continue; p(n - 1); } }\n"
                                  "int q(int n) { while (n > 0) return g(q(n - 1)); return 0; }\n");
    const SumCall *k = call_at(func(s, "a"), 2, "a");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_NE);
    assert_int_equal(k->args[0].offset, 0);
    k = call_at(func(s, "b"), 3, "b");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 1);
    assert_int_equal(k->guards[0].op, SUM_CMP_LT);
    assert_int_equal(k->guards[0].value, 1);
    k = call_at(func(s, "d"), 4, "d");
    assert_true(k->guards_known);
    assert_int_equal(k->guards[0].op, SUM_CMP_GT);
    k = call_at(func(s, "e"), 5, "e");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 0);
    k = call_at(func(s, "f"), 6, "f");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 2); /* n <= 5 (the exit before it), n > 0 (the loop) */
    assert_int_equal(k->guards[0].op, SUM_CMP_LE);
    assert_int_equal(k->guards[1].op, SUM_CMP_GT);
    assert_false(call_at(func(s, "h"), 7, "h")->guards_known); /* a break before it */
    assert_false(call_at(func(s, "i"), 8, "i")->guards_known); /* condition not understood */
    assert_false(call_at(func(s, "j"), 9, "j")->guards_known);
    k = call_at(func(s, "k"), 10, "k");
    assert_true(k->guards_known); /* for (;;): the first iteration always runs */
    assert_int_equal(k->nguards, 0);
    assert_false(call_at(func(s, "l"), 11, "l")->guards_known); /* in the increment */
    assert_false(call_at(func(s, "m"), 12, "m")->guards_known); /* in a do condition */
    k = call_at(func(s, "o"), 13, "o");
    assert_true(k->guards_known);
    assert_int_equal(k->nguards, 0);
    assert_false(call_at(func(s, "p"), 14, "p")->guards_known); /* after a continue */
    k = call_at(func(s, "q"), 15, "q"); /* an argument, under a return */
    assert_true(k->guards_known);
    assert_int_equal(k->guards[0].op, SUM_CMP_GT);
    assert_true(call_at(func(s, "q"), 15, "g")->guards_known);
}

static void test_attributes(void **state)
{
    Ctx *c = *state;
    const TuSummary *s = parse_ok(c,
                                  "__attribute__((annotate(\"stackcheck:max_depth=64\"))) int deep(int n) { return n ? deep(n - 1) : 0; }\n"
                                  "_Noreturn void die(void) { for (;;) {} }\n"
                                  "__attribute__((interrupt)) void isr(void *frame) { (void)frame; }\n");
    assert_int_equal(func(s, "deep")->max_depth, 64);
    assert_true(func(s, "die")->is_noreturn);
    assert_true(func(s, "isr")->is_interrupt);
    assert_false(func(s, "deep")->is_interrupt);
}

static void test_bad_inputs(void **state)
{
    Ctx *c = *state;
    FeOptions o = {NULL, NULL, 0, NULL, NULL};
    char path[600];
    TuSummary *s = NULL;

    snprintf(path, sizeof path, "%s/missing.c", c->dir);
    assert_int_equal(fe_parse(&o, path, &s, &c->diags), FE_EINPUT);
    assert_null(s);
    assert_true(diag_has(&c->diags, "no such file or directory"));
    assert_string_equal(c->diags.items[c->diags.n - 1].file, path);

    snprintf(path, sizeof path, "%s/sub.c", c->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(fe_parse(&o, path, &s, &c->diags), FE_EINPUT);
    assert_true(diag_has(&c->diags, "is a directory"));

    snprintf(path, sizeof path, "%s/fifo.c", c->dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(fe_parse(&o, path, &s, &c->diags), FE_EINPUT);
    assert_true(diag_has(&c->diags, "not a regular file"));

    const char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0";
    assert_int_equal(fe_parse(&o, write_file(c, "bin.c", bin, sizeof bin), &s, &c->diags),
                     FE_EINPUT);
    assert_true(diag_has(&c->diags, "not a C source file (binary data)"));

    assert_int_equal(fe_parse(&o, write_file(c, "notes.txt", "hello\n", 6), &s, &c->diags),
                     FE_EINPUT);
    assert_true(diag_has(&c->diags, "not a C source file (expected a .c file)"));

    assert_int_equal(parse_args(c, "bad.c", "int main(void) { return 0 }\n", NULL, 0), FE_EPARSE);
    assert_null(c->sum);
    assert_true(c->diags.nerrors >= 1);
    assert_int_equal(c->diags.items[0].line, 1);
    assert_int_equal(c->diags.items[0].col, 26);
    assert_true(diag_has(&c->diags, "expected ';'"));

    assert_int_equal(parse_args(c, "inc.c", "#include \"nope.h\"\nint x;\n", NULL, 0), FE_EPARSE);
    assert_true(diag_has(&c->diags, "'nope.h' file not found"));
}

static void test_builtin_headers(void **state)
{
    Ctx *c = *state;
    char dir[4096];
    assert_int_equal(fe_find_resource_dir(dir, sizeof dir), 0);
    char p[4200];
    snprintf(p, sizeof p, "%s/include/stddef.h", dir);
    assert_int_equal(access(p, R_OK), 0);
    const TuSummary *s = parse_ok(c,
                                  "#include <stddef.h>\n#include <stdarg.h>\n"
                                  "size_t sum(int n, ...) { va_list ap; va_start(ap, n); size_t r = va_arg(ap, int); va_end(ap); return r; }\n");
    assert_true(func(s, "sum")->is_variadic);
    /* And without naming the resource directory. */
    FeOptions o = {NULL, NULL, 0, NULL, NULL};
    TuSummary *s2 = NULL;
    char path[600];
    snprintf(path, sizeof path, "%s/t.c", c->dir);
    assert_int_equal(fe_parse(&o, path, &s2, &c->diags), FE_OK);
    sum_free(s2);
    char ver[256];
    fe_clang_version(ver, sizeof ver);
    assert_non_null(strstr(ver, "clang version"));
}

static void test_deep_nesting(void **state)
{
    Ctx *c = *state;
    const size_t n = 20000;
    size_t len = 64 + 2 * n;
    char *src = malloc(len);
    assert_non_null(src);
    size_t k = (size_t)snprintf(src, len, "int deep(int x) { return ");
    for (size_t i = 0; i < n; i++)
        src[k++] = '(';
    src[k++] = 'x';
    for (size_t i = 0; i < n; i++)
        src[k++] = ')';
    snprintf(src + k, len - k, "; }\n");
    /* clang's default bracket limit: a clean parse error. */
    assert_int_equal(parse_args(c, "deep.c", src, NULL, 0), FE_EPARSE);
    /* With the limit raised, it parses and is summarized. */
    const char *args[] = {"-fbracket-depth=30000"};
    FeStatus st = parse_args(c, "deep.c", src, args, 1);
    free(src);
    assert_int_equal(st, FE_OK);
    assert_int_equal(c->sum->nfuncs, 1);
}

static void test_working_dir_and_computed_goto(void **state)
{
    Ctx *c = *state;
    const char *src = "void g(void);\n"
                      "void f(int i) {\n"
                      "    static void *t[] = { &&a, &&b };\n"
                      "    goto *t[i];\n"
                      "a:  g();\n"
                      "b:  g();\n"
                      "}\n";
    write_file(c, "wd.c", src, strlen(src));
    FeOptions o = {NULL, NULL, 0, c->dir, c->resdir[0] ? c->resdir : NULL};
    TuSummary *s = NULL;
    assert_int_equal(fe_parse(&o, "wd.c", &s, &c->diags), FE_OK);
    const SumFunction *f = func(s, "f");
    assert_string_equal(f->loc.file, "wd.c");
    assert_int_equal(f->ncalls, 2);
    assert_true(f->calls[0].reachable);
    assert_true(f->calls[1].reachable);
    sum_free(s);
    assert_int_equal(fe_parse(&o, "nothere.c", &s, &c->diags), FE_EINPUT);
    assert_string_equal(c->diags.items[c->diags.n - 1].file, "nothere.c");
}

static void test_out_of_memory(void **state)
{
    Ctx *c = *state;
    const char *src = "static int h(int x) { return x; }\n"
                      "int f(int n) { int a[4]; if (n < 1) return h(n); return f(n - 1) + a[0]; }\n";
    const char *path = write_file(c, "oom.c", src, strlen(src));
    char p[600];
    snprintf(p, sizeof p, "%s", path);
    FeOptions o = {NULL, NULL, 0, NULL, c->resdir[0] ? c->resdir : NULL};
    int saw_enomem = 0;
    for (unsigned long i = 1; i < 100000; i++) {
        DiagSink d;
        diag_init(&d);
        TuSummary *s = NULL;
        mem_fail_after(i);
        FeStatus st = fe_parse(&o, p, &s, &d);
        mem_fail_after(0);
        diag_fini(&d);
        if (st == FE_OK) {
            assert_non_null(s);
            sum_free(s);
            break;
        }
        assert_int_equal(st, FE_ENOMEM);
        assert_null(s);
        saw_enomem++;
    }
    assert_true(saw_enomem > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_functions_and_linkage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_direct_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locals_vla_alloca, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unevaluated_not_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cfg_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_guards_and_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guards_and_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_static_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sole_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incdec_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_guards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_working_dir_and_computed_goto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
