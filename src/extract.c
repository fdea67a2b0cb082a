/* extract.c - from text to a sparse, hashed, L2-normalised feature vector: the slots cg_analyse
 * (analyse.c) hashed, sorted and scaled to unit length, then the dense signals, the relevance
 * features against an article (relevance.c) and the lexicon's signals, each in its own index range
 * (extract.h). For scoring, the same features summed against a linear model's weights instead, the
 * slots in the order they were first touched and no vector written (cg_extract_sums). */
#include "extract.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "relevance.h"
#include "slot_sort.h"

/* The nodes of the sorted slots: their sublinear counts (the accumulator cleared for the next text),
 * their squared length in *norm2 and, with an article, their dot product with the article's block in
 * *dot. Inlined twice, with and without an article, so that the loop does not ask each time. */
static inline __attribute__((always_inline)) void hashed_nodes(cg_workspace *ws, const uint32_t *sorted, size_t n,
                                                               float table_below, const struct cg_article *article,
                                                               double *norm2, double *dot)
{
    struct svm_node *nodes = ws->nodes;
    float *acc = ws->acc;
    double sum2 = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t slot = sorted[i];
        double v = cg_sublinear_acc(ws, acc[slot], table_below);
        acc[slot] = 0.0f;
        sum2 += v * v;
        if (article)
            sum += v * cg_article_slot_weight(article, slot);
        nodes[i].index = (int)slot + 1;
        nodes[i].value = v;
    }
    *norm2 = sum2;
    *dot = sum;
}

_Static_assert(CG_PAIRS == 3, "hashed_sums sums three pairs");

/* hashed_nodes for cg_extract_sums: the slots' sublinear counts times their weights (CG_WEIGHT_STRIDE
 * doubles a feature, the pairs first) summed into s[], no node written. The weights of a comment's
 * slots lie scattered over megabytes: cg_analyse asked for their cache lines as it added the slots up
 * (ws->prefetch_weights), so that the misses overlapped. The loop is unrolled by two (measured with
 * tools/profile.py: 0.7% of `score`'s instructions). */
static inline __attribute__((always_inline)) void hashed_sums(cg_workspace *ws, const uint32_t *in, size_t n,
                                                              float table_below, const struct cg_article *article,
                                                              const double *weights, double *norm2, double *dot,
                                                              double s[CG_PAIRS])
{
    float *acc = ws->acc;
    double sum2 = 0, sum = 0, s0 = 0, s1 = 0, s2 = 0;
#pragma GCC unroll 2
    for (size_t i = 0; i < n; i++) {
        uint32_t slot = in[i];
        double v = cg_sublinear_acc(ws, acc[slot], table_below);
        acc[slot] = 0.0f;
        sum2 += v * v;
        if (article)
            sum += v * cg_article_slot_weight(article, slot);
        const double *w = weights + ((size_t)slot + 1) * CG_WEIGHT_STRIDE;
        s0 += w[0] * v;
        s1 += w[1] * v;
        s2 += w[2] * v;
    }
    *norm2 = sum2;
    *dot = sum;
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
}

/* cg_sublinear_acc's table_below for the accumulator of these settings: a word n-gram adds 1 and a
 * character n-gram char_weight, so every count is a multiple of a half if char_weight is (the default
 * 0.5 is; a float holds such sums exactly far beyond CG_LOG_TABLE), else 0: cg_sublinear's tests. */
static float table_below_of(const cg_extractor_config *c)
{
    double twice = 2 * c->char_weight;
    return twice == floor(twice) ? CG_LOG_TABLE : 0.0f;
}

static double capped(uint32_t count, uint32_t cap)
{
    return count >= cap ? 1.0 : (double)count / cap;
}

static void compute_signals(const cg_extractor_config *c, const cg_workspace *ws, double *sig)
{
    const cg_text_stats *st = &ws->stats;
    uint32_t kinds[CG_TOK_KINDS] = {0};
    for (size_t i = 0; i < ws->n_tokens; i++)
        kinds[ws->tokens[i].kind]++;
    sig[CG_SIG_LENGTH] = c->length_signal ? fmin(1.0, log1p((double)st->chars) / log1p(5000.0)) : 0.0;
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

/* Occurrences of lexicon entries: words, and pairs of adjacent words (a word inside a matched
 * pair counts once for the pair as well as on its own if it is an entry too). A word's bits were
 * looked up by cg_analyse; a pair is hashed and looked up only after a word that starts one. */
static void compute_lexicon_signals(const cg_extractor *ex, const cg_workspace *ws, double *sig)
{
    uint32_t hits = 0;
    unsigned previous = 0; /* the bits of the previous token, if it was a word */
    for (size_t i = 0; i < ws->n_tokens; i++) {
        if (ws->tokens[i].kind != CG_TOK_WORD) {
            previous = 0;
            continue;
        }
        unsigned kind = ws->token_lexicon[i];
        hits += (kind & CG_LEXICON_ENTRY) != 0;
        if ((previous & CG_LEXICON_PAIR_START) &&
            (cg_lexicon_kind(ex, cg_bigram_hash(&ex->config, ws->token_hash[i - 1], ws->token_hash[i])) &
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

/* cg_extract, or with weights cg_extract_sums into sums[]. */
static cg_status extract(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                         const struct cg_article *article, const double *weights, double sums[CG_PAIRS])
{
    const cg_extractor_config *c = &ex->config;
    ws->prefetch_weights = weights ? weights + CG_WEIGHT_STRIDE : NULL; /* slot k is feature k + 1 */
    cg_status st = cg_analyse(ex, ws, text, len);
    ws->prefetch_weights = NULL;
    if (st != CG_OK)
        return st;
    size_t dense = CG_NUM_SIGNALS + CG_NUM_RELEVANCE + CG_NUM_LEXICON;
    const uint32_t *sorted = NULL;
    if (cg_grow((void **)&ws->nodes, &ws->nodes_cap, (weights ? 0 : ws->n_touched) + dense + 1, sizeof *ws->nodes) !=
            CG_OK ||
        (!weights && cg_sort_touched(ws, c->hash_bits, &sorted) != CG_OK)) {
        cg_clear_accumulator(ws);
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for %zu features", ws->n_touched);
    }

    /* The hashed block, and with an article its dot product with the article's block (for the
     * n-gram cosine), in one pass over the slots. */
    double norm2 = 0, dot = 0;
    size_t n = ws->n_touched;
    float table_below = table_below_of(c);
    if (weights) {
        if (article)
            hashed_sums(ws, ws->touched, n, table_below, article, weights, &norm2, &dot, sums);
        else
            hashed_sums(ws, ws->touched, n, table_below, NULL, weights, &norm2, &dot, sums);
        ws->n_nodes = 0;
    } else {
        if (article)
            hashed_nodes(ws, sorted, n, table_below, article, &norm2, &dot);
        else
            hashed_nodes(ws, sorted, n, table_below, NULL, &norm2, &dot);
        ws->n_nodes = n;
    }
    ws->n_touched = 0;
    if (norm2 > 0) {
        double inv = 1.0 / sqrt(norm2);
        for (size_t i = 0; i < ws->n_nodes; i++)
            ws->nodes[i].value *= inv;
        for (int p = 0; weights && p < CG_PAIRS; p++)
            sums[p] *= inv;
    }
    double rel[CG_NUM_RELEVANCE];
    if (article) {
        memset(rel, 0, sizeof rel);
        cg_relevance(ex, ws, article, norm2 > 0 ? dot / sqrt(norm2) : 0, rel);
        for (int k = 0; k < CG_REL_COUNT; k++)
            rel[k] -= c->relevance_center[k];
    }

    double sig[CG_NUM_SIGNALS];
    compute_signals(c, ws, sig);
    for (int k = 0; k < CG_NUM_SIGNALS; k++)
        if (sig[k] != 0.0 && c->signal_weight > 0)
            push_node(ws, cg_signal_base(c) + k, sig[k] * c->signal_weight);
    for (int k = 0; article && k < CG_NUM_RELEVANCE; k++) /* all 0 without an article */
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
    for (size_t i = 0; weights && i < ws->n_nodes; i++) {
        const double *w = weights + (size_t)ws->nodes[i].index * CG_WEIGHT_STRIDE;
        for (int p = 0; p < CG_PAIRS; p++)
            sums[p] += w[p] * ws->nodes[i].value;
    }
    return CG_OK;
}

cg_status cg_extract(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                     const struct cg_article *article)
{
    return extract(ex, ws, text, len, article, NULL, NULL);
}

cg_status cg_extract_sums(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                          const struct cg_article *article, const double *weights, double sums[CG_PAIRS])
{
    return extract(ex, ws, text, len, article, weights, sums);
}
