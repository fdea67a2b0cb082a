/* problem.c - turning a labelled dataset into libsvm training vectors. */
#include "problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relevance.h"

/* A small deterministic generator, so that choices depend on the seed and nothing else. */
static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

static cg_status fail_at(const cg_dataset *ds, size_t r, cg_workspace *ws, char *err, size_t errlen)
{
    if (err)
        snprintf(err, errlen, "%s:%ld: %s", ds->path, ds->rows[r].line, cg_workspace_error(ws));
    return CG_ERR_INPUT;
}

/* Articles are shared between rows of one thread: analyse each distinct one once. */
typedef struct article_cache {
    const char *text;
    struct cg_article *article;
} article_cache;

static cg_status article_for(const cg_extractor *ex, cg_workspace *ws, const cg_example *e, article_cache *cache,
                             struct cg_article **out)
{
    if (cache->text != e->article) {
        cg_article_destroy(cache->article);
        cache->article = NULL;
        cache->text = NULL;
        cg_status st = cg_article_build(ex, ws, e->article, e->article_len, &cache->article);
        if (st != CG_OK)
            return st;
        cache->text = e->article;
    }
    *out = cache->article;
    return CG_OK;
}

/* Mean of each relevance feature over the rows with an article, with centring switched off. */
static cg_status relevance_means(cg_extractor *ex, cg_workspace *ws, const cg_dataset *ds, char *err, size_t errlen)
{
    double sum[CG_NUM_RELEVANCE] = {0};
    size_t n = 0;
    article_cache cache = {0};
    memset(ex->config.relevance_center, 0, sizeof ex->config.relevance_center);
    double weight = ex->config.relevance_weight;
    ex->config.relevance_weight = 1.0;
    cg_status st = CG_OK;
    for (size_t r = 0; r < ds->n && st == CG_OK; r++) {
        const cg_example *e = &ds->rows[r];
        struct cg_article *a;
        if (!e->article)
            continue;
        if ((st = article_for(ex, ws, e, &cache, &a)) != CG_OK || (st = cg_extract(ex, ws, e->text, e->text_len, a)) != CG_OK) {
            st = fail_at(ds, r, ws, err, errlen);
            break;
        }
        int base = cg_relevance_base(&ex->config);
        for (size_t k = 0; k < ws->n_nodes; k++)
            if (ws->nodes[k].index >= base)
                sum[ws->nodes[k].index - base] += ws->nodes[k].value;
        n++;
    }
    cg_article_destroy(cache.article);
    ex->config.relevance_weight = weight;
    for (int k = 0; k < CG_NUM_RELEVANCE && n > 0; k++)
        ex->config.relevance_center[k] = sum[k] / (double)n;
    return st;
}

static cg_status append(cg_problem *p, size_t *cap, size_t *space_used, size_t *space_cap, const cg_workspace *ws,
                        double y, size_t row, int is_derived)
{
    if (p->n == *cap) {
        size_t c = *cap ? 2 * *cap : 1024;
        void *a = realloc(p->x, c * sizeof *p->x), *b = a ? realloc(p->y, c * sizeof *p->y) : NULL;
        if (a)
            p->x = a;
        if (b)
            p->y = b;
        void *d = b ? realloc(p->row, c * sizeof *p->row) : NULL;
        if (d)
            p->row = d;
        void *e = d ? realloc(p->is_derived, c) : NULL;
        if (!e)
            return CG_ERR_NOMEM;
        p->is_derived = e;
        *cap = c;
    }
    size_t need = ws->n_nodes + 1;
    if (*space_used + need > *space_cap) {
        size_t c = *space_cap ? *space_cap : 1 << 20;
        while (c < *space_used + need)
            c *= 2;
        struct svm_node *s = realloc(p->space, c * sizeof *s);
        if (!s)
            return CG_ERR_NOMEM;
        p->space = s;
        *space_cap = c;
    }
    /* Store offsets while space may still move; cg_problem_build turns them into pointers. */
    p->x[p->n] = (struct svm_node *)(uintptr_t)*space_used;
    memcpy(p->space + *space_used, ws->nodes, need * sizeof *ws->nodes);
    *space_used += need;
    p->y[p->n] = y;
    p->row[p->n] = row;
    p->is_derived[p->n] = (unsigned char)is_derived;
    p->n++;
    return CG_OK;
}

/* Rows with an article, for drawing "another thread's article" (articles are interned: one pointer
 * per distinct text). */
static const cg_example **rows_with_article(const cg_dataset *ds, size_t *n)
{
    const cg_example **rows = malloc((ds->n + 1) * sizeof *rows);
    *n = 0;
    for (size_t r = 0; rows && r < ds->n; r++)
        if (ds->rows[r].article)
            rows[(*n)++] = &ds->rows[r];
    return rows;
}

/* The row of another thread than e's, drawn at random; NULL when 64 draws all land in e's thread
 * (as they do when every row answers the same article). */
static const cg_example *another_thread(const cg_example **rows, size_t n, const cg_example *e, uint64_t *rng)
{
    for (int attempt = 0; attempt < 64; attempt++) {
        const cg_example *o = rows[next_random(rng) % n];
        if (o->article != e->article)
            return o;
    }
    return NULL;
}

cg_status cg_problem_build(cg_extractor_config *config, const cg_dataset *ds, const cg_problem_options *opt,
                           cg_problem *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    cg_extractor ex;
    cg_workspace *ws = NULL;
    cg_status st = cg_extractor_init(&ex, config, err, errlen);
    if (st != CG_OK)
        return st;
    if ((st = cg_workspace_create(&ws)) != CG_OK) {
        cg_extractor_destroy(&ex);
        return st;
    }
    st = relevance_means(&ex, ws, ds, err, errlen);
    memcpy(config->relevance_center, ex.config.relevance_center, sizeof config->relevance_center);

    size_t cap = 0, used = 0, space_cap = 0, n_with_article = 0;
    uint64_t copy_rng = opt->seed, mismatch_rng = (uint64_t)opt->seed ^ 0x9E3779B97F4A7C15ull;
    article_cache cache = {0}, other_cache = {0};
    const cg_example **with_article = rows_with_article(ds, &n_with_article);
    if (!with_article)
        st = CG_ERR_NOMEM;
    for (size_t r = 0; r < ds->n && st == CG_OK; r++) {
        const cg_example *e = &ds->rows[r];
        struct cg_article *a = NULL;
        if (e->article && article_for(&ex, ws, e, &cache, &a) != CG_OK) {
            st = fail_at(ds, r, ws, err, errlen);
            break;
        }
        if (cg_extract(&ex, ws, e->text, e->text_len, a) != CG_OK) {
            st = fail_at(ds, r, ws, err, errlen);
            break;
        }
        st = append(out, &cap, &used, &space_cap, ws, (double)e->label, r, 0);
        /* The draws are made for every row with an article, so that the choice of one row does
         * not depend on the shares' effect on others. */
        if (st == CG_OK && a && (double)(next_random(&copy_rng) % 1000000) < opt->article_copies * 1000000.0) {
            if (cg_extract(&ex, ws, e->text, e->text_len, NULL) != CG_OK)
                st = fail_at(ds, r, ws, err, errlen);
            else
                st = append(out, &cap, &used, &space_cap, ws, (double)e->label, r, 1);
        }
        int mismatch = a && (double)(next_random(&mismatch_rng) % 1000000) < opt->mismatched_articles * 1000000.0;
        const cg_example *other =
            mismatch && e->label == CG_ON_TOPIC ? another_thread(with_article, n_with_article, e, &mismatch_rng) : NULL;
        if (st == CG_OK && other) {
            struct cg_article *oa;
            if (article_for(&ex, ws, other, &other_cache, &oa) != CG_OK ||
                cg_extract(&ex, ws, e->text, e->text_len, oa) != CG_OK)
                st = fail_at(ds, r, ws, err, errlen);
            else /* shares row r's fold: cross-validation never tests a comment whose pair it trained on */
                st = append(out, &cap, &used, &space_cap, ws, (double)CG_OFF_TOPIC, r, 1);
        }
    }
    free(with_article);
    cg_article_destroy(other_cache.article);
    cg_article_destroy(cache.article);
    cg_workspace_free(ws);
    cg_extractor_destroy(&ex);
    if (st != CG_OK) {
        if (st == CG_ERR_NOMEM && err)
            snprintf(err, errlen, "out of memory building %zu training vectors", out->n);
        cg_problem_free(out);
        return st;
    }
    for (size_t i = 0; i < out->n; i++)
        out->x[i] = out->space + (uintptr_t)out->x[i];
    return CG_OK;
}

void cg_problem_free(cg_problem *p)
{
    free(p->x);
    free(p->y);
    free(p->row);
    free(p->is_derived);
    free(p->space);
    memset(p, 0, sizeof *p);
}
