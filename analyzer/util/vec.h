/* One growable-array helper for the whole project, with overflow-checked
 * sizes (Lua's luaM_growvector). A vector is three fields in a struct:
 *     Thing *items; size_t n, cap;
 * and VEC_PUSH(items, n, cap) returns a pointer to a new zeroed slot or NULL
 * when memory runs out (the vector is then unchanged). */
#ifndef STACKCHECK_UTIL_VEC_H
#define STACKCHECK_UTIL_VEC_H

#include <stddef.h>
#include <string.h>

/* Makes room for one more element of elem_size bytes in *items (n in use,
 * *cap allocated). Returns 0, or -1 on overflow or allocation failure with
 * *items and *cap unchanged. */
int vec_reserve(void **items, size_t n, size_t *cap, size_t elem_size);

/* Makes room for `need` elements in total. Same contract as vec_reserve. */
int vec_reserve_n(void **items, size_t need, size_t *cap, size_t elem_size);

/* The room check is inline and the slot is zeroed by an inline memset: the
 * front end pushes a million times per big file. */
#define VEC_PUSH(items, n, cap)                                                                \
    (((n) < (cap) || vec_reserve((void **)&(items), (n), &(cap), sizeof *(items)) == 0)       \
         ? memset(&(items)[(n)++], 0, sizeof *(items))                                         \
         : NULL)

#endif
