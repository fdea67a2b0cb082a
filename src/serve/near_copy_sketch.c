/* near_copy_sketch.c - the word-shingle sketch of a text and the similarity of two sketches.
 *
 * Why shingles of words: a campaign changes a few words of its text (a name, a product, a
 * greeting); every changed word breaks the NEAR_COPY_WORDS shingles that hold it and leaves the
 * others, so the share of shingles two texts have in common (their Jaccard similarity) falls
 * gently with each change, while unrelated comments, even on the same subject, share few pairs of
 * words in a row. Shingles of two words keep more of a changed text than three or four, with as few
 * false matches on the dev sets (README, "Near-copies"). Why a bottom-k sketch: it is exact for the comments campaigns are made of (up to
 * NEAR_COPY_SKETCH shingles), keeps every entry of the index to a fixed size however long the
 * text, and its smallest hashes are what the index looks candidates up by. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "near_copy_sketch.h"

#define WORD_SEED 0x6e656172636f7079ull /* "nearcopy" */

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int ascending(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The hashes of the words of text[0..len), lower-cased, into *out (a new array of *n of them,
 * NULL when there is no word): 0, or -1 if out of memory. */
static int word_hashes(const char *text, size_t len, uint64_t **out, size_t *n)
{
    *n = 0;
    *out = NULL;
    size_t cap = 0;
    uint64_t *h = NULL;
    char word[256];
    for (size_t i = 0; i < len;) {
        if (!is_word_byte((unsigned char)text[i])) {
            i++;
            continue;
        }
        /* Lower-cased a piece at a time; a word longer than the buffer chains its pieces' hashes. */
        uint64_t hash = WORD_SEED;
        size_t w = 0;
        for (; i < len && is_word_byte((unsigned char)text[i]); i++) {
            char c = text[i];
            word[w++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
            if (w == sizeof word) {
                hash = XXH3_64bits_withSeed(word, w, hash);
                w = 0;
            }
        }
        hash = XXH3_64bits_withSeed(word, w, hash);
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            uint64_t *grown = realloc(h, cap * sizeof *h);
            if (!grown) {
                free(h);
                *n = 0;
                return -1;
            }
            h = grown;
        }
        h[(*n)++] = hash;
    }
    *out = h;
    return 0;
}

int near_copy_sketch_of(const char *text, size_t len, unsigned words, near_copy_sketch *out)
{
    out->n = 0;
    out->shingles = 0;
    size_t n;
    uint64_t *w;
    if (word_hashes(text, len, &w, &n) != 0)
        return -1;
    if (n < words) {
        free(w);
        return 0;
    }
    /* The shingle hashes overwrite the word hashes they are made of, front to back. */
    size_t m = n - words + 1;
    for (size_t i = 0; i < m; i++)
        w[i] = XXH3_64bits_withSeed(&w[i], words * sizeof *w, WORD_SEED);
    qsort(w, m, sizeof *w, ascending);
    size_t distinct = 0;
    for (size_t i = 0; i < m; i++) {
        if (distinct > 0 && w[i] == w[distinct - 1])
            continue;
        w[distinct++] = w[i];
    }
    out->shingles = distinct > UINT_MAX ? UINT_MAX : (unsigned)distinct;
    out->n = distinct < NEAR_COPY_SKETCH ? (unsigned)distinct : NEAR_COPY_SKETCH;
    memcpy(out->hash, w, out->n * sizeof *w);
    free(w);
    return 0;
}

double near_copy_similarity(const near_copy_sketch *a, const near_copy_sketch *b)
{
    if (a->shingles < NEAR_COPY_MIN_SHINGLES || b->shingles < NEAR_COPY_MIN_SHINGLES)
        return 0;
    /* The bottom-k estimate reads the NEAR_COPY_SKETCH smallest hashes of the union: every one of
     * them is in a truncated sketch if it is in its set. Two whole sets are compared whole. */
    int whole = a->shingles == a->n && b->shingles == b->n;
    unsigned i = 0, j = 0, both = 0, seen = 0;
    while ((i < a->n || j < b->n) && (whole || seen < NEAR_COPY_SKETCH)) {
        if (j == b->n || (i < a->n && a->hash[i] < b->hash[j])) {
            i++;
        } else if (i == a->n || b->hash[j] < a->hash[i]) {
            j++;
        } else {
            both++;
            i++;
            j++;
        }
        seen++;
    }
    return seen ? (double)both / seen : 0;
}
