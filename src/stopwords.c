/* stopwords.c - the function words, which do not count as content words when relevance.c
 * compares a comment with its article; packed once into each extractor (analyse.c). */
#include "stopwords.h"

#include <stdlib.h>
#include <string.h>

/* Function words carry no topic: a comment that shares only these with its post is not on its
 * topic. Sorted, for binary search. */
static const char *const stopwords[] = {
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "don't",
    "down", "each", "even", "few", "for", "from", "get", "got", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "just",
    "know", "like", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one",
    "only", "or", "other", "our", "out", "over", "own", "please", "really", "same", "she", "should", "so",
    "some", "such", "than", "thank", "thanks", "that", "that's", "the", "their", "them", "then", "there",
    "these", "they", "think", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
    "was", "we", "well", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "yes", "you", "your", "yours",
};

_Static_assert(sizeof stopwords / sizeof stopwords[0] == CG_NUM_STOPWORDS, "CG_NUM_STOPWORDS is their count");

/* Function words have at most 7 bytes, so each packs into one zero-padded 8-byte integer (words
 * contain no NUL): a longer word is never one, and a shorter one is found by integer comparisons. */
#define PACKED_BYTES 8

static uint64_t pack(const char *w, size_t len)
{
    uint64_t key = 0;
    memcpy(&key, w, len);
    return key;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void cg_stopwords_pack(uint64_t *keys)
{
    for (size_t i = 0; i < CG_NUM_STOPWORDS; i++)
        keys[i] = pack(stopwords[i], strlen(stopwords[i]));
    qsort(keys, CG_NUM_STOPWORDS, sizeof *keys, compare_u64);
}

int cg_stopword_find(const uint64_t keys[CG_NUM_STOPWORDS], const char *w, size_t len)
{
    if (len > PACKED_BYTES)
        return 0;
    uint64_t key = pack(w, len);
    size_t lo = 0, hi = CG_NUM_STOPWORDS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < CG_NUM_STOPWORDS && keys[lo] == key;
}
