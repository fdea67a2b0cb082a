/*
 * string_store.c - the memory behind a dataset's strings: a chunked arena (one allocation per
 * megabyte of text rather than one per string; freeing walks the chunk list) and an
 * open-addressing map from strings to entries, for context ids and interned strings.
 */
#include "string_store.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define CHUNK_BYTES (1u << 20)
#define FIRST_SLOTS 64

/* ---- arena ---- */

static cg_arena_chunk *arena_chunk_new(size_t cap, cg_arena_chunk *next)
{
    cg_arena_chunk *c = malloc(sizeof *c + cap);
    if (c) {
        c->next = next;
        c->used = 0;
        c->cap = cap;
    }
    return c;
}

/* A NUL-terminated copy of s[0..n) in the arena whose newest cg_arena_chunk is *head, or NULL if out of
 * memory. */
char *cg_arena_copy(cg_arena_chunk **head, const char *s, size_t n)
{
    cg_arena_chunk *c = *head;
    if (!c || c->cap - c->used < n + 1) {
        if (n + 1 > CHUNK_BYTES / 4) {
            /* A big string gets a cg_arena_chunk of its own, kept behind the current one so that the
             * current cg_arena_chunk's free space is not abandoned. */
            c = arena_chunk_new(n + 1, c ? c->next : NULL);
            if (!c)
                return NULL;
            if (*head)
                (*head)->next = c;
            else
                *head = c;
        } else {
            c = arena_chunk_new(CHUNK_BYTES, c);
            if (!c)
                return NULL;
            *head = c;
        }
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    p[n] = '\0';
    c->used += n + 1;
    return p;
}

void cg_arena_free(cg_arena_chunk *c)
{
    while (c) {
        cg_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}

/* ---- string map ---- */

static uint64_t strmap_hash(const char *s, size_t n)
{
    return XXH3_64bits(s, n);
}

/* The slot holding key, or the empty slot where it would go. The map must have room. */
static cg_strmap_entry *strmap_slot(const cg_strmap *m, const char *key, size_t klen, uint64_t hash)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        cg_strmap_entry *e = &m->slots[i];
        if (!e->key || (e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0))
            return e;
    }
}

cg_strmap_entry *cg_strmap_find(const cg_strmap *m, const char *key, size_t klen)
{
    if (m->n == 0)
        return NULL;
    cg_strmap_entry *e = strmap_slot(m, key, klen, strmap_hash(key, klen));
    return e->key ? e : NULL;
}

/* Make room for one more cg_strmap_entry, keeping the load at most one half. 0 if out of memory. */
static int strmap_reserve(cg_strmap *m)
{
    if ((m->n + 1) * 2 <= m->cap)
        return 1;
    size_t cap = m->cap ? m->cap * 2 : FIRST_SLOTS;
    cg_strmap_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return 0;
    cg_strmap grown = {slots, cap, m->n};
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *strmap_slot(&grown, m->slots[i].key, m->slots[i].klen, m->slots[i].hash) = m->slots[i];
    free(m->slots);
    *m = grown;
    return 1;
}

/* Add an cg_strmap_entry whose key is not in the map yet (the key must outlive the map). */
cg_strmap_entry *cg_strmap_add(cg_strmap *m, const char *key, size_t klen)
{
    if (!strmap_reserve(m))
        return NULL;
    uint64_t hash = strmap_hash(key, klen);
    cg_strmap_entry *e = strmap_slot(m, key, klen, hash);
    *e = (cg_strmap_entry){.key = key, .klen = klen, .hash = hash};
    m->n++;
    return e;
}

void cg_strmap_free(cg_strmap *m)
{
    free(m->slots);
    *m = (cg_strmap){0};
}
