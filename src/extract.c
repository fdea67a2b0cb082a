/* extract.c - from normalised tokens to a sparse, hashed, L2-normalised feature vector.
 *
 * Word n-grams (class tokens such as <url> stand in for what they replace), the domains of links
 * and e-mail addresses, and character n-grams within words are hashed with seeded xxHash into
 * 2^hash_bits slots. A slot's value is its sublinear term frequency, 1 + ln(count) (counts of
 * character n-grams are scaled by char_weight first); the block is scaled to unit length. Dense
 * signals and, with an article, relevance features follow in their own index ranges. */
#include "extract.h"

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
#include "relevance.h"

/* Distinguish kinds of n-gram that could otherwise hash alike ("ab" as a word and as a char
 * bigram). Arbitrary odd constants. */
#define SEED_UNIGRAM 0x9E3779B97F4A7C15ull
#define SEED_BIGRAM 0xC2B2AE3D27D4EB4Full
#define SEED_TRIGRAM 0x165667B19E3779F9ull
#define SEED_CHAR 0xD6E8FEB86659FD93ull
#define SEED_DOMAIN 0xFF51AFD7ED558CCDull

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
}

uint64_t cg_domain_hash(const cg_extractor_config *c, const char *domain, size_t len)
{
    return XXH3_64bits_withSeed(domain, len, c->seed ^ SEED_DOMAIN);
}

/*
 * Hashing and accumulating are split: the slots of a run of tokens are computed first (and the
 * accumulator's cache lines prefetched), then added in exactly the order they were computed, so
 * that the dense accumulator's cache misses overlap instead of stalling one after another. A slot
 * entry carries CHAR_FLAG when it takes the character n-gram weight instead of 1.
 */
#define PENDING_SLOTS 1024
#define CHAR_FLAG 0x80000000u

typedef struct pending {
    uint32_t slot[PENDING_SLOTS];
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

static void flush(cg_workspace *ws, pending *p, float char_weight)
{
    float *acc = ws->acc;
    uint32_t *touched = ws->touched;
    size_t n_touched = ws->n_touched;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t e = p->slot[i], slot = e & ~CHAR_FLAG;
        float weight = (e & CHAR_FLAG) ? char_weight : 1.0f;
        if (acc[slot] == 0.0f)
            touched[n_touched++] = slot;
        acc[slot] += weight;
    }
    ws->n_touched = n_touched;
    p->n = 0;
}

static uint64_t hash_pair(uint64_t a, uint64_t b, uint64_t seed)
{
    uint64_t pair[2] = {a, b};
    return XXH3_64bits_withSeed(pair, sizeof pair, seed);
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
                queue(p, XXH3_64bits_withSeed(padded + start, n, seed), CHAR_FLAG);
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

/* Upper bound on the slots one token can touch, to size ws->touched before the loop. */
static size_t slots_per_token(const cg_extractor_config *c)
{
    size_t chars = c->char_max ? (size_t)(c->char_max - c->char_min + 1) * (MAX_CHAR_NGRAM_WORD + 2) : 0;
    return c->word_ngrams + 1 + chars;
}

/* The workspace's word cache for these settings (emptied if it was filled with others), or NULL
 * if there is no memory for one: it only saves time. */
static cg_word_entry *word_cache(const cg_extractor_config *c, cg_workspace *ws)
{
    uint64_t config[2] = {c->seed, (uint64_t)c->hash_bits | (uint64_t)c->char_min << 8 | (uint64_t)c->char_max << 16};
    if (!ws->word_cache) {
        ws->word_cache = calloc(CG_WORD_CACHE_SIZE, sizeof *ws->word_cache);
        if (!ws->word_cache)
            return NULL;
        memcpy(ws->word_cache_config, config, sizeof config);
    } else if (memcmp(ws->word_cache_config, config, sizeof config) != 0) {
        for (size_t k = 0; k < CG_WORD_CACHE_SIZE; k++)
            ws->word_cache[k].len = 0;
        memcpy(ws->word_cache_config, config, sizeof config);
    }
    return ws->word_cache;
}

/* Where word tokens of at most CG_WORD_CACHE_KEY bytes go in the word cache, and a request for
 * their entries' first cache lines, all before any is needed. */
static void find_cache_entries(cg_workspace *ws, const cg_word_entry *cache)
{
    for (size_t i = 0; i < ws->n_tokens; i++) {
        cg_token *t = &ws->tokens[i];
        if (t->kind == CG_TOK_WORD && t->len <= CG_WORD_CACHE_KEY) {
            t->cache_entry = (uint16_t)(XXH3_64bits(ws->norm + t->start, t->len) & (CG_WORD_CACHE_SIZE - 1));
            __builtin_prefetch(cache + t->cache_entry);
        }
    }
}

/* Queue the character n-grams of the word token s[0..n) and return the hash of the word, folded
 * (fold.h), adding its foldings to *folded_count; through the word cache when there is one (the
 * token's entry there is `entry`, from find_cache_entries). */
static uint64_t word_features(const cg_extractor_config *c, pending *p, const char *s, size_t n, size_t entry,
                              uint32_t *folded_count)
{
    char folded[CG_MAX_WORD_BYTES];
    if (n > sizeof folded)
        n = sizeof folded;
    cg_word_entry *e = NULL;
    if (p->cache && n <= CG_WORD_CACHE_KEY) {
        e = &p->cache[entry];
        if (e->len == n && memcmp(e->key, s, n) == 0) {
            for (size_t k = 0; k < e->n_slots; k++) {
                uint32_t slot = e->slots[k];
                __builtin_prefetch(p->acc + (slot & ~CHAR_FLAG), 1, 3);
                p->slot[p->n + k] = slot;
            }
            p->n += e->n_slots;
            *folded_count += e->folded;
            return e->unigram;
        }
    }
    uint32_t folded_before = *folded_count;
    size_t first = p->n, folded_len = cg_fold_word(s, n, folded, folded_count);
    if (c->char_max > 0)
        add_char_ngrams(c, p, folded, folded_len);
    uint64_t h = XXH3_64bits_withSeed(folded, folded_len, c->seed ^ SEED_UNIGRAM);
    if (e && p->n - first <= CG_WORD_CACHE_SLOTS) {
        e->len = (uint8_t)n;
        memcpy(e->key, s, n);
        e->unigram = h;
        e->n_slots = (uint16_t)(p->n - first);
        e->folded = (uint16_t)(*folded_count - folded_before);
        memcpy(e->slots, p->slot + first, (p->n - first) * sizeof *e->slots);
    }
    return h;
}

/* Queue the slots that token i contributes: its word n-grams ending at it (class tokens such as
 * <url> stand in for their text, with the domain hashed besides) and, for a word, its character
 * n-grams. Records the token's unigram hash in ws->token_hash[i] for the next tokens' n-grams. */
static void token_features(const cg_extractor_config *c, cg_workspace *ws, size_t i, pending *p,
                           uint32_t *folded_count)
{
    const cg_token *t = &ws->tokens[i];
    const char *s = ws->norm + t->start;
    size_t n = t->len;
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
    queue(p, h, 0);
    if (c->word_ngrams >= 2 && i >= 1)
        queue(p, hash_pair(ws->token_hash[i - 1], h, c->seed ^ SEED_BIGRAM), 0);
    if (c->word_ngrams >= 3 && i >= 2)
        queue(p,
              hash_pair(hash_pair(ws->token_hash[i - 2], ws->token_hash[i - 1], c->seed ^ SEED_TRIGRAM), h,
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
    token_features(c, ws, i, &p, &folded);
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
        cg_grow((void **)&ws->token_hash, &ws->token_hash_cap, ws->n_tokens + 1, sizeof *ws->token_hash) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for %zu tokens", ws->n_tokens);

    pending p;
    p.n = 0;
    p.acc = ws->acc;
    p.mask = (uint32_t)(dim - 1);
    p.cache = word_cache(c, ws);
    if (p.cache)
        find_cache_entries(ws, p.cache);
    size_t per_token = slots_per_token(c);
    float char_weight = (float)c->char_weight;
    ws->n_touched = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        if (p.n + per_token > PENDING_SLOTS)
            flush(ws, &p, char_weight);
        token_features(c, ws, i, &p, &ws->stats.folded);
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

static void insertion_sort(uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/*
 * The distinct slots a[0..n), each below 2^bits, in ascending order; returns a or tmp (room for
 * n), whichever holds them. A few are sorted in place; up to SORT_BUCKETS_MAX_N are spread over
 * 2^SORT_BUCKET_BITS buckets by their top bits (hash slots spread evenly, so a bucket holds about
 * one) and then insertion-sorted, which costs little when nearly sorted and at most n^2/2 steps
 * whatever the input; more take a two-pass radix sort.
 */
#define SORT_BUCKET_BITS 9
#define SORT_BUCKETS_MAX_N 1024

static const uint32_t *sort_slots(uint32_t *a, size_t n, uint32_t *tmp, unsigned bits)
{
    if (n <= 32) {
        insertion_sort(a, n);
        return a;
    }
    if (n <= SORT_BUCKETS_MAX_N) {
        uint32_t start[(1u << SORT_BUCKET_BITS) + 1];
        unsigned shift = bits - SORT_BUCKET_BITS; /* bits is at least 10 */
        memset(start, 0, sizeof start);
        for (size_t i = 0; i < n; i++)
            start[(a[i] >> shift) + 1]++;
        for (uint32_t b = 1; b <= (1u << SORT_BUCKET_BITS); b++)
            start[b] += start[b - 1];
        for (size_t i = 0; i < n; i++)
            tmp[start[a[i] >> shift]++] = a[i];
        insertion_sort(tmp, n);
        return tmp;
    }
    enum { MAX_DIGIT_BITS = 12 };
    uint32_t low_count[1u << MAX_DIGIT_BITS], high_count[1u << MAX_DIGIT_BITS];
    unsigned low_bits = (bits + 1) / 2, high_bits = bits - low_bits;
    uint32_t low_n = 1u << low_bits, high_n = 1u << high_bits, low_mask = low_n - 1;
    memset(low_count, 0, low_n * sizeof *low_count);
    memset(high_count, 0, high_n * sizeof *high_count);
    for (size_t i = 0; i < n; i++) {
        low_count[a[i] & low_mask]++;
        high_count[a[i] >> low_bits]++;
    }
    uint32_t sum = 0;
    for (uint32_t d = 0; d < low_n; d++) {
        uint32_t k = low_count[d];
        low_count[d] = sum;
        sum += k;
    }
    sum = 0;
    for (uint32_t d = 0; d < high_n; d++) {
        uint32_t k = high_count[d];
        high_count[d] = sum;
        sum += k;
    }
    for (size_t i = 0; i < n; i++)
        tmp[low_count[a[i] & low_mask]++] = a[i];
    for (size_t i = 0; i < n; i++)
        a[high_count[tmp[i] >> low_bits]++] = tmp[i];
    return a;
}

static double capped(uint32_t count, uint32_t cap)
{
    return count >= cap ? 1.0 : (double)count / cap;
}

static void compute_signals(const cg_workspace *ws, double *sig)
{
    const cg_text_stats *st = &ws->stats;
    uint32_t kinds[CG_TOK_KINDS] = {0};
    for (size_t i = 0; i < ws->n_tokens; i++)
        kinds[ws->tokens[i].kind]++;
    sig[CG_SIG_LENGTH] = fmin(1.0, log1p((double)st->chars) / log1p(5000.0));
    sig[CG_SIG_UPPER] = st->letters >= 5 ? (double)st->upper / st->letters : 0.0;
    sig[CG_SIG_DIGITS] = st->chars ? (double)st->digits / st->chars : 0.0;
    sig[CG_SIG_URLS] = capped(kinds[CG_TOK_URL], 4);
    sig[CG_SIG_EMAILS] = capped(kinds[CG_TOK_EMAIL], 2);
    sig[CG_SIG_MENTIONS] = capped(kinds[CG_TOK_MENTION], 4);
    sig[CG_SIG_PHONES] = capped(kinds[CG_TOK_PHONE], 2);
    sig[CG_SIG_MONEY] = capped(kinds[CG_TOK_MONEY], 2);
    sig[CG_SIG_IMAGES] = capped(st->images, 4);
    sig[CG_SIG_ANCHORS] = capped(st->anchors, 4);
    sig[CG_SIG_ELONGATIONS] = capped(st->elongations, 4);
    sig[CG_SIG_EXCLAIMS] = capped(st->exclaims, 10);
    sig[CG_SIG_INVALID] = capped(st->invalid, 4);
}

uint64_t cg_lexicon_key(const cg_extractor *ex, const cg_workspace *ws)
{
    if (ws->n_tokens == 1)
        return ws->token_hash[0];
    return hash_pair(ws->token_hash[0], ws->token_hash[1], ex->config.seed ^ SEED_BIGRAM);
}

/* The CG_LEXICON_* bits of key in the lexicon's table, 0 if it is not there. */
static unsigned lexicon_kind(const cg_extractor *ex, uint64_t key)
{
    for (size_t s = key & ex->lexicon_mask; ex->lexicon_keys[s] != 0; s = (s + 1) & ex->lexicon_mask)
        if (ex->lexicon_keys[s] == key)
            return ex->lexicon_kind[s];
    return 0;
}

/* Occurrences of lexicon entries: words, and pairs of adjacent words (a word inside a matched
 * pair counts once for the pair as well as on its own if it is an entry too). A pair is hashed only
 * after a word that starts one, so the cost is about one probe per word. */
static void compute_lexicon_signals(const cg_extractor *ex, const cg_workspace *ws, double *sig)
{
    uint32_t hits = 0;
    unsigned previous = 0; /* the bits of the previous token, if it was a word */
    for (size_t i = 0; i < ws->n_tokens; i++) {
        if (ws->tokens[i].kind != CG_TOK_WORD) {
            previous = 0;
            continue;
        }
        unsigned kind = lexicon_kind(ex, ws->token_hash[i]);
        hits += (kind & CG_LEXICON_ENTRY) != 0;
        if ((previous & CG_LEXICON_PAIR_START) &&
            (lexicon_kind(ex, hash_pair(ws->token_hash[i - 1], ws->token_hash[i], ex->config.seed ^ SEED_BIGRAM)) &
             CG_LEXICON_ENTRY))
            hits++;
        previous = kind;
    }
    sig[CG_LEX_HITS] = capped(hits, 2); /* 2 measured against 1 and 4: training/default-card-notes.md */
}

static void push_node(cg_workspace *ws, int index, double value)
{
    ws->nodes[ws->n_nodes].index = index;
    ws->nodes[ws->n_nodes].value = value;
    ws->n_nodes++;
}

cg_status cg_extract(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                     const struct cg_article *article)
{
    const cg_extractor_config *c = &ex->config;
    cg_status st = cg_analyse(ex, ws, text, len);
    if (st != CG_OK)
        return st;
    size_t dense = CG_NUM_SIGNALS + CG_NUM_RELEVANCE + CG_NUM_LEXICON;
    if (cg_grow((void **)&ws->nodes, &ws->nodes_cap, ws->n_touched + dense + 1, sizeof *ws->nodes) != CG_OK ||
        cg_grow((void **)&ws->sort_tmp, &ws->sort_tmp_cap, ws->n_touched + 1, sizeof *ws->sort_tmp) != CG_OK) {
        cg_clear_accumulator(ws);
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for %zu features", ws->n_touched);
    }

    /* The hashed block, and with an article its dot product with the article's block (for the
     * n-gram cosine), in one pass over the slots. */
    const uint32_t *sorted = sort_slots(ws->touched, ws->n_touched, ws->sort_tmp, c->hash_bits);
    double norm2 = 0, dot = 0;
    struct svm_node *nodes = ws->nodes;
    float *acc = ws->acc;
    size_t n = ws->n_touched;
    for (size_t i = 0; i < n; i++) {
        uint32_t slot = sorted[i];
        double v = cg_sublinear(ws, acc[slot]);
        acc[slot] = 0.0f;
        norm2 += v * v;
        if (article)
            dot += v * cg_article_slot_weight(article, slot);
        nodes[i].index = (int)slot + 1;
        nodes[i].value = v;
    }
    ws->n_nodes = n;
    ws->n_touched = 0;
    if (norm2 > 0) {
        double inv = 1.0 / sqrt(norm2);
        for (size_t i = 0; i < ws->n_nodes; i++)
            ws->nodes[i].value *= inv;
    }

    double rel[CG_NUM_RELEVANCE] = {0};
    if (article) {
        cg_relevance(ex, ws, article, norm2 > 0 ? dot / sqrt(norm2) : 0, rel);
        for (int k = 0; k < CG_REL_COUNT; k++)
            rel[k] -= c->relevance_center[k];
    }

    double sig[CG_NUM_SIGNALS];
    compute_signals(ws, sig);
    for (int k = 0; k < CG_NUM_SIGNALS; k++)
        if (sig[k] != 0.0 && c->signal_weight > 0)
            push_node(ws, cg_signal_base(c) + k, sig[k] * c->signal_weight);
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        if (rel[k] != 0.0 && c->relevance_weight > 0)
            push_node(ws, cg_relevance_base(c) + k, rel[k] * c->relevance_weight);
    if (ex->n_lexicon > 0 && c->signal_weight > 0) {
        double lex[CG_NUM_LEXICON];
        compute_lexicon_signals(ex, ws, lex);
        for (int k = 0; k < CG_NUM_LEXICON; k++)
            if (lex[k] != 0.0)
                push_node(ws, cg_lexicon_base(c) + k, lex[k] * c->signal_weight);
    }
    ws->nodes[ws->n_nodes].index = -1;
    ws->nodes[ws->n_nodes].value = 0;
    return CG_OK;
}
