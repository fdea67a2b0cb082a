/* analyse.c - the extractor, and the first half of extraction: text normalised, tokenised and
 * hashed into the workspace's accumulator, which cg_extract (extract.c) turns into a vector and
 * cg_article_build (relevance.c) into an article.
 *
 * Word n-grams (class tokens such as <url> stand in for what they replace), the domains of links
 * and e-mail addresses, and character n-grams within words are hashed with seeded xxHash into
 * 2^hash_bits slots. A slot's value is its sublinear term frequency, 1 + ln(count) (counts of
 * character n-grams are scaled by char_weight first); extract.c scales the block to unit length. */
#include "analyse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* The header-only form of the same xxHash: short keys are hashed without a call into the library.
 * XXH3 output is fixed by its specification, so the hashes (and models) are the same. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "fold.h"
#include "normalize.h"
#include "stopwords.h"
#include "word_cache.h"

/* Distinguish kinds of n-gram that could otherwise hash alike ("ab" as a word and as a char
 * bigram). Arbitrary odd constants. */
#define SEED_UNIGRAM 0x9E3779B97F4A7C15ull
#define SEED_BIGRAM 0xC2B2AE3D27D4EB4Full
#define SEED_TRIGRAM 0x165667B19E3779F9ull
#define SEED_CHAR 0xD6E8FEB86659FD93ull
#define SEED_DOMAIN 0xFF51AFD7ED558CCDull

/* The feature of a promotional phrase (lexicon.h): a name no word can have, like the class tokens. */
#define PROMOTION_TOKEN "<promotion>"
/* What an unmarked word is in the word n-grams with group_placeholder on: one name for every group. */
#define GROUP_TOKEN "<group>"

/* Character n-grams are taken from at most this many code points of a word. */
#define MAX_CHAR_NGRAM_WORD 40

void cg_extractor_config_default(cg_extractor_config *c)
{
    c->hash_bits = 18;
    c->seed = 0x636f6d6d656e7467ull; /* "commentg" */
    c->word_ngrams = 2;
    c->char_min = 2;
    c->char_max = 5;
    c->char_weight = 0.5; /* measured: word n-grams weigh more than the ~300 character n-grams (CV and dev) */
    c->signal_weight = 0.5;
    c->length_signal = 1;
    c->group_placeholder = 0;
    c->relevance_weight = 1.0;
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        c->relevance_center[k] = 0.0;
    c->lexicon[0] = '\0';
}

const char *cg_extractor_config_check(const cg_extractor_config *c)
{
    if (c->hash_bits < 10 || c->hash_bits > 24)
        return "hash_bits must lie in 10..24";
    if (c->word_ngrams < 1 || c->word_ngrams > 3)
        return "word_ngrams must lie in 1..3";
    if (c->char_min > c->char_max || c->char_max > 8 || (c->char_min == 0) != (c->char_max == 0))
        return "char n-gram range must be 0-0 or lie within 1..8";
    if (c->length_signal > 1)
        return "length_signal must be 0 or 1";
    if (c->group_placeholder > 1)
        return "group_placeholder must be 0 or 1";
    if (!(c->char_weight > 0 && c->char_weight <= 10) || !(c->signal_weight >= 0 && c->signal_weight <= 10) ||
        !(c->relevance_weight >= 0 && c->relevance_weight <= 10))
        return "weights must lie in [0, 10] (char_weight above 0)";
    return NULL;
}

cg_status cg_extractor_init(cg_extractor *ex, const cg_extractor_config *config, char *err, size_t errlen)
{
    const char *why = cg_extractor_config_check(config);
    if (why) {
        if (err)
            snprintf(err, errlen, "extractor settings: %s", why);
        return CG_ERR_FORMAT;
    }
    ex->config = *config;
    ex->lexicon_keys = NULL;
    ex->lexicon_kind = NULL;
    ex->lexicon_mask = 0;
    ex->n_lexicon = 0;
    ex->n_unmarked = 0;
    ex->n_promotion = 0;
    cg_stopwords_pack(ex->stopwords);
    return cg_patterns_compile(&ex->patterns, err, errlen);
}

void cg_extractor_destroy(cg_extractor *ex)
{
    cg_patterns_free(ex->patterns);
    ex->patterns = NULL;
    free(ex->lexicon_keys);
    free(ex->lexicon_kind);
    ex->lexicon_keys = NULL;
    ex->lexicon_kind = NULL;
    ex->n_lexicon = 0;
    ex->n_unmarked = 0;
    ex->n_promotion = 0;
}

uint64_t cg_domain_hash(const cg_extractor_config *c, const char *domain, size_t len)
{
    return XXH3_64bits_withSeed(domain, len, c->seed ^ SEED_DOMAIN);
}

/*
 * Hashing and accumulating are split: the slots of a run of tokens are computed first (and the
 * accumulator's cache lines of freshly hashed ones prefetched), then added in exactly the order they
 * were computed, so that the dense accumulator's cache misses overlap instead of stalling one after
 * another. (The slots a word brings from the word cache are not prefetched: they are the common
 * words' n-grams, and asking for them cost 3.5% of the instructions and measured no faster.) A slot
 * entry carries CHAR_FLAG when it takes the character n-gram weight instead of 1.
 */
#define PENDING_SLOTS 1024
#define CHAR_FLAG 0x80000000u

typedef struct pending {
    uint32_t slot[PENDING_SLOTS + CG_WORD_CACHE_BLOCK]; /* room for a cached word's last whole block */
    size_t n;
    const float *acc;
    uint32_t mask;
    cg_word_entry *cache; /* the workspace's word cache, or NULL */
} pending;

static inline void queue(pending *p, uint64_t hash, uint32_t flag)
{
    uint32_t slot = (uint32_t)hash & p->mask;
    __builtin_prefetch(p->acc + slot, 1, 3);
    p->slot[p->n++] = slot | flag;
}

/* Add the pending slots to the accumulator; with `weights` (ws->prefetch_weights), ask for the cache
 * line of each slot's weights too. Inlined twice, so that the loop does not ask each time. The loop
 * is unrolled by four and tests the slot's bits in place (measured with tools/profile.py on corpus
 * dev: 19 instructions a slot before, 16.1 after, 2.5% of all of `score`'s). */
static inline __attribute__((always_inline)) void flush_slots(cg_workspace *ws, pending *p, float char_weight,
                                                              const double *weights)
{
    float *acc = ws->acc;
    uint32_t *touched = ws->touched;
    size_t n_touched = ws->n_touched;
    const float weight[2] = {1.0f, char_weight}; /* by the flag, CHAR_FLAG being the top bit */
#pragma GCC unroll 4
    for (size_t i = 0; i < p->n; i++) {
        uint32_t e = p->slot[i], slot = e & ~CHAR_FLAG;
        /* Written always, kept only for a slot seen for the first time: no branch to mispredict. */
        touched[n_touched] = slot;
        if (weights)
            __builtin_prefetch(weights + (size_t)slot * CG_WEIGHT_STRIDE);
        uint32_t before_bits; /* a slot holds +0 or a positive count: +0 is the bits 0 */
        memcpy(&before_bits, acc + slot, sizeof before_bits);
        n_touched += before_bits == 0;
        acc[slot] += weight[e >> 31];
    }
    ws->n_touched = n_touched;
    p->n = 0;
}

static void flush(cg_workspace *ws, pending *p, float char_weight)
{
    if (ws->prefetch_weights)
        flush_slots(ws, p, char_weight, ws->prefetch_weights);
    else
        flush_slots(ws, p, char_weight, NULL);
}

static uint64_t hash_pair(uint64_t a, uint64_t b, uint64_t seed)
{
    uint64_t pair[2] = {a, b};
    return XXH3_64bits_withSeed(pair, sizeof pair, seed);
}

/* XXH3_64bits_withSeed(s, n, seed) for 1 <= n <= 8: the header's own functions for such lengths,
 * which it would pick, called without the call and the dispatch on the length around them (a
 * word's character n-grams are that short; tests/test_extract.c checks every length). */
static inline uint64_t short_hash(const char *s, size_t n, uint64_t seed)
{
    const xxh_u8 *p = (const xxh_u8 *)s;
    return n <= 3 ? XXH3_len_1to3_64b(p, n, XXH3_kSecret, seed) : XXH3_len_4to8_64b(p, n, XXH3_kSecret, seed);
}

/* Character n-grams of one word, padded with a space on each side. */
static void add_char_ngrams(const cg_extractor_config *c, pending *p, const char *word, size_t len)
{
    uint64_t seed = c->seed ^ SEED_CHAR;
    char padded[4 * MAX_CHAR_NGRAM_WORD + 2];
    /* ASCII words, the usual case: a code point is a byte. */
    size_t m = len < MAX_CHAR_NGRAM_WORD ? len : MAX_CHAR_NGRAM_WORD;
    unsigned char any_high = 0;
    for (size_t i = 0; i < m; i++) {
        padded[i + 1] = word[i];
        any_high |= (unsigned char)word[i];
    }
    if (!(any_high & 0x80)) {
        size_t n_cp = m + 2;
        padded[0] = ' ';
        padded[m + 1] = ' ';
        for (size_t start = 0; start + c->char_min <= n_cp; start++) {
            size_t top = n_cp - start < c->char_max ? n_cp - start : c->char_max;
            for (size_t n = c->char_min; n <= top; n++)
                queue(p, short_hash(padded + start, n, seed), CHAR_FLAG); /* n <= char_max <= 8 */
        }
        return;
    }
    size_t offsets[MAX_CHAR_NGRAM_WORD + 3]; /* byte offset of each code point, and the end */
    size_t n_cp = 0, n_bytes = 0;
    padded[n_bytes] = ' ';
    offsets[n_cp++] = n_bytes++;
    for (size_t i = 0; i < len && n_cp <= MAX_CHAR_NGRAM_WORD;) {
        size_t cp_len = 1;
        while (i + cp_len < len && ((unsigned char)word[i + cp_len] & 0xC0) == 0x80)
            cp_len++;
        offsets[n_cp++] = n_bytes;
        memcpy(padded + n_bytes, word + i, cp_len);
        n_bytes += cp_len;
        i += cp_len;
    }
    offsets[n_cp++] = n_bytes;
    padded[n_bytes++] = ' ';
    offsets[n_cp] = n_bytes;
    for (size_t start = 0; start < n_cp; start++)
        for (unsigned n = c->char_min; n <= c->char_max && start + n <= n_cp; n++)
            queue(p, XXH3_64bits_withSeed(padded + offsets[start], offsets[start + n] - offsets[start], seed),
                  CHAR_FLAG);
}

/* Upper bound on the slots one token can touch, to size ws->touched before the loop: its word
 * n-grams, one more (a link's domain, or a word's "<promotion>") and a word's character n-grams. */
static size_t slots_per_token(const cg_extractor_config *c)
{
    size_t chars = c->char_max ? (size_t)(c->char_max - c->char_min + 1) * (MAX_CHAR_NGRAM_WORD + 2) : 0;
    return c->word_ngrams + 1 + chars;
}

/* Queue the character n-grams of the word token s[0..n) and return the hash of the word, folded
 * (fold.h), adding its foldings to *folded_count; through the word cache when there is one (the
 * token's set there starts at `entry`, from cg_word_cache_place). */
static uint64_t word_features(const cg_extractor_config *c, pending *p, const char *s, size_t n, size_t entry,
                              uint32_t *folded_count)
{
    char folded[CG_MAX_WORD_BYTES];
    if (n > sizeof folded)
        n = sizeof folded;
    cg_word_entry *e = NULL; /* the entry the word is given if it fits */
    uint64_t key[2];
    if (p->cache && n <= CG_WORD_CACHE_KEY) {
        const cg_word_entry *hit = cg_word_cache_find(p->cache + entry, s, n, key, &e);
        if (hit) {
            for (size_t k = 0; k < hit->n_slots; k += CG_WORD_CACHE_BLOCK)
                memcpy(p->slot + p->n + k, hit->slots + k, CG_WORD_CACHE_BLOCK * sizeof *hit->slots);
            p->n += hit->n_slots;
            *folded_count += hit->folded;
            return hit->unigram;
        }
    }
    uint32_t folded_before = *folded_count;
    size_t first = p->n, folded_len = cg_fold_word(s, n, folded, folded_count);
    if (c->char_max > 0)
        add_char_ngrams(c, p, folded, folded_len);
    uint64_t h = XXH3_64bits_withSeed(folded, folded_len, c->seed ^ SEED_UNIGRAM);
    if (e && p->n - first <= CG_WORD_CACHE_SLOTS) {
        cg_word_cache_claim(p->cache + entry, e, key, n);
        e->unigram = h;
        e->n_slots = (uint16_t)(p->n - first);
        e->folded = (uint16_t)(*folded_count - folded_before);
        memcpy(e->slots, p->slot + first, (p->n - first) * sizeof *e->slots);
    }
    return h;
}

/* Whether token i (analysed up to its lexicon bits) is a word of the lexicon's [unmarked] section:
 * only a word has lexicon bits, and only a lexicon with such words gives the bit. */
static int is_unmarked(const cg_workspace *ws, size_t i)
{
    return ws->token_lexicon[i] & CG_LEXICON_UNMARKED;
}

/* Whether token i is left out of the word n-grams: an unmarked word without group_placeholder. */
static int left_out(const cg_extractor *ex, const cg_workspace *ws, size_t i)
{
    return !ex->config.group_placeholder && is_unmarked(ws, i);
}

/* The nearest token before token i that is not left out, or NO_TOKEN: the word n-grams join the
 * words around a left-out one as if the comment did not have it. */
#define NO_TOKEN ((size_t)-1)
static size_t kept_before(const cg_extractor *ex, const cg_workspace *ws, size_t i)
{
    while (i-- > 0)
        if (!left_out(ex, ws, i))
            return i;
    return NO_TOKEN;
}

/* What token i (analysed, not left out) is in the word n-grams: its unigram hash, or "<group>"'s for
 * an unmarked word with group_placeholder. */
static uint64_t gram_hash(const cg_extractor *ex, const cg_workspace *ws, size_t i)
{
    if (!ex->config.group_placeholder || !is_unmarked(ws, i))
        return ws->token_hash[i];
    return XXH3_64bits_withSeed(GROUP_TOKEN, sizeof GROUP_TOKEN - 1, ex->config.seed ^ SEED_UNIGRAM);
}

/* Queue the slots that token i contributes: its word n-grams ending at it (class tokens such as
 * <url> stand in for their text, with the domain hashed besides) and, for a word, its character
 * n-grams and "<promotion>" if it ends a promotional phrase of the lexicon. An unmarked word gives
 * nothing, or with group_placeholder only the bigram and trigram ending at it as "<group>": its own
 * unigram, like its character n-grams, would mark any group's mention as abuse (measured: the card
 * notes, identity suite). Records the token's unigram hash in ws->token_hash[i],
 * and a word's lexicon bits in ws->token_lexicon[i], for the next tokens' n-grams (and the lexicon
 * and relevance features, which still see every word as it is). */
static void token_features(const cg_extractor *ex, cg_workspace *ws, size_t i, pending *p, uint32_t *folded_count)
{
    const cg_extractor_config *c = &ex->config;
    const cg_token *t = &ws->tokens[i];
    const char *s = ws->norm + t->start;
    size_t n = t->len, first = p->n;
    uint64_t h;
    if (t->kind == CG_TOK_WORD) {
        h = word_features(c, p, s, n, t->cache_entry, folded_count);
    } else {
        if (t->kind == CG_TOK_URL || t->kind == CG_TOK_EMAIL) {
            size_t dlen;
            const char *domain = cg_token_domain(s, n, (cg_token_kind)t->kind, &dlen);
            if (dlen > 0)
                queue(p, cg_domain_hash(c, domain, dlen), 0);
        }
        s = cg_token_class_name((cg_token_kind)t->kind);
        h = XXH3_64bits_withSeed(s, strlen(s), c->seed ^ SEED_UNIGRAM);
    }
    ws->token_hash[i] = h;
    ws->token_lexicon[i] = t->kind == CG_TOK_WORD && ex->lexicon_keys ? (uint8_t)cg_lexicon_kind(ex, h) : 0;
    if (is_unmarked(ws, i)) {
        p->n = first; /* its character n-grams, queued by word_features, go too */
        if (!c->group_placeholder)
            return;
        h = gram_hash(ex, ws, i);
    } else {
        queue(p, h, 0);
        if (ex->n_promotion > 0 && t->kind == CG_TOK_WORD && cg_ends_promotion(ex, ws, i))
            queue(p, XXH3_64bits_withSeed(PROMOTION_TOKEN, sizeof PROMOTION_TOKEN - 1, c->seed ^ SEED_UNIGRAM), 0);
    }
    size_t prev = c->word_ngrams >= 2 ? kept_before(ex, ws, i) : NO_TOKEN;
    if (prev == NO_TOKEN)
        return;
    uint64_t h_prev = gram_hash(ex, ws, prev);
    queue(p, hash_pair(h_prev, h, c->seed ^ SEED_BIGRAM), 0);
    size_t before = c->word_ngrams >= 3 ? kept_before(ex, ws, prev) : NO_TOKEN;
    if (before != NO_TOKEN)
        queue(p, hash_pair(hash_pair(gram_hash(ex, ws, before), h_prev, c->seed ^ SEED_TRIGRAM), h,
                           c->seed ^ SEED_TRIGRAM),
              0);
}

size_t cg_token_slot_bound(const cg_extractor_config *c)
{
    return slots_per_token(c);
}

size_t cg_token_slots(const cg_extractor *ex, cg_workspace *ws, size_t i, uint32_t *slot, float *weight)
{
    const cg_extractor_config *c = &ex->config;
    pending p;
    p.n = 0;
    p.acc = ws->acc;
    p.mask = (uint32_t)(((size_t)1 << c->hash_bits) - 1);
    p.cache = NULL;
    uint32_t folded = 0;
    token_features(ex, ws, i, &p, &folded);
    for (size_t k = 0; k < p.n; k++) {
        slot[k] = p.slot[k] & ~CHAR_FLAG;
        weight[k] = (p.slot[k] & CHAR_FLAG) ? (float)c->char_weight : 1.0f;
    }
    return p.n;
}

cg_status cg_analyse(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len)
{
    const cg_extractor_config *c = &ex->config;
    cg_status st = cg_normalize(ws, text, len);
    if (st == CG_OK)
        st = cg_tokenize(ex->patterns, ws);
    if (st != CG_OK)
        return st;

    size_t dim = (size_t)1 << c->hash_bits;
    if (ws->acc_dim != dim) {
        free(ws->acc);
        ws->acc = calloc(dim, sizeof *ws->acc);
        ws->acc_dim = ws->acc ? dim : 0;
        if (!ws->acc)
            return cg_fail(ws, CG_ERR_NOMEM, "out of memory for the feature accumulator");
    }
    if (cg_grow((void **)&ws->touched, &ws->touched_cap, ws->n_tokens * slots_per_token(c) + 1,
                sizeof *ws->touched) != CG_OK ||
        cg_grow((void **)&ws->token_hash, &ws->token_hash_cap, ws->n_tokens + 1, sizeof *ws->token_hash) != CG_OK ||
        cg_grow((void **)&ws->token_lexicon, &ws->token_lexicon_cap, ws->n_tokens + 1, sizeof *ws->token_lexicon) !=
            CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for %zu tokens", ws->n_tokens);

    pending p;
    p.n = 0;
    p.acc = ws->acc;
    p.mask = (uint32_t)(dim - 1);
    uint64_t settings[2] = {c->seed, (uint64_t)c->hash_bits | (uint64_t)c->char_min << 8 | (uint64_t)c->char_max << 16};
    p.cache = cg_word_cache_open(ws, settings);
    if (p.cache)
        cg_word_cache_place(ws, p.cache);
    size_t per_token = slots_per_token(c);
    float char_weight = (float)c->char_weight;
    ws->n_touched = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        if (p.n + per_token > PENDING_SLOTS)
            flush(ws, &p, char_weight);
        token_features(ex, ws, i, &p, &ws->stats.folded);
    }
    flush(ws, &p, char_weight);
    return CG_OK;
}

void cg_clear_accumulator(cg_workspace *ws)
{
    for (size_t i = 0; i < ws->n_touched; i++)
        ws->acc[ws->touched[i]] = 0.0f;
    ws->n_touched = 0;
}

uint64_t cg_bigram_hash(const cg_extractor_config *c, uint64_t first, uint64_t second)
{
    return hash_pair(first, second, c->seed ^ SEED_BIGRAM);
}

uint64_t cg_lexicon_key(const cg_extractor *ex, const cg_workspace *ws)
{
    if (ws->n_tokens == 1)
        return ws->token_hash[0];
    return hash_pair(ws->token_hash[0], ws->token_hash[1], ex->config.seed ^ SEED_BIGRAM);
}
