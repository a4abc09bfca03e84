/* This file holds the table of supported targets and maps triples (and their
 * common aliases) to it. */
#include <string.h>

#include "core/target.h"

/* ptr, ret_addr, saved_regs, stack_align, red_zone, int regs, float regs,
 * largest register aggregate, slot, by-value memory aggregates, largest
 * aggregate passed as words, bytes spilled per struct copy, soft float, gcc model (only x86-64 has one: it
 * is the only gcc we can measure; see docs/frame-model.md). */
static const Target targets[] = {
    {"x86_64-linux-gnu", 8, 8, 8, 16, 128, 6, 8, 16, 8, true, 0, 0, false, true},
    {"i686-linux-gnu", 4, 4, 4, 16, 0, 0, 0, 0, 4, false, 0, 0, false, false},
    {"aarch64-linux-gnu", 8, 0, 16, 16, 0, 8, 8, 16, 8, false, 0, 0, false, false},
    {"arm-none-eabi", 4, 0, 8, 8, 0, 4, 0, 4, 4, true, 64, 12, true, false},
    {"riscv32-unknown-elf", 4, 0, 8, 16, 0, 8, 8, 8, 4, false, 0, 0, false, false},
    {"riscv64-linux-gnu", 8, 0, 16, 16, 0, 8, 8, 16, 8, false, 0, 0, false, false},
};

enum { T_X86_64, T_I686, T_AARCH64, T_ARM, T_RISCV32, T_RISCV64 };

static const struct {
    const char *prefix;
    int target;
} aliases[] = {
    {"x86_64-", T_X86_64},   {"amd64-", T_X86_64},    {"i386-", T_I686},
    {"i486-", T_I686},       {"i586-", T_I686},       {"i686-", T_I686},
    {"aarch64", T_AARCH64},  {"arm64", T_AARCH64},    {"riscv32", T_RISCV32},
    {"riscv64", T_RISCV64},  {"arm", T_ARM},          {"thumb", T_ARM},
};

const Target *target_lookup(const char *triple)
{
    if (!triple)
        return NULL;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (strcmp(targets[i].triple, triple) == 0)
            return &targets[i];
    if (strcmp(triple, "x86_64") == 0)
        return &targets[T_X86_64];
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strncmp(triple, aliases[i].prefix, strlen(aliases[i].prefix)) == 0)
            return &targets[aliases[i].target];
    return NULL;
}

const Target *target_default(void) { return &targets[T_X86_64]; }

static const char *const model_names[] = {"any", "gcc", "clang"};

int estimate_model_parse(const char *s, EstimateModel *out)
{
    for (size_t i = 0; s && i < sizeof model_names / sizeof model_names[0]; i++) {
        if (strcmp(s, model_names[i]) == 0) {
            *out = (EstimateModel)i;
            return 0;
        }
    }
    return -1;
}

const char *estimate_model_name(EstimateModel m)
{
    return (unsigned)m < sizeof model_names / sizeof model_names[0] ? model_names[m] : "any";
}
