/* This file estimates a function's own stack frame from its AST summary for
 * a target and a compiler model: clang -O0, gcc -O0 (x86-64), or the larger
 * of both (the formulas are written out in docs/frame-model.md). */
#include "core/core_int.h"

#include <string.h>

static uint64_t round_up(uint64_t v, uint64_t a)
{
    if (a <= 1)
        return v;
    uint64_t r = v % a;
    if (r == 0)
        return v;
    uint64_t add = a - r;
    return v > UINT64_MAX - add ? UINT64_MAX : v + add;
}

/* Register budget while walking the parameters or arguments of one call. */
typedef struct Regs {
    unsigned ints;
    unsigned floats;
} Regs;

/* Returns true when a value of class cls and size bytes travels in
 * registers (consuming them), false when it goes on the stack. */
static bool take_regs(Regs *r, const Target *t, SumClass cls, uint64_t size)
{
    unsigned slot = t->slot ? t->slot : 8;
    switch (cls) {
    case SUM_CLASS_INT:
    case SUM_CLASS_POINTER: {
        uint64_t need = size > slot ? (size + slot - 1) / slot : 1;
        if (r->ints + need > t->int_arg_regs)
            return false;
        r->ints += (unsigned)need;
        return true;
    }
    case SUM_CLASS_FLOAT:
    case SUM_CLASS_OTHER:
        if (size > 2 * (uint64_t)slot || r->floats + 1 > t->float_arg_regs)
            return false;
        r->floats++;
        return true;
    case SUM_CLASS_AGGREGATE: {
        if (size == 0 || size > t->max_reg_aggregate)
            return false;
        uint64_t need = (size + slot - 1) / slot;
        if (r->ints + need > t->int_arg_regs)
            return false;
        r->ints += (unsigned)need;
        return true;
    }
    }
    return false;
}

/* Bytes of stack one call's arguments need in the caller's frame: each
 * stack argument in whole slots, and a memory aggregate also once more for
 * the temporary copy -O0 code makes of it. */
static uint64_t outgoing_bytes(const SumCall *c, const Target *t)
{
    unsigned slot = t->slot ? t->slot : 8;
    Regs r = {0, 0};
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < c->nargs; i++) {
        const SumArg *a = &c->args[i];
        uint64_t size = a->size ? a->size : slot;
        if (take_regs(&r, t, a->cls, size))
            continue;
        bytes += round_up(size, slot);
        if (a->cls == SUM_CLASS_AGGREGATE)
            bytes += round_up(size, 16);
    }
    return bytes;
}

/* The clang -O0 model (and, before the gcc model existed, the only one). */
static uint64_t frame_clang(const SumFunction *f, const Target *t, bool *dynamic)
{
    unsigned slot = t->slot ? t->slot : 8;
    bool dyn = f->has_alloca;
    /* Locals: each rounded up to its alignment (objects of 16 bytes or more
     * get 16-byte alignment, the x86-64 ABI rule for arrays), summed as if
     * packed by decreasing alignment (compilers reorder them), the area
     * rounded up to the stack alignment. */
    unsigned salign = t->stack_align ? t->stack_align : 1;
    uint64_t locals = 0;
    for (uint32_t i = 0; i < f->nlocals; i++) {
        const SumLocal *l = &f->locals[i];
        if (l->vla) {
            dyn = true;
            continue;
        }
        uint64_t a = l->align ? l->align : 1;
        if (l->size >= 16 && salign >= 16 && a < 16)
            a = 16;
        uint64_t sz = round_up(l->size, a);
        locals = locals > UINT64_MAX - sz ? UINT64_MAX : locals + sz;
    }
    locals = round_up(locals, salign);
    /* Parameters that arrive in registers are spilled by -O0 code, one slot
     * (or more) each; the others already sit in the caller's frame. */
    uint64_t params = 0;
    Regs r = {0, 0};
    for (uint32_t i = 0; i < f->nparams; i++) {
        const SumParam *p = &f->params[i];
        uint64_t size = p->size ? p->size : slot;
        if (take_regs(&r, t, p->cls, size))
            params += round_up(size, slot);
    }
    /* The return value: -O0 clang keeps it in a "retval" slot (always in
     * main, which returns 0 implicitly); a value returned in memory costs
     * the spilled pointer to it instead. */
    if (!f->returns_void) {
        uint64_t rs = f->ret_size && f->ret_size <= 2 * (uint64_t)slot ? f->ret_size : slot;
        params += round_up(rs, slot);
    }
    /* Outgoing stack arguments of the largest call. With two calls or more,
     * one slot more: -O0 code keeps a call's result in a temporary (or a
     * pushed callee-saved register) while the next call runs, as in
     * `return f(1) + g(2);`. */
    uint64_t outgoing = 0;
    uint32_t ncalls = 0;
    for (uint32_t i = 0; i < f->ncalls; i++) {
        const SumCall *c = &f->calls[i];
        if (!c->reachable)
            continue;
        ncalls++;
        uint64_t b = outgoing_bytes(c, t);
        if (b > outgoing)
            outgoing = b;
    }
    /* -O0 temporaries: clang's fast register allocator spills every value
     * live across a call (`n * f(n - 1)`, `f(1) + g(2)`), one slot per
     * call, at most four; without float registers (soft-float Arm EABI)
     * the compiler also calls helpers the AST does not show, so one more.
     * Spilled parameters go below the locals, and that area is rounded to
     * the stack alignment again (what gcc -O0 does). */
    uint32_t temps = ncalls + (t->soft_float ? 1u : 0u);
    params += (uint64_t)slot * (temps < 4 ? temps : 4);
    uint64_t area = round_up(locals > UINT64_MAX - params ? UINT64_MAX : locals + params, salign);
    uint64_t total = (uint64_t)t->ret_addr + t->saved_regs;
    /* 32-bit targets with a link register (ARM, RV32) save two more
     * registers as base pointers once the locals outgrow the short
     * load/store offsets (clang-19 -O0 pushes r4 and r5 on ARM). */
    if (t->ptr_size == 4 && t->ret_addr == 0 && locals >= 256)
        total += 2u * slot;
    total = total > UINT64_MAX - area ? UINT64_MAX : total + area;
    total = total > UINT64_MAX - outgoing ? UINT64_MAX : total + outgoing;
    if (dynamic)
        *dynamic = dyn;
    return round_up(total, salign);
}

/* ---- the gcc -O0 model (x86-64) ---- */

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* The largest power of two dividing s, at most 16 (16 for 0). */
static uint64_t granule(uint64_t s)
{
    uint64_t g = 1;
    while (g < 16 && s && s % (2 * g) == 0)
        g *= 2;
    return s ? g : 16;
}

/* gcc's alignment of a local: its type's, raised to 16 for objects of 16
 * bytes or more (ix86_local_alignment: aggregates of 16 bytes or more get
 * 16 on x86-64; for scalars that big, long double and __int128, it is their
 * own; _Complex double and va_list get more than gcc gives them, which
 * only over-estimates). */
static uint64_t gcc_local_align(const SumLocal *l)
{
    uint64_t a = l->align ? l->align : 1;
    return l->size >= 16 && a < 16 ? 16 : a;
}

enum { ALIGN_CLASSES = 6 }; /* alignments 1, 2, 4, 8, 16, 32 and more */

static unsigned align_class(uint64_t a)
{
    unsigned k = 0;
    while (k + 1 < ALIGN_CLASSES && ((uint64_t)2 << k) <= a)
        k++;
    return k;
}

/* Bytes gcc -O0 gives the locals, padding included, whatever their order.
 * gcc lays them out one after the other by first use (which the summary
 * does not record), each at its alignment, so a local pays padding only
 * after a local of smaller alignment, or when its own size is not a
 * multiple of its alignment. The bound pairs each local, largest alignment
 * first, with the smallest-aligned local left as its predecessor: padding
 * at most align - min(align, predecessor's alignment, size's granule). */
static uint64_t gcc_locals(const SumFunction *f)
{
    size_t left[ALIGN_CLASSES] = {0};
    for (uint32_t i = 0; i < f->nlocals; i++)
        if (!f->locals[i].vla)
            left[align_class(gcc_local_align(&f->locals[i]))]++;
    uint64_t total = 0;
    for (unsigned k = ALIGN_CLASSES; k-- > 0;) {
        for (uint32_t i = 0; i < f->nlocals; i++) {
            const SumLocal *l = &f->locals[i];
            uint64_t a = gcc_local_align(l);
            if (l->vla || align_class(a) != k)
                continue;
            unsigned p = 0;
            while (p < ALIGN_CLASSES && left[p] == 0)
                p++;
            uint64_t pred = p < ALIGN_CLASSES ? (uint64_t)1 << p : a;
            if (p < ALIGN_CLASSES)
                left[p]--;
            uint64_t g = granule(l->size);
            if (pred < g)
                g = pred;
            if (a < g)
                g = a;
            total = sat_add(total, sat_add(l->size, a - g));
        }
    }
    return total;
}

/* Does -O0 gcc keep a value in a callee-saved register (a push of rbx,
 * r12, ...) in f? It does for a value that lives across a call
 * (`g(1) + g(2)`, `a[f()] = g()`, a call's result passed to printf with
 * another call's) and for copies of structs of 32 bytes or more. The
 * summary has no expression trees, so: two reachable calls on one line,
 * four reachable calls or more, a struct passed on the stack, or a struct
 * of 32 bytes or more returned through memory. */
static bool gcc_saves_a_register(const SumFunction *f, uint32_t ncalls, bool mem_ret)
{
    if (ncalls == 0)
        return false;
    if (ncalls >= 4 || (mem_ret && f->ret_size >= 32))
        return true;
    const SumCall *prev = NULL;
    for (uint32_t i = 0; i < f->ncalls; i++) {
        const SumCall *c = &f->calls[i];
        if (!c->reachable)
            continue;
        for (uint32_t j = 0; j < c->nargs; j++)
            if (c->args[j].cls == SUM_CLASS_AGGREGATE && c->args[j].size > 16)
                return true;
        if (prev && prev->loc.line == c->loc.line && prev->loc.line != 0 &&
            (prev->loc.file == c->loc.file ||
             (prev->loc.file && c->loc.file && strcmp(prev->loc.file, c->loc.file) == 0)))
            return true;
        prev = c;
    }
    return false;
}

/* gcc -O0 on x86-64, fitted to what gcc 12 does (docs/frame-model.md, "The
 * gcc model"): returns the bytes f uses below its caller's stack pointer and
 * sets *su_figure to what gcc -fstack-usage reports for it (less for a leaf,
 * whose red-zone bytes gcc does not count). */
static uint64_t frame_gcc_x86_64(const SumFunction *f, const Target *t, uint64_t *su_figure)
{
    /* Locals, then the frame rounded to 16 (expand_used_vars), then the
     * spill slots of the parameters that arrive in registers. */
    uint64_t off = round_up(gcc_locals(f), 16);
    Regs r = {0, 0};
    bool mem_ret = !f->returns_void && f->ret_size > 16 &&
                   (f->ret_cls == SUM_CLASS_AGGREGATE || f->ret_cls == SUM_CLASS_OTHER);
    if (mem_ret) {
        /* the hidden pointer to the result arrives in rdi and is spilled */
        r.ints++;
        off = sat_add(round_up(off, 8), 8);
    }
    for (uint32_t i = 0; i < f->nparams; i++) {
        const SumParam *p = &f->params[i];
        uint64_t size = p->size ? p->size : 8;
        if (!take_regs(&r, t, p->cls, size))
            continue; /* in the caller's frame already */
        uint64_t a = p->align < 4 ? 4 : p->align > 16 ? 16 : p->align;
        uint64_t sz = size < 4 ? 4 : size; /* char and short spill as int */
        if (p->cls == SUM_CLASS_AGGREGATE) {
            a = a < 8 ? 8 : a;
            sz = round_up(sz, 8);
        }
        off = sat_add(round_up(off, a), sz);
    }
    uint32_t ncalls = 0;
    uint64_t outgoing = 0;
    for (uint32_t i = 0; i < f->ncalls; i++) {
        const SumCall *c = &f->calls[i];
        if (!c->reachable)
            continue;
        ncalls++;
        /* Stack arguments are pushed (gcc reports them as
         * "dynamic,bounded"), each in 8-byte slots, a struct in memory
         * copied straight into them; the pushes keep 16-byte alignment. */
        Regs ar = {0, 0};
        uint64_t b = 0;
        for (uint32_t j = 0; j < c->nargs; j++) {
            uint64_t size = c->args[j].size ? c->args[j].size : 8;
            if (!take_regs(&ar, t, c->args[j].cls, size))
                b = sat_add(b, round_up(size, 8));
        }
        b = round_up(b, 16);
        if (b > outgoing)
            outgoing = b;
    }
    /* Return address and rbp, callee-saved pushes, the register save area
     * of a variadic function (6 x 8 + 8 x 16: -O0 has no stdarg pass to
     * shrink it), rounded to the alignment the locals need, then the
     * locals and spills. */
    uint64_t total = 16;
    if (gcc_saves_a_register(f, ncalls, mem_ret))
        total += 8;
    uint64_t saved = total;
    if (f->is_variadic)
        total += 176;
    uint64_t need = ncalls || f->is_variadic ? 16 : 1;
    for (uint32_t i = 0; i < f->nlocals && need < 16; i++)
        if (!f->locals[i].vla && gcc_local_align(&f->locals[i]) > need)
            need = gcc_local_align(&f->locals[i]);
    if (off)
        total = round_up(total, need > 16 ? 16 : need);
    total = sat_add(total, off);
    if (ncalls == 0) {
        /* A leaf keeps its frame in the 128-byte red zone and gcc reports
         * only what exceeds 120 bytes of it (ix86_compute_frame_layout:
         * RED_ZONE_SIZE - RED_ZONE_RESERVE); the estimate counts the bytes
         * the leaf really uses below its caller's stack pointer. */
        uint64_t below_sp = total - saved;
        *su_figure = total - (below_sp < 120 ? below_sp : 120);
        return round_up(total, 8);
    }
    total = sat_add(round_up(total, 16), outgoing);
    *su_figure = total;
    return total;
}

uint64_t frame_estimate(const SumFunction *f, const Target *t, EstimateModel m, bool *dynamic)
{
    uint64_t clang = frame_clang(f, t, dynamic);
    if (m == ESTIMATE_CLANG || !t->gcc_model)
        return clang;
    uint64_t su_figure = 0;
    uint64_t gcc = frame_gcc_x86_64(f, t, &su_figure);
    if (m == ESTIMATE_GCC)
        return gcc;
    /* any: never below what either compiler reports. A leaf's red-zone
     * bytes are already in the clang model, which counts every local of a
     * leaf; gcc may pad the same locals a few bytes more (docs). */
    return su_figure > clang ? su_figure : clang;
}
