/* relevance.c - how well a comment fits the article it answers.
 *
 * In the spirit of Mishne, Carmel and Lempel (AIRWeb 2005): a comment that shares little
 * language with its post is more likely to be off-topic. The article is analysed once into
 * open-addressing hash tables; each comment is compared with it by lookups, without allocating. */
#include "relevance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slot_sort.h"

static int is_stopword(const cg_extractor *ex, const char *w, size_t len)
{
    return cg_stopword_find(ex->stopwords, w, len);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* A content word: a word token of two or more bytes that is not a function word. */
static int is_content(const cg_extractor *ex, const cg_workspace *ws, const cg_token *t)
{
    return t->kind == CG_TOK_WORD && t->len >= 2 && !is_stopword(ex, ws->norm + t->start, t->len);
}

/* Edges of the bins of the similarity measures (from the distribution of on- and off-topic
 * training comments): a linear model can then weigh "no overlap at all" and "some overlap"
 * differently from a straight line. */
static const double word_cosine_edges[CG_REL_BIN_EDGES] = {0.05, 0.15, 0.3};
static const double ngram_cosine_edges[CG_REL_BIN_EDGES] = {0.1, 0.2, 0.35};
static const double coverage_edges[CG_REL_BIN_EDGES] = {0.1, 0.25, 0.5};

static void one_hot(double value, const double *edges, double *bins)
{
    int b = 0;
    while (b < CG_REL_BIN_EDGES && value >= edges[b])
        b++;
    bins[b] = 1.0;
}

static long find_u64(const uint64_t *v, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == key ? (long)lo : -1;
}

/* Open-addressing tables (struct cg_article), at most a quarter full. */
static size_t table_size(size_t n)
{
    size_t size = 16;
    while (size < 4 * n)
        size *= 2;
    return size;
}

static float word_weight(const struct cg_article *a, uint64_t word)
{
    for (size_t i = (size_t)word & a->word_mask;; i = (i + 1) & a->word_mask) {
        if (a->word_weight[i] == 0.0f || a->word_key[i] == word)
            return a->word_weight[i];
    }
}

/* The end of the run of equal values that starts at v[i] (v sorted): a word and its repeats. */
static size_t run_end(const uint64_t *v, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && v[j] == v[i])
        j++;
    return j;
}

/* Sort the content-word hashes of the analysed text into ws->rel_scratch; returns how many. */
static size_t sorted_words(const cg_extractor *ex, cg_workspace *ws)
{
    size_t n = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        if (is_content(ex, ws, t))
            ws->rel_scratch[n++] = ws->token_hash[i];
    }
    if (n > 32) {
        qsort(ws->rel_scratch, n, sizeof *ws->rel_scratch, compare_u64);
        return n;
    }
    uint64_t *w = ws->rel_scratch; /* most comments: a few words, where insertion sort is quicker */
    for (size_t i = 1; i < n; i++) {
        uint64_t v = w[i];
        size_t j = i;
        for (; j > 0 && w[j - 1] > v; j--)
            w[j] = w[j - 1];
        w[j] = v;
    }
    return n;
}

void cg_article_destroy(struct cg_article *a)
{
    if (!a)
        return;
    free(a->word_key);
    free(a->word_weight);
    free(a->slots);
    free(a->domains);
    free(a->topic_stems);
    free(a->topic_idf);
    free(a);
}

static cg_status build_words(const cg_extractor *ex, cg_workspace *ws, struct cg_article *a)
{
    size_t n = sorted_words(ex, ws), size = table_size(n);
    a->word_key = calloc(size, sizeof *a->word_key);
    a->word_weight = calloc(size, sizeof *a->word_weight);
    if (!a->word_key || !a->word_weight)
        return CG_ERR_NOMEM;
    a->word_mask = size - 1;
    double norm2 = 0;
    for (size_t i = 0; i < n;) {
        size_t j = run_end(ws->rel_scratch, n, i);
        double w = cg_sublinear(ws, (double)(j - i));
        norm2 += w * w;
        i = j;
    }
    for (size_t i = 0; i < n;) {
        size_t j = run_end(ws->rel_scratch, n, i);
        uint64_t word = ws->rel_scratch[i];
        size_t place = (size_t)word & a->word_mask;
        while (a->word_weight[place] != 0.0f)
            place = (place + 1) & a->word_mask;
        a->word_key[place] = word;
        a->word_weight[place] = (float)((float)cg_sublinear(ws, (double)(j - i)) / sqrt(norm2));
        i = j;
    }
    return CG_OK;
}

static cg_status build_slots(const cg_extractor *ex, cg_workspace *ws, struct cg_article *a)
{
    /* In slot order, so that the norm (a sum) does not depend on the order of the text. */
    const uint32_t *sorted;
    if (cg_sort_touched(ws, ex->config.hash_bits, &sorted) != CG_OK)
        return CG_ERR_NOMEM;
    size_t size = table_size(ws->n_touched);
    a->slots = calloc(size, sizeof *a->slots);
    if (!a->slots)
        return CG_ERR_NOMEM;
    a->slot_mask = size - 1;
    double norm2 = 0;
    for (size_t i = 0; i < ws->n_touched; i++) {
        double w = cg_sublinear(ws, ws->acc[sorted[i]]);
        norm2 += w * w;
    }
    for (size_t i = 0; i < ws->n_touched; i++) {
        uint32_t slot = sorted[i];
        size_t place = (size_t)slot & a->slot_mask;
        while (a->slots[place].weight != 0.0f)
            place = (place + 1) & a->slot_mask;
        a->slots[place].slot = slot;
        a->slots[place].weight = (float)((float)cg_sublinear(ws, ws->acc[slot]) / sqrt(norm2));
    }
    return CG_OK;
}

static cg_status build_domains(const cg_extractor *ex, const cg_workspace *ws, struct cg_article *a)
{
    a->domains = malloc((ws->n_tokens + 1) * sizeof *a->domains);
    if (!a->domains)
        return CG_ERR_NOMEM;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        if (t->kind != CG_TOK_URL && t->kind != CG_TOK_EMAIL)
            continue;
        size_t len;
        const char *d = cg_token_domain(ws->norm + t->start, t->len, (cg_token_kind)t->kind, &len);
        a->domains[a->n_domains++] = cg_domain_hash(&ex->config, d, len);
    }
    qsort(a->domains, a->n_domains, sizeof *a->domains, compare_u64);
    return CG_OK;
}

cg_status cg_article_build(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                           struct cg_article **out)
{
    cg_status st = cg_analyse(ex, ws, text, len);
    if (st != CG_OK)
        return st;
    struct cg_article *a = calloc(1, sizeof *a);
    if (!a || cg_grow((void **)&ws->rel_scratch, &ws->rel_scratch_cap, ws->n_tokens + 1, sizeof *ws->rel_scratch) ||
        build_words(ex, ws, a) || build_slots(ex, ws, a) || build_domains(ex, ws, a)) {
        cg_clear_accumulator(ws);
        cg_article_destroy(a);
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory analysing an article of %zu bytes", len);
    }
    cg_clear_accumulator(ws);
    a->owner = ex;
    *out = a;
    return CG_OK;
}

void cg_relevance(const cg_extractor *ex, cg_workspace *ws, const struct cg_article *a, double ngram_cosine,
                  double *rel)
{
    memset(rel, 0, CG_NUM_RELEVANCE * sizeof *rel);
    rel[CG_REL_NGRAM_COSINE] = ngram_cosine;

    /* Word cosine, and coverage of the comment's content words by the article's. */
    const double *center = ex->config.relevance_center;
    if (cg_grow((void **)&ws->rel_scratch, &ws->rel_scratch_cap, ws->n_tokens + 1, sizeof *ws->rel_scratch) != CG_OK) {
        memcpy(rel, center, CG_NUM_RELEVANCE * sizeof *rel); /* no room to compare: neutral */
        return;
    }
    size_t n = sorted_words(ex, ws), content = 0, found = 0;
    double weight = 0, dot = 0, norm2 = 0;
    for (size_t i = 0; i < n; content++) { /* each distinct content word */
        size_t j = run_end(ws->rel_scratch, n, i);
        double v = cg_sublinear(ws, (double)(j - i));
        norm2 += v * v;
        float w = word_weight(a, ws->rel_scratch[i]);
        if (w > 0.0f) {
            dot += v * w;
            found++;
            weight += w;
        }
        i = j;
    }
    rel[CG_REL_WORD_COSINE] = norm2 > 0 ? dot / sqrt(norm2) : 0;
    one_hot(rel[CG_REL_NGRAM_COSINE], ngram_cosine_edges, rel + CG_REL_NGRAM_COSINE_BINS);
    if (content > 0) {
        rel[CG_REL_COVERAGE] = (double)found / (double)content;
        rel[CG_REL_WEIGHTED_COVERAGE] = weight / (double)content;
        one_hot(rel[CG_REL_WORD_COSINE], word_cosine_edges, rel + CG_REL_WORD_COSINE_BINS);
        one_hot(rel[CG_REL_COVERAGE], coverage_edges, rel + CG_REL_COVERAGE_BINS);
    } else { /* no content words to compare: those features are neutral */
        static const int neutral[] = {CG_REL_WORD_COSINE, CG_REL_COVERAGE, CG_REL_WEIGHTED_COVERAGE};
        for (size_t k = 0; k < sizeof neutral / sizeof neutral[0]; k++)
            rel[neutral[k]] = center[neutral[k]];
        memcpy(rel + CG_REL_WORD_COSINE_BINS, center + CG_REL_WORD_COSINE_BINS, CG_REL_BINS * sizeof *rel);
        memcpy(rel + CG_REL_COVERAGE_BINS, center + CG_REL_COVERAGE_BINS, CG_REL_BINS * sizeof *rel);
    }

    uint32_t foreign = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        if (t->kind != CG_TOK_URL && t->kind != CG_TOK_EMAIL)
            continue;
        size_t len;
        const char *d = cg_token_domain(ws->norm + t->start, t->len, (cg_token_kind)t->kind, &len);
        if (find_u64(a->domains, a->n_domains, cg_domain_hash(&ex->config, d, len)) < 0)
            foreign++;
    }
    rel[CG_REL_FOREIGN_LINKS] = foreign >= 2 ? 1.0 : foreign / 2.0;
}
