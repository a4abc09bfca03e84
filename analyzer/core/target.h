/* Target descriptions for the frame model: the calling-convention facts that
 * decide how big a stack frame is. */
#ifndef STACKCHECK_CORE_TARGET_H
#define STACKCHECK_CORE_TARGET_H

#include <stdbool.h>

typedef struct Target {
    const char *triple;        /* canonical triple, e.g. "x86_64-linux-gnu" */
    unsigned ptr_size;         /* bytes */
    unsigned ret_addr;         /* bytes the call instruction pushes (0 when in a register, e.g. ARM lr) */
    unsigned saved_regs;       /* bytes every non-leaf frame saves besides ret_addr (frame pointer, lr) */
    unsigned stack_align;      /* bytes; frames are rounded up to this */
    unsigned red_zone;         /* bytes a leaf may use below the stack pointer; 0 when none */
    unsigned int_arg_regs;     /* integer/pointer arguments passed in registers */
    unsigned float_arg_regs;   /* floating arguments passed in registers */
    unsigned max_reg_aggregate;/* largest struct passed in registers, bytes */
    unsigned slot;             /* bytes of one stack argument slot */
    bool byval_aggregates;     /* a struct passed in memory is copied straight into the
                                  outgoing argument area (x86-64, Arm EABI), so passing
                                  a local or a by-value parameter makes no temporary
                                  copy; false: assume the caller copies it too (AArch64
                                  and RISC-V pass big structs by reference to a copy;
                                  i686, whose gcc -m32 has no model, stays at that) */
    unsigned coerced_aggregate;/* clang passes structs above max_reg_aggregate and up to
                                  this size as a list of words (Arm EABI: 64): through a
                                  temporary even from a local, rebuilt by the callee;
                                  0 when none */
    unsigned copy_spill;       /* bytes clang -O0 spills for each struct it copies into
                                  the outgoing area (Arm: a copy loop's two pointers
                                  and count, 12); 0 when copies are calls */
    bool soft_float;           /* floating point through compiler-inserted helper calls
                                  (__aeabi_dadd, ...) the AST does not show */
    bool gcc_model;            /* a gcc -O0 frame model exists for this target (measured
                                  against gcc -fstack-usage); without one, --estimate-for
                                  gcc falls back to any */
} Target;

/* Which compiler's -O0 frame layout the AST estimate models (--estimate-for,
 * config "estimate_for"). */
typedef enum EstimateModel {
    ESTIMATE_ANY = 0, /* the larger of the gcc and clang models: safe whatever compiles the code */
    ESTIMATE_GCC,     /* gcc -O0 (x86-64 only; elsewhere the same as any) */
    ESTIMATE_CLANG    /* clang -O0 */
} EstimateModel;

/* Returns the description for `triple` (aliases such as "x86_64-pc-linux-gnu"
 * and "thumbv7em-none-eabi" map to their family), or NULL when unknown.
 * The result is a static const table entry. */
const Target *target_lookup(const char *triple);

/* The default target: the host's (x86_64-linux-gnu on our machines). */
const Target *target_default(void);

/* Parses "any", "gcc" or "clang" into *out. Returns 0, or -1 for anything else. */
int estimate_model_parse(const char *s, EstimateModel *out);

/* The spelling of m ("any", "gcc", "clang"). */
const char *estimate_model_name(EstimateModel m);

#endif
