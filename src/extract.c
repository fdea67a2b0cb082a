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
    c->char_weight = 1.0;
    c->signal_weight = 0.5;
    c->relevance_weight = 1.0;
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
    return cg_patterns_compile(&ex->patterns, err, errlen);
}

void cg_extractor_destroy(cg_extractor *ex)
{
    cg_patterns_free(ex->patterns);
    ex->patterns = NULL;
}

uint64_t cg_domain_hash(const cg_extractor_config *c, const char *domain, size_t len)
{
    return XXH3_64bits_withSeed(domain, len, c->seed ^ SEED_DOMAIN);
}

static inline void add(cg_workspace *ws, uint64_t hash, float weight, uint32_t mask)
{
    uint32_t slot = (uint32_t)hash & mask;
    if (ws->acc[slot] == 0.0f)
        ws->touched[ws->n_touched++] = slot;
    ws->acc[slot] += weight;
}

static uint64_t hash_pair(uint64_t a, uint64_t b, uint64_t seed)
{
    uint64_t pair[2] = {a, b};
    return XXH3_64bits_withSeed(pair, sizeof pair, seed);
}

/* Character n-grams of one word, padded with a space on each side. */
static void add_char_ngrams(const cg_extractor_config *c, cg_workspace *ws, const char *word, size_t len,
                            uint32_t mask)
{
    char padded[4 * MAX_CHAR_NGRAM_WORD + 2];
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
    float weight = (float)c->char_weight;
    uint64_t seed = c->seed ^ SEED_CHAR;
    for (size_t start = 0; start < n_cp; start++)
        for (unsigned n = c->char_min; n <= c->char_max && start + n <= n_cp; n++)
            add(ws, XXH3_64bits_withSeed(padded + offsets[start], offsets[start + n] - offsets[start], seed), weight,
                mask);
}

/* Upper bound on the slots one token can touch, to size ws->touched before the loop. */
static size_t slots_per_token(const cg_extractor_config *c)
{
    size_t chars = c->char_max ? (size_t)(c->char_max - c->char_min + 1) * (MAX_CHAR_NGRAM_WORD + 2) : 0;
    return c->word_ngrams + 1 + chars;
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

    uint32_t mask = (uint32_t)(dim - 1);
    char folded[CG_MAX_WORD_BYTES];
    ws->n_touched = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        const char *s = ws->norm + t->start;
        size_t n = t->len;
        if (t->kind != CG_TOK_WORD) {
            if (t->kind == CG_TOK_URL || t->kind == CG_TOK_EMAIL) {
                size_t dlen;
                const char *domain = cg_token_domain(s, n, (cg_token_kind)t->kind, &dlen);
                if (dlen > 0)
                    add(ws, cg_domain_hash(c, domain, dlen), 1.0f, mask);
            }
            s = cg_token_class_name((cg_token_kind)t->kind);
            n = strlen(s);
        } else {
            if (n > sizeof folded)
                n = sizeof folded;
            n = cg_fold_word(s, n, folded, &ws->stats.folded);
            s = folded;
            if (c->char_max > 0)
                add_char_ngrams(c, ws, s, n, mask);
        }
        uint64_t h = XXH3_64bits_withSeed(s, n, c->seed ^ SEED_UNIGRAM);
        ws->token_hash[i] = h;
        add(ws, h, 1.0f, mask);
        if (c->word_ngrams >= 2 && i >= 1)
            add(ws, hash_pair(ws->token_hash[i - 1], h, c->seed ^ SEED_BIGRAM), 1.0f, mask);
        if (c->word_ngrams >= 3 && i >= 2)
            add(ws, hash_pair(hash_pair(ws->token_hash[i - 2], ws->token_hash[i - 1], c->seed ^ SEED_TRIGRAM), h,
                              c->seed ^ SEED_TRIGRAM),
                1.0f, mask);
    }
    return CG_OK;
}

void cg_clear_accumulator(cg_workspace *ws)
{
    for (size_t i = 0; i < ws->n_touched; i++)
        ws->acc[ws->touched[i]] = 0.0f;
    ws->n_touched = 0;
}

static int compare_slots(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
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
    sig[CG_SIG_FOLDED] = capped(st->folded, 4);
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
    if (cg_grow((void **)&ws->nodes, &ws->nodes_cap, ws->n_touched + CG_NUM_SIGNALS + CG_NUM_RELEVANCE + 1,
                sizeof *ws->nodes) != CG_OK) {
        cg_clear_accumulator(ws);
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for %zu features", ws->n_touched);
    }

    double rel[CG_NUM_RELEVANCE] = {0};
    if (article) {
        cg_relevance(ex, ws, article, rel); /* reads ws->acc, so before it is cleared below */
        for (int k = 0; k < CG_REL_COUNT; k++)
            rel[k] -= c->relevance_center[k];
    }

    qsort(ws->touched, ws->n_touched, sizeof *ws->touched, compare_slots);
    ws->n_nodes = 0;
    double norm2 = 0;
    for (size_t i = 0; i < ws->n_touched; i++) {
        uint32_t slot = ws->touched[i];
        double count = ws->acc[slot];
        ws->acc[slot] = 0.0f;
        double v = count >= 1.0 ? 1.0 + log(count) : count;
        norm2 += v * v;
        push_node(ws, (int)slot + 1, v);
    }
    if (norm2 > 0) {
        double inv = 1.0 / sqrt(norm2);
        for (size_t i = 0; i < ws->n_nodes; i++)
            ws->nodes[i].value *= inv;
    }

    double sig[CG_NUM_SIGNALS];
    compute_signals(ws, sig);
    for (int k = 0; k < CG_NUM_SIGNALS; k++)
        if (sig[k] != 0.0 && c->signal_weight > 0)
            push_node(ws, cg_signal_base(c) + k, sig[k] * c->signal_weight);
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        if (rel[k] != 0.0 && c->relevance_weight > 0)
            push_node(ws, cg_relevance_base(c) + k, rel[k] * c->relevance_weight);
    ws->nodes[ws->n_nodes].index = -1;
    ws->nodes[ws->n_nodes].value = 0;
    return CG_OK;
}
