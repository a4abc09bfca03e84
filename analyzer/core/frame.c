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

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

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

/* Does struct argument a, passed in memory, need a temporary copy in the
 * caller's frame? Where structs are copied straight into the outgoing area
 * (byval_aggregates), -O0 code passes a local or a by-value parameter from
 * where it is (SumArg.in_place): gcc always does, clang when the source's
 * alignment is known to be enough (any local or parameter). Any other
 * source (`*p`, `p->s`, `a[i]`, a global, a call's result in its return
 * temporary) gets a temporary from clang. Structs clang passes as words
 * (Arm EABI, up to 64 bytes) always go through a temporary; where structs
 * are passed by reference (AArch64, RISC-V) the caller always copies them. */
static bool arg_needs_temp(const SumArg *a, const Target *t, uint64_t size)
{
    if (!t->byval_aggregates || size <= t->coerced_aggregate)
        return true;
    return !a->in_place;
}

/* What one call's arguments cost the caller (clang -O0). */
typedef struct CallCost {
    uint64_t outgoing; /* stack argument bytes: the largest call counts */
    uint64_t temps;    /* temporary struct copies: allocas of their own, so
                          every call's count (like locals) */
    uint32_t copies;   /* struct copies made (memcpy calls the AST does not show) */
    uint64_t spill;    /* bytes the copies into the outgoing area spill (copy_spill) */
} CallCost;

/* Each stack argument in whole slots, and a struct in memory also in a
 * temporary when arg_needs_temp says so. */
static CallCost call_cost(const SumCall *c, const Target *t)
{
    unsigned slot = t->slot ? t->slot : 8;
    unsigned salign = t->stack_align ? t->stack_align : 1;
    Regs r = {0, 0};
    CallCost k = {0, 0, 0, 0};
    for (uint32_t i = 0; i < c->nargs; i++) {
        const SumArg *a = &c->args[i];
        uint64_t size = a->size ? a->size : slot;
        if (take_regs(&r, t, a->cls, size)) {
            /* a struct in registers that does not fill them is coerced
             * through a temporary */
            if (a->cls == SUM_CLASS_AGGREGATE && size % slot)
                k.temps = sat_add(k.temps, round_up(size, slot));
            continue;
        }
        k.outgoing = sat_add(k.outgoing, round_up(size, slot));
        if (a->cls != SUM_CLASS_AGGREGATE)
            continue;
        k.copies++;
        if (size > t->coerced_aggregate)
            k.spill = sat_add(k.spill, t->copy_spill);
        if (arg_needs_temp(a, t, size)) {
            k.temps = sat_add(k.temps, round_up(size, size >= 16 && salign >= 16 ? 16 : slot));
            k.copies++;
        }
    }
    return k;
}

/* Bytes a struct parameter of `size` bytes costs the callee on a target
 * where clang passes structs as words (Arm EABI, coerced_aggregate): up to
 * 16 bytes (all in r0-r3) one copy in the frame; up to coerced_aggregate
 * bytes the words are stored and copied again into the parameter (two
 * copies); a larger struct is passed by value in place, and the callee
 * stores the part that came in r0-r3 beside the rest (16 bytes), pushing
 * two more registers (r4, r5) once it reaches 240 bytes. */
static uint64_t word_aggregate_param(uint64_t size, const Target *t)
{
    if (size <= 16)
        return round_up(size, 8);
    if (size <= t->coerced_aggregate)
        return 2 * round_up(size, 8);
    return size >= 240 ? 32 : 16;
}

/* The clang -O0 model (and, before the gcc model existed, the only one). */
static uint64_t frame_clang(const SumFunction *f, const Target *t, bool *dynamic)
{
    unsigned slot = t->slot ? t->slot : 8;
    bool dyn = f->has_alloca;
    /* Locals: each rounded up to its alignment (objects of 16 bytes or more
     * get 16-byte alignment, the x86-64 ABI rule for arrays), summed as if
     * packed by decreasing alignment (compilers reorder them), with the
     * calls' temporary struct copies (below), the area rounded up to the
     * stack alignment. */
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
    /* Parameters that arrive in registers are spilled by -O0 code, one slot
     * (or more) each; the others already sit in the caller's frame. */
    uint64_t params = 0;
    Regs r = {0, 0};
    for (uint32_t i = 0; i < f->nparams; i++) {
        const SumParam *p = &f->params[i];
        uint64_t size = p->size ? p->size : slot;
        if (p->cls == SUM_CLASS_AGGREGATE && t->coerced_aggregate && size > t->max_reg_aggregate)
            params += word_aggregate_param(size, t);
        else if (take_regs(&r, t, p->cls, size))
            params += round_up(size, slot);
    }
    /* The return value: -O0 clang keeps it in a "retval" slot (always in
     * main, which returns 0 implicitly); a value returned in memory costs
     * the spilled pointer to it instead. */
    if (!f->returns_void) {
        uint64_t rs = f->ret_size && f->ret_size <= 2 * (uint64_t)slot ? f->ret_size : slot;
        params += round_up(rs, slot);
    }
    /* Outgoing stack arguments of the largest call; the temporary struct
     * copies of every call, which sit with the locals; the struct copies
     * count as calls below (memcpy), and on Arm each copy into the outgoing
     * area spills its copy loop's registers. */
    uint64_t outgoing = 0, spill = 0;
    uint32_t ncalls = 0;
    for (uint32_t i = 0; i < f->ncalls; i++) {
        const SumCall *c = &f->calls[i];
        if (!c->reachable)
            continue;
        CallCost k = call_cost(c, t);
        ncalls += 1 + (k.copies < 4 ? k.copies : 4);
        if (ncalls > 4)
            ncalls = 4; /* only four count */
        locals = sat_add(locals, k.temps);
        spill = sat_add(spill, k.spill);
        if (k.outgoing > outgoing)
            outgoing = k.outgoing;
    }
    locals = round_up(locals, salign);
    /* -O0 temporaries: clang's fast register allocator spills every value
     * live across a call (`n * f(n - 1)`, `f(1) + g(2)`), one slot per
     * call, at most four; without float registers (soft-float Arm EABI)
     * the compiler also calls helpers the AST does not show, so one more.
     * Spilled parameters go below the locals, and that area is rounded to
     * the stack alignment again (what gcc -O0 does). */
    uint32_t temps = ncalls + (t->soft_float ? 1u : 0u);
    params += (uint64_t)slot * (temps < 4 ? temps : 4);
    params = sat_add(params, spill);
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
 * another call's), for copies of structs of 32 bytes or more, and when a
 * call's structs in registers take all six argument registers (three
 * 16-byte structs). The summary has no expression trees, so: two reachable
 * calls on one line, four reachable calls or more, a struct passed on the
 * stack, structs in six argument registers, or a struct of 32 bytes or more
 * returned through memory. */
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
        uint64_t aggregate_regs = 0;
        for (uint32_t j = 0; j < c->nargs; j++) {
            if (c->args[j].cls != SUM_CLASS_AGGREGATE)
                continue;
            if (c->args[j].size > 16)
                return true;
            aggregate_regs += (c->args[j].size + 7) / 8;
        }
        if (aggregate_regs >= 6)
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
    if (f->is_alias)
        return 0; /* another name for its target: the call to it is the cost */
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
