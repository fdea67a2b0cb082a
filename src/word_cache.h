/* word_cache.h - analyse.c's cache of what a word token contributes, by the word's bytes (the entries:
 * workspace.h, cg_word_entry): opened for the extractor's settings, the sets of a text's words found
 * ahead of their lookups, and a word looked up or given an entry. */
#ifndef CG_WORD_CACHE_H
#define CG_WORD_CACHE_H

#include <string.h>

#include "workspace.h"

/* The workspace's word cache for the extractor settings `settings` (analyse.c packs the ones the
 * entries depend on; the cache is emptied if it was filled under others), or NULL if there is no
 * memory for one: it only saves time. */
cg_word_entry *cg_word_cache_open(cg_workspace *ws, const uint64_t settings[2]);

/* The set of the cache that each word token of ws of at most CG_WORD_CACHE_KEY bytes goes in, as the
 * index of its first entry in the token's cache_entry, and a request for the set's entries' first
 * cache lines, all before any is needed. */
void cg_word_cache_place(cg_workspace *ws, const cg_word_entry *cache);

/*
 * The cache's key of a word token s[0..n) (n <= CG_WORD_CACHE_KEY) of ws->norm: its bytes zero-padded
 * to 16, read at once (ws->norm has CG_NORM_SLACK bytes of room past its end) and masked, so that keys
 * compare as two words, and their set is a multiplication away. (Measured with tools/profile.py,
 * against memcmp and memcpy of n bytes and XXH3 of the word for its place: 1.5% fewer of `score`'s
 * instructions.)
 */
static inline void cg_word_key(const char *s, size_t n, uint64_t key[2])
{
    /* The 16 bytes from CG_WORD_CACHE_KEY - n keep the first n bytes of a key. */
    static const unsigned char keep[2 * CG_WORD_CACHE_KEY] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    uint64_t mask[2];
    memcpy(mask, keep + CG_WORD_CACHE_KEY - n, sizeof mask);
    memcpy(key, s, 2 * sizeof *key);
    key[0] &= mask[0];
    key[1] &= mask[1];
}

/* The entry of the set starting at `set` that holds the word token s[0..n) (n <= CG_WORD_CACHE_KEY),
 * made the set's last used; or NULL, with the word's key in key[] and in *victim the entry to give it
 * (cg_word_cache_claim): the one used longer ago. Inline: asked for every word. */
static inline cg_word_entry *cg_word_cache_find(cg_word_entry *set, const char *s, size_t n, uint64_t key[2],
                                                cg_word_entry **victim)
{
    _Static_assert(CG_WORD_CACHE_WAYS == 2, "recent tells one of two ways");
    cg_word_key(s, n, key);
    for (unsigned way = 0; way < CG_WORD_CACHE_WAYS; way++) {
        cg_word_entry *e = set + way;
        if (e->len == n && e->key[0] == key[0] && e->key[1] == key[1]) {
            set->recent = (uint8_t)way;
            return e;
        }
    }
    *victim = set + (1 - set->recent);
    return NULL;
}

/* Give the entry `e` of the set starting at `set` (cg_word_cache_find's victim) to the word of n bytes
 * and this key, as the set's last used; the caller fills in what the word contributes. */
static inline void cg_word_cache_claim(cg_word_entry *set, cg_word_entry *e, const uint64_t key[2], size_t n)
{
    set->recent = (uint8_t)(e - set);
    e->len = (uint8_t)n;
    e->key[0] = key[0];
    e->key[1] = key[1];
}

#endif
