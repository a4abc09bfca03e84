/* This file estimates a function's own stack frame from its AST summary for
 * a target (the formula is written out in docs/frame-model.md). */
#include "core/core_int.h"

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

uint64_t frame_estimate(const SumFunction *f, const Target *t, bool *dynamic)
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
