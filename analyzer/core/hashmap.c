/* This file implements the open-addressing (linear probing) hash map from
 * (string, tag) to a function index that linking uses. */
#include "core/core_int.h"

#include <string.h>

#include "util/mem.h"

static uint64_t hash_key(const char *s, uint32_t tag)
{
    uint64_t h = 1469598103934665603ull ^ tag;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    h ^= h >> 29;
    return h;
}

void hmap_init(Hmap *m) { memset(m, 0, sizeof *m); }

void hmap_fini(Hmap *m)
{
    mem_free(m->slots);
    memset(m, 0, sizeof *m);
}

uint32_t hmap_get(const Hmap *m, const char *key, uint32_t tag)
{
    if (m->cap == 0)
        return CG_NONE;
    uint64_t h = hash_key(key, tag);
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const HmapSlot *s = &m->slots[i];
        if (!s->key)
            return CG_NONE;
        if (s->hash == h && s->tag == tag && strcmp(s->key, key) == 0)
            return s->value;
    }
}

static void insert_slot(HmapSlot *slots, size_t cap, const HmapSlot *in)
{
    size_t mask = cap - 1;
    size_t i = (size_t)in->hash & mask;
    while (slots[i].key)
        i = (i + 1) & mask;
    slots[i] = *in;
}

static int rehash(Hmap *m, size_t ncap)
{
    HmapSlot *ns = mem_calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            insert_slot(ns, ncap, &m->slots[i]);
    mem_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

static int grow(Hmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    if (ncap < m->cap)
        return -1;
    return rehash(m, ncap);
}

int hmap_reserve(Hmap *m, size_t n)
{
    size_t ncap = 64;
    while (ncap / 4 * 3 < n) {
        if (ncap > SIZE_MAX / 4)
            return -1;
        ncap *= 2;
    }
    return ncap > m->cap ? rehash(m, ncap) : 0;
}

int hmap_put(Hmap *m, const char *key, uint32_t tag, uint32_t value)
{
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    uint64_t h = hash_key(key, tag);
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        HmapSlot *s = &m->slots[i];
        if (!s->key) {
            *s = (HmapSlot){key, h, tag, value};
            m->n++;
            return 0;
        }
        if (s->hash == h && s->tag == tag && strcmp(s->key, key) == 0) {
            s->value = value;
            return 0;
        }
    }
}
