/*
 * problem.c - turning labelled comments into training vectors, streaming.
 *
 * Rows come from a source (a file read once, or a dataset in memory). The first rows are held
 * until the relevance centre is measured on them (CG_CENTER_ROWS); every later row is extracted as
 * it is read and only its vectors are kept.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "problem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article_groups.h"
#include "lexicon.h"
#include "node_blocks.h"
#include "relevance.h"

#define PROGRESS_EVERY 8192 /* rows between progress reports */

/* A small deterministic generator, so that choices depend on the seed and nothing else. */
static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

/* Where rows come from: row->text NULL after the last one. */
typedef struct row_source {
    cg_status (*next)(void *ctx, cg_example *row);
    double (*fraction)(void *ctx);
    void *ctx;
    const char *path;
} row_source;

/* Articles are shared between rows of one thread: analyse each distinct one once. */
typedef struct article_cache {
    const char *text;
    struct cg_article *article;
} article_cache;

/* An article as drawn for "another thread's article": one entry per row that has it, so that
 * draws are weighted by rows. Article texts are interned: one pointer per distinct text. */
typedef struct article_ref {
    const char *text;
    size_t len;
} article_ref;

typedef struct builder {
    const cg_problem_options *opt;
    const row_source *src;
    cg_extractor ex;
    cg_workspace *ws;
    cg_problem *p;
    size_t cap, rows_cap;
    uint64_t copy_rng, mismatch_rng;
    article_cache cache, other_cache;
    article_ref *with_article;
    size_t n_with_article, with_article_cap;
    group_map groups;
    const char *last_source; /* the source of the last row, and its index: rows come in runs */
    int last_index;
    char *err;
    size_t errlen;
} builder;

static cg_status nomem(builder *b)
{
    if (b->err)
        snprintf(b->err, b->errlen, "out of memory building %zu training vectors", b->p->n);
    return CG_ERR_NOMEM;
}

static cg_status fail_at(builder *b, const cg_example *e)
{
    if (b->err)
        snprintf(b->err, b->errlen, "%s:%ld: %s", b->src->path, e->line, cg_workspace_error(b->ws));
    return CG_ERR_INPUT;
}

/* Record row (the next one, in file order) for its fold group and as a source of other threads'
 * articles. */
/* The index of the row's source, adding it if new; -1 if out of memory or room. Sources are
 * interned by the reader: a new one is a new address, compared by text to the few seen. */
static int source_index(builder *b, const cg_example *e)
{
    cg_problem *p = b->p;
    if (b->last_source && e->source == b->last_source)
        return b->last_index;
    int k = 0;
    while (k < p->n_sources && strcmp(p->source_name[k], e->source) != 0)
        k++;
    if (k == p->n_sources) {
        if (k == CG_MAX_SOURCES) {
            if (b->err)
                snprintf(b->err, b->errlen, "%s:%ld: more than %d sources", b->src->path, e->line, CG_MAX_SOURCES);
            return -1;
        }
        char **names = realloc(p->source_name, (size_t)(k + 1) * sizeof *names);
        if (!names)
            return -1;
        p->source_name = names;
        if (!(names[k] = strdup(e->source)))
            return -1;
        p->n_sources++;
    }
    b->last_source = e->source;
    b->last_index = k;
    return k;
}

static cg_status register_row(builder *b, const cg_example *e)
{
    cg_problem *p = b->p;
    if (p->n_rows == b->rows_cap) {
        size_t cap = b->rows_cap ? 2 * b->rows_cap : 1024;
        size_t *g = realloc(p->row_group, cap * sizeof *g);
        if (g)
            p->row_group = g;
        unsigned short *src = g ? realloc(p->row_source, cap * sizeof *src) : NULL;
        if (!src)
            return nomem(b);
        p->row_source = src;
        b->rows_cap = cap;
    }
    int source = source_index(b, e);
    if (source < 0)
        return p->n_sources == CG_MAX_SOURCES ? CG_ERR_FORMAT : nomem(b);
    p->row_source[p->n_rows] = (unsigned short)source;
    size_t r = p->n_rows++, group = r;
    if (e->article) {
        if ((group = group_of(&b->groups, e->article, r)) == SIZE_MAX)
            return nomem(b);
        if (b->n_with_article == b->with_article_cap) {
            size_t cap = b->with_article_cap ? 2 * b->with_article_cap : 1024;
            article_ref *a = realloc(b->with_article, cap * sizeof *a);
            if (!a)
                return nomem(b);
            b->with_article = a;
            b->with_article_cap = cap;
        }
        b->with_article[b->n_with_article++] = (article_ref){e->article, e->article_len};
    }
    p->row_group[r] = group;
    return CG_OK;
}

static cg_status article_for(builder *b, article_cache *cache, const char *text, size_t len,
                             struct cg_article **out)
{
    if (cache->text != text) {
        cg_article_destroy(cache->article);
        cache->article = NULL;
        cache->text = NULL;
        cg_status st = cg_article_build(&b->ex, b->ws, text, len, &cache->article);
        if (st != CG_OK)
            return st;
        cache->text = text;
    }
    *out = cache->article;
    return CG_OK;
}

/* Mean of each relevance feature over the held rows with an article, with centring switched off. */
static cg_status measure_center(builder *b, const cg_example *rows, size_t n_rows)
{
    double sum[CG_NUM_RELEVANCE] = {0};
    size_t n = 0;
    cg_extractor_config *c = &b->ex.config;
    memset(c->relevance_center, 0, sizeof c->relevance_center);
    double weight = c->relevance_weight;
    c->relevance_weight = 1.0;
    cg_status st = CG_OK;
    int base = cg_relevance_base(c);
    for (size_t r = 0; r < n_rows && st == CG_OK; r++) {
        const cg_example *e = &rows[r];
        struct cg_article *a;
        if (!e->article)
            continue;
        if (article_for(b, &b->cache, e->article, e->article_len, &a) != CG_OK ||
            cg_extract(&b->ex, b->ws, e->text, e->text_len, a) != CG_OK) {
            st = fail_at(b, e);
            break;
        }
        for (size_t k = 0; k < b->ws->n_nodes; k++)
            if (b->ws->nodes[k].index >= base && b->ws->nodes[k].index < base + CG_NUM_RELEVANCE)
                sum[b->ws->nodes[k].index - base] += b->ws->nodes[k].value;
        n++;
    }
    c->relevance_weight = weight;
    for (int k = 0; k < CG_NUM_RELEVANCE && n > 0; k++)
        c->relevance_center[k] = sum[k] / (double)n;
    return st;
}

/* Add the vector in b->ws (and the bias node, if any) for row `row`. */
static cg_status append(builder *b, double y, size_t row, int is_derived)
{
    cg_problem *p = b->p;
    const cg_workspace *ws = b->ws;
    if (p->n == b->cap) {
        size_t c = b->cap ? 2 * b->cap : 1024;
        void *x = realloc(p->x, c * sizeof *p->x);
        if (x)
            p->x = x;
        void *yy = x ? realloc(p->y, c * sizeof *p->y) : NULL;
        if (yy)
            p->y = yy;
        void *r = yy ? realloc(p->row, c * sizeof *p->row) : NULL;
        if (r)
            p->row = r;
        void *d = r ? realloc(p->is_derived, c) : NULL;
        if (!d)
            return nomem(b);
        p->is_derived = d;
        b->cap = c;
    }
    size_t need = ws->n_nodes + 1 + (p->bias > 0);
    struct svm_node *at = cg_nodes_reserve(&p->blocks, need);
    if (!at)
        return nomem(b);
    p->x[p->n] = at;
    memcpy(at, ws->nodes, ws->n_nodes * sizeof *ws->nodes);
    if (p->bias > 0)
        at[ws->n_nodes] = (struct svm_node){p->dim + 1, p->bias};
    at[need - 1] = (struct svm_node){-1, 0};
    p->nnz += need - 1;
    p->y[p->n] = y;
    p->row[p->n] = row;
    p->is_derived[p->n] = (unsigned char)is_derived;
    p->n++;
    return CG_OK;
}

/* The article of a row of another thread than `article`'s, drawn at random; NULL when 64 draws
 * all land in its thread (as they do when every row answers the same article). */
static const article_ref *another_thread(const builder *b, const char *article, uint64_t *rng)
{
    for (int attempt = 0; attempt < 64 && b->n_with_article > 0; attempt++) {
        const article_ref *o = &b->with_article[next_random(rng) % b->n_with_article];
        if (o->text != article)
            return o;
    }
    return NULL;
}

/* Extract the vectors of row r: as given, and the derived ones that the options ask for. */
static cg_status add_row_vectors(builder *b, const cg_example *e, size_t r)
{
    const cg_problem_options *opt = b->opt;
    struct cg_article *a = NULL;
    if (e->article && article_for(b, &b->cache, e->article, e->article_len, &a) != CG_OK)
        return fail_at(b, e);
    if (cg_extract(&b->ex, b->ws, e->text, e->text_len, a) != CG_OK)
        return fail_at(b, e);
    cg_status st = append(b, (double)e->label, r, 0);
    /* The draws are made for every row with an article, so that the choice of one row does not
     * depend on the shares' effect on others. */
    if (st == CG_OK && a && (double)(next_random(&b->copy_rng) % 1000000) < opt->article_copies * 1000000.0) {
        if (cg_extract(&b->ex, b->ws, e->text, e->text_len, NULL) != CG_OK)
            return fail_at(b, e);
        st = append(b, (double)e->label, r, 1);
    }
    int mismatch = a && (double)(next_random(&b->mismatch_rng) % 1000000) < opt->mismatched_articles * 1000000.0;
    const article_ref *other =
        mismatch && e->label == CG_ON_TOPIC ? another_thread(b, e->article, &b->mismatch_rng) : NULL;
    if (st == CG_OK && other) {
        struct cg_article *oa;
        if (article_for(b, &b->other_cache, other->text, other->len, &oa) != CG_OK ||
            cg_extract(&b->ex, b->ws, e->text, e->text_len, oa) != CG_OK)
            return fail_at(b, e);
        /* shares row r's fold: cross-validation never tests a comment whose pair it trained on */
        st = append(b, (double)CG_OFF_TOPIC, r, 1);
    }
    return st;
}

static double fraction_read(const builder *b)
{
    return b->src->fraction ? b->src->fraction(b->src->ctx) : 0;
}

/* Every PROGRESS_EVERY rows made into vectors: how many, and the share of the input done. */
static void report(size_t rows, double fraction, cg_problem_progress progress, void *ctx)
{
    if (progress && rows % PROGRESS_EVERY == 0)
        progress(ctx, rows, fraction);
}

/* The held rows: copies of their texts (articles and sources stay the source's). */
typedef struct held_rows {
    cg_example *rows;
    size_t n, cap, with_article;
} held_rows;

static void free_held(held_rows *h)
{
    for (size_t i = 0; i < h->n; i++)
        free((char *)h->rows[i].text);
    free(h->rows);
    memset(h, 0, sizeof *h);
}

static int hold(held_rows *h, const cg_example *e)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 1024;
        cg_example *rows = realloc(h->rows, cap * sizeof *rows);
        if (!rows)
            return 0;
        h->rows = rows;
        h->cap = cap;
    }
    char *text = malloc(e->text_len + 1);
    if (!text)
        return 0;
    memcpy(text, e->text, e->text_len);
    text[e->text_len] = '\0';
    h->rows[h->n] = *e;
    h->rows[h->n++].text = text;
    h->with_article += e->article != NULL;
    return 1;
}

static cg_status build(builder *b, cg_extractor_config *config, cg_problem_progress progress, void *progress_ctx)
{
    const row_source *src = b->src;
    held_rows held = {0};
    cg_example e;
    cg_status st;
    int more = 1;
    /* The first rows, held until the relevance centre is known. */
    while ((st = src->next(src->ctx, &e)) == CG_OK && (more = e.text != NULL)) {
        if ((st = register_row(b, &e)) != CG_OK)
            break;
        if (!hold(&held, &e)) {
            st = nomem(b);
            break;
        }
        if (held.n == CG_CENTER_ROWS || held.with_article == CG_CENTER_ARTICLE_ROWS)
            break;
    }
    if (st == CG_OK && !b->opt->keep_center)
        st = measure_center(b, held.rows, held.n);
    memcpy(config->relevance_center, b->ex.config.relevance_center, sizeof config->relevance_center);
    double held_share = fraction_read(b);
    for (size_t r = 0; r < held.n && st == CG_OK; r++) {
        st = add_row_vectors(b, &held.rows[r], r);
        report(r + 1, held_share * (double)(r + 1) / (double)held.n, progress, progress_ctx);
    }
    free_held(&held);
    /* The rest, one at a time. */
    while (st == CG_OK && more && (st = src->next(src->ctx, &e)) == CG_OK && e.text) {
        size_t r = b->p->n_rows;
        if ((st = register_row(b, &e)) == CG_OK)
            st = add_row_vectors(b, &e, r);
        report(r + 1, fraction_read(b), progress, progress_ctx);
    }
    return st;
}

static cg_status build_from(cg_extractor_config *config, const row_source *src, const cg_problem_options *opt,
                            cg_problem_progress progress, void *progress_ctx, cg_problem *out, char *err,
                            size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->dim = cg_feature_dim(config);
    out->bias = opt->bias;
    builder b = {.opt = opt, .src = src, .p = out, .err = err, .errlen = errlen};
    b.copy_rng = opt->seed;
    b.mismatch_rng = (uint64_t)opt->seed ^ 0x9E3779B97F4A7C15ull;
    cg_status st = cg_extractor_init(&b.ex, config, err, errlen);
    if (st != CG_OK)
        return st;
    if ((st = cg_lexicon_load(&b.ex, err, errlen)) != CG_OK) {
        cg_extractor_destroy(&b.ex);
        return st;
    }
    if ((st = cg_workspace_create(&b.ws)) == CG_OK)
        st = build(&b, config, progress, progress_ctx);
    cg_article_destroy(b.cache.article);
    cg_article_destroy(b.other_cache.article);
    cg_workspace_free(b.ws);
    cg_extractor_destroy(&b.ex);
    free(b.with_article);
    group_map_free(&b.groups);
    if (st != CG_OK)
        cg_problem_free(out);
    return st;
}

static cg_status next_streamed(void *ctx, cg_example *row)
{
    return cg_dataset_stream_next(ctx, row);
}

static double fraction_streamed(void *ctx)
{
    return cg_dataset_stream_fraction(ctx);
}

cg_status cg_problem_read(cg_extractor_config *config, const char *path, const cg_problem_options *opt,
                          cg_problem_progress progress, void *progress_ctx, cg_problem *out, char *err,
                          size_t errlen)
{
    memset(out, 0, sizeof *out);
    cg_dataset_stream *s;
    cg_status st = cg_dataset_stream_open(path, &s, err, errlen);
    if (st != CG_OK)
        return st;
    row_source src = {next_streamed, fraction_streamed, s, cg_dataset_stream_path(s)};
    st = build_from(config, &src, opt, progress, progress_ctx, out, err, errlen);
    cg_dataset_stream_close(s);
    return st;
}

typedef struct dataset_cursor {
    const cg_dataset *ds;
    size_t next;
} dataset_cursor;

static cg_status next_in_dataset(void *ctx, cg_example *row)
{
    dataset_cursor *c = ctx;
    if (c->next < c->ds->n)
        *row = c->ds->rows[c->next++];
    else
        memset(row, 0, sizeof *row);
    return CG_OK;
}

cg_status cg_problem_build(cg_extractor_config *config, const cg_dataset *ds, const cg_problem_options *opt,
                           cg_problem *out, char *err, size_t errlen)
{
    dataset_cursor cursor = {ds, 0};
    row_source src = {next_in_dataset, NULL, &cursor, ds->path};
    return build_from(config, &src, opt, NULL, NULL, out, err, errlen);
}

void cg_problem_free(cg_problem *p)
{
    free(p->x);
    free(p->y);
    free(p->row);
    free(p->is_derived);
    free(p->row_group);
    free(p->row_source);
    for (int k = 0; k < p->n_sources; k++)
        free(p->source_name[k]);
    free(p->source_name);
    cg_nodes_free(p->blocks);
    memset(p, 0, sizeof *p);
}
