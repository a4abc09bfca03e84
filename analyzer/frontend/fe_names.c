/* This file turns libclang's files, locations, types and token ranges into
 * the summary's plain values (interned file names, SumLocs, scalar classes,
 * sizes, member keys). The visitor and the CFG builder both use it; it uses neither, so
 * the front end's files call one way: fe_visit -> fe_cfg -> fe_names. */
#include <string.h>

#include "frontend/fe_int.h"
#include "util/mem.h"
#include "util/vec.h"

const char *fe_file_name(FeNames *n, CXFile f)
{
    if (!f)
        return NULL;
    if (n->lastfile < n->nfiles && n->files[n->lastfile].f == f)
        return n->files[n->lastfile].name;
    for (size_t i = 0; i < n->nfiles; i++)
        if (n->files[i].f == f) {
            n->lastfile = i;
            return n->files[i].name;
        }
    CXString s = clang_getFileName(f);
    const char *c = clang_getCString(s);
    const char *name = arena_strdup(&n->sum->arena, c ? c : "");
    clang_disposeString(s);
    FeFileName *slot = name ? VEC_PUSH(n->files, n->nfiles, n->capfiles) : NULL;
    if (!slot) {
        /* Sticky: every caller's result is checked once, at the end. */
        if (*n->status == FE_OK)
            *n->status = FE_ENOMEM;
        return NULL;
    }
    slot->f = f;
    slot->name = name;
    n->lastfile = n->nfiles - 1;
    return name;
}

SumLoc fe_loc(FeNames *n, CXSourceLocation l)
{
    SumLoc r = {NULL, 0, 0};
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(l, &f, &line, &col, NULL);
    r.file = fe_file_name(n, f);
    r.line = line;
    r.col = col;
    return r;
}

void fe_names_fini(FeNames *n)
{
    mem_free(n->keys);
    n->keys = NULL;
    mem_free(n->files);
    n->files = NULL;
    n->nfiles = n->capfiles = n->lastfile = 0;
}

SumClass fe_type_class(CXType t, bool *is_unsigned)
{
    CXType c = clang_getCanonicalType(t);
    bool u = false;
    SumClass k;
    switch ((int)c.kind) {
    case CXType_Bool: case CXType_Char_U: case CXType_UChar: case CXType_UShort:
    case CXType_UInt: case CXType_ULong: case CXType_ULongLong: case CXType_UInt128:
    case CXType_Char16: case CXType_Char32:
        u = true;
        k = SUM_CLASS_INT;
        break;
    case CXType_Char_S: case CXType_SChar: case CXType_WChar: case CXType_Short:
    case CXType_Int: case CXType_Long: case CXType_LongLong: case CXType_Int128:
    case CXType_Enum:
        k = SUM_CLASS_INT;
        break;
    case CXType_Pointer: case CXType_BlockPointer: case CXType_NullPtr:
        k = SUM_CLASS_POINTER;
        break;
    case CXType_Float: case CXType_Double: case CXType_LongDouble: case CXType_Half:
    case CXType_Float16: case CXType_Float128: case CXType_BFloat16: case CXType_Ibm128:
        k = SUM_CLASS_FLOAT;
        break;
    case CXType_Record: case CXType_ConstantArray: case CXType_IncompleteArray:
    case CXType_VariableArray: case CXType_Elaborated:
        k = SUM_CLASS_AGGREGATE;
        break;
    default:
        k = SUM_CLASS_OTHER;
        break;
    }
    if (is_unsigned)
        *is_unsigned = u;
    return k;
}

void fe_type_size(CXType t, uint64_t *size, uint64_t *align)
{
    long long s = clang_Type_getSizeOf(t);
    long long a = clang_Type_getAlignOf(t);
    *size = s > 0 ? (uint64_t)s : 0;
    *align = a > 0 ? (uint64_t)a : 0;
}

bool fe_tokenize_short(CXTranslationUnit tu, CXSourceRange range, CXToken **toks, unsigned *n)
{
    CXFile f1 = NULL, f2 = NULL;
    unsigned o1 = 0, o2 = 0;
    *toks = NULL;
    *n = 0;
    clang_getSpellingLocation(clang_getRangeStart(range), &f1, NULL, NULL, &o1);
    clang_getSpellingLocation(clang_getRangeEnd(range), &f2, NULL, NULL, &o2);
    if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || o2 < o1 || o2 - o1 > FE_MAX_TOKEN_BYTES)
        return false;
    clang_tokenize(tu, range, toks, n);
    return true;
}

const char *fe_field_key(FeNames *n, CXCursor fd)
{
    /* Spelling a record type costs a few thousand instructions and a body
     * writes the same members again and again: one key per member, in a
     * direct-mapped cache (a miss only spells it again). */
    unsigned h = clang_hashCursor(fd);
    FeFieldKey *slot = n->keys ? &n->keys[h & (FE_FIELD_KEY_CACHE - 1)] : NULL;
    if (slot && slot->key && slot->hash == h && clang_equalCursors(slot->fd, fd))
        return slot->key;
    CXCursor rec = clang_getCursorSemanticParent(fd);
    CXString rs = clang_getTypeSpelling(clang_getCursorType(rec));
    CXString fs = clang_getCursorSpelling(fd);
    const char *r = clang_getCString(rs), *fn = clang_getCString(fs);
    const char *key = arena_printf(&n->sum->arena, "%s.%s", r ? r : "", fn ? fn : "");
    clang_disposeString(rs);
    clang_disposeString(fs);
    if (key && slot)
        *slot = (FeFieldKey){fd, h, key};
    return key;
}

const char *fe_var_key(FeNames *n, CXCursor var)
{
    CXString us = clang_getCursorUSR(var);
    const char *u = clang_getCString(us);
    char *key = arena_printf(&n->sum->arena, "var %s", u ? u : "");
    clang_disposeString(us);
    if (!key && *n->status == FE_OK)
        *n->status = FE_ENOMEM;
    return key;
}
