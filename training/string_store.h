/* string_store.h - the memory behind a dataset's strings: a chunked arena and a string map. */
#ifndef CG_STRING_STORE_H
#define CG_STRING_STORE_H

#include <stddef.h>
#include <stdint.h>

/* The arena: a list of chunks, newest first; strings never move. */
typedef struct cg_arena_chunk {
    struct cg_arena_chunk *next;
    size_t used, cap;
    char data[];
} cg_arena_chunk;

/* A NUL-terminated copy of s[0..n) in the arena whose newest chunk is *head (NULL: none yet), or
 * NULL if out of memory. */
char *cg_arena_copy(cg_arena_chunk **head, const char *s, size_t n);
void cg_arena_free(cg_arena_chunk *c);

/* Open addressing, at most half full; keys are not copied and must outlive the map. */
typedef struct cg_strmap_entry {
    const char *key; /* NULL for an empty slot */
    size_t klen;
    uint64_t hash;
    const char *val;
    size_t vlen;
    long line; /* where a context was defined */
} cg_strmap_entry;

typedef struct cg_strmap {
    cg_strmap_entry *slots;
    size_t cap, n; /* cap is 0 or a power of two */
} cg_strmap;

/* The entry of key, or NULL. */
cg_strmap_entry *cg_strmap_find(const cg_strmap *m, const char *key, size_t klen);

/* Add an entry whose key is not in the map yet; NULL if out of memory. */
cg_strmap_entry *cg_strmap_add(cg_strmap *m, const char *key, size_t klen);

void cg_strmap_free(cg_strmap *m);

#endif
