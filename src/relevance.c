/* relevance.c - how well a comment fits the article it answers.
 *
 * In the spirit of Mishne, Carmel and Lempel (AIRWeb 2005): a comment that shares little
 * language with its post is more likely to be off-topic. The article is analysed once into
 * sorted hash arrays; each comment is compared with it by binary search, without allocating. */
#include "relevance.h"

#include <math.h>
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

static int is_stopword(const char *w, size_t len)
{
    size_t lo = 0, hi = sizeof stopwords / sizeof stopwords[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(stopwords[mid], w, len);
        if (c == 0 && stopwords[mid][len] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

/* A content word: a word token of two or more bytes that is not a function word. */
static int is_content(const cg_workspace *ws, const cg_token *t)
{
    return t->kind == CG_TOK_WORD && t->len >= 2 && !is_stopword(ws->norm + t->start, t->len);
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

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
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

static long find_u32(const uint32_t *v, size_t n, uint32_t key)
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

static double sublinear(double count)
{
    return count >= 1.0 ? 1.0 + log(count) : count;
}

/* Sort the word hashes of the analysed text into ws->rel_scratch; returns how many. */
static size_t sorted_words(cg_workspace *ws, int content_only)
{
    size_t n = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        if (content_only ? is_content(ws, t) : t->kind == CG_TOK_WORD)
            ws->rel_scratch[n++] = ws->token_hash[i];
    }
    qsort(ws->rel_scratch, n, sizeof *ws->rel_scratch, compare_u64);
    return n;
}

void cg_article_destroy(struct cg_article *a)
{
    if (!a)
        return;
    free(a->words);
    free(a->word_weight);
    free(a->slots);
    free(a->slot_weight);
    free(a->domains);
    free(a);
}

static cg_status build_words(cg_workspace *ws, struct cg_article *a)
{
    size_t n = sorted_words(ws, 1);
    a->words = malloc((n + 1) * sizeof *a->words);
    a->word_weight = malloc((n + 1) * sizeof *a->word_weight);
    if (!a->words || !a->word_weight)
        return CG_ERR_NOMEM;
    double norm2 = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && ws->rel_scratch[j] == ws->rel_scratch[i])
            j++;
        double w = sublinear((double)(j - i));
        a->words[a->n_words] = ws->rel_scratch[i];
        a->word_weight[a->n_words++] = (float)w;
        norm2 += w * w;
        i = j;
    }
    for (size_t i = 0; i < a->n_words; i++)
        a->word_weight[i] = (float)(a->word_weight[i] / sqrt(norm2));
    return CG_OK;
}

static cg_status build_slots(cg_workspace *ws, struct cg_article *a)
{
    qsort(ws->touched, ws->n_touched, sizeof *ws->touched, compare_u32);
    a->slots = malloc((ws->n_touched + 1) * sizeof *a->slots);
    a->slot_weight = malloc((ws->n_touched + 1) * sizeof *a->slot_weight);
    if (!a->slots || !a->slot_weight)
        return CG_ERR_NOMEM;
    double norm2 = 0;
    for (size_t i = 0; i < ws->n_touched; i++) {
        double w = sublinear(ws->acc[ws->touched[i]]);
        a->slots[i] = ws->touched[i];
        a->slot_weight[i] = (float)w;
        norm2 += w * w;
    }
    a->n_slots = ws->n_touched;
    for (size_t i = 0; i < a->n_slots; i++)
        a->slot_weight[i] = (float)(a->slot_weight[i] / sqrt(norm2));
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
        build_words(ws, a) || build_slots(ws, a) || build_domains(ex, ws, a)) {
        cg_clear_accumulator(ws);
        cg_article_destroy(a);
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory analysing an article of %zu bytes", len);
    }
    cg_clear_accumulator(ws);
    a->owner = ex;
    *out = a;
    return CG_OK;
}

void cg_relevance(const cg_extractor *ex, cg_workspace *ws, const struct cg_article *a, double *rel)
{
    memset(rel, 0, CG_NUM_RELEVANCE * sizeof *rel);

    /* Whole-vector cosine: the comment's slots as accumulated, against the article's. */
    double dot = 0, norm2 = 0;
    for (size_t i = 0; i < ws->n_touched; i++) {
        uint32_t slot = ws->touched[i];
        double v = sublinear(ws->acc[slot]);
        norm2 += v * v;
        long k = find_u32(a->slots, a->n_slots, slot);
        if (k >= 0)
            dot += v * a->slot_weight[k];
    }
    rel[CG_REL_NGRAM_COSINE] = norm2 > 0 ? dot / sqrt(norm2) : 0;

    /* Word cosine, and coverage of the comment's content words by the article's. */
    const double *center = ex->config.relevance_center;
    if (cg_grow((void **)&ws->rel_scratch, &ws->rel_scratch_cap, ws->n_tokens + 1, sizeof *ws->rel_scratch) != CG_OK) {
        memcpy(rel, center, CG_NUM_RELEVANCE * sizeof *rel); /* no room to compare: neutral */
        return;
    }
    size_t n = sorted_words(ws, 1), content = 0, found = 0;
    double weight = 0;
    dot = norm2 = 0;
    for (size_t i = 0; i < n; content++) { /* each distinct content word */
        size_t j = i;
        while (j < n && ws->rel_scratch[j] == ws->rel_scratch[i])
            j++;
        double v = sublinear((double)(j - i));
        norm2 += v * v;
        long k = find_u64(a->words, a->n_words, ws->rel_scratch[i]);
        if (k >= 0) {
            dot += v * a->word_weight[k];
            found++;
            weight += a->word_weight[k];
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
