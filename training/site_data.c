/* site_data.c - one site's labelled comments as `train --base` learns from them. */
#include "site_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "node_blocks.h"
#include "relevance.h"
#include "site_narrow.h"

/* The first row of each distinct article (articles are interned by the dataset: one pointer each). */
typedef struct article_groups {
    const char **article;
    size_t *first;
    size_t n, cap;
} article_groups;

static int group_of(article_groups *g, const char *article, size_t row, size_t *out)
{
    if (!article) {
        *out = row;
        return 1;
    }
    for (size_t k = 0; k < g->n; k++)
        if (g->article[k] == article) {
            *out = g->first[k];
            return 1;
        }
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 64;
        const char **a = realloc(g->article, cap * sizeof *a);
        if (a)
            g->article = a;
        size_t *f = realloc(g->first, cap * sizeof *f);
        if (f)
            g->first = f;
        if (!a || !f)
            return 0;
        g->cap = cap;
    }
    g->article[g->n] = article;
    g->first[g->n++] = row;
    *out = row;
    return 1;
}

/* A copy of the vector in ws->nodes with the bias node appended, as the solvers want it, in p's
 * node blocks: one large block goes back to the system whole when freed, where ten thousand small
 * vectors freed one by one left their pages resident under the bundle check that loads the base
 * again (10,000 rows: 125 MB peak where the vectors and the base alone are 98 and 48). */
static struct svm_node *copy_vector(const cg_workspace *ws, cg_problem *p)
{
    size_t n = ws->n_nodes;
    struct svm_node *x = cg_nodes_reserve(&p->blocks, n + 2);
    if (!x)
        return NULL;
    memcpy(x, ws->nodes, n * sizeof *x);
    if (p->bias > 0)
        x[n++] = (struct svm_node){p->dim + 1, p->bias};
    x[n].index = -1;
    return x;
}

static cg_status rows_error(char *err, size_t errlen, const cg_dataset *ds, const cg_example *e, const char *what)
{
    if (err)
        snprintf(err, errlen, "%s:%ld: %s", ds->path, e->line, what);
    return CG_ERR_FORMAT;
}

/* The base's probabilities of the rows of the site's classes (with their articles), their labels,
 * lines and article groups; ws is the caller's. */
static cg_status base_rows(const cg_dataset *ds, const cg_model *base, cg_workspace *ws, cg_site_data *d, char *err,
                           size_t errlen)
{
    cg_problem *p = &d->p;
    cg_article *article = NULL;
    const char *article_text = NULL;
    article_groups groups = {0};
    cg_status st = CG_OK;
    for (size_t r = 0; st == CG_OK && r < ds->n; r++) {
        const cg_example *e = &ds->rows[r];
        if (!d->has_class[e->label])
            continue;
        if (e->article != article_text) {
            cg_article_free(article);
            article = NULL;
            article_text = e->article;
            if (e->article && cg_article_new(base, ws, e->article, e->article_len, &article) != CG_OK)
                st = rows_error(err, errlen, ds, e, cg_workspace_error(ws));
        }
        size_t i = p->n;
        if (st == CG_OK &&
            cg_model_base_probabilities(base, ws, e->text, e->text_len, article, d->base_prob + 3 * i) != CG_OK)
            st = rows_error(err, errlen, ds, e, cg_workspace_error(ws));
        if (st == CG_OK && !group_of(&groups, e->article, i, &p->row_group[i]))
            st = CG_ERR_NOMEM;
        if (st == CG_OK) {
            p->y[i] = e->label;
            p->row[i] = i;
            d->file_line[i] = (size_t)e->line;
            p->n = p->n_rows = i + 1;
        }
    }
    cg_article_free(article);
    free(groups.article);
    free(groups.first);
    return st;
}

/* The site vectors of the same rows, in the same order (store 0: only count their nodes in d->nodes, and
 * stop as soon as there are more than budget). */
static cg_status vector_rows(const cg_dataset *ds, const cg_extractor *site, const cg_site_features *features,
                             int store, size_t budget, cg_workspace *ws, cg_site_data *d, char *err, size_t errlen)
{
    cg_problem *p = &d->p;
    size_t i = 0;
    cg_status st = CG_OK;
    d->nodes = 0;
    for (size_t r = 0; st == CG_OK && r < ds->n && (store || d->nodes <= budget); r++) {
        const cg_example *e = &ds->rows[r];
        if (!d->has_class[e->label])
            continue;
        cg_comment c = {e->text, e->text_len, e->author, e->author_url, e->author_email};
        if (cg_site_vector(site, features, ws, &c) != CG_OK)
            st = rows_error(err, errlen, ds, e, cg_workspace_error(ws));
        else if (store && !(p->x[i++] = copy_vector(ws, p)))
            st = CG_ERR_NOMEM;
        d->nodes += ws->n_nodes + 2; /* with the bias and the terminator */
    }
    return st;
}

/* The site vectors within the budget (0: none). While a count of their nodes says they would pass it,
 * the features are narrowed (site_narrow.h) and the extractor made again with them; counting first
 * keeps the memory of vectors that would be dropped. Without a narrower step left the vectors are
 * made whatever they hold (d->over_budget). */
static cg_status vectors_within(const cg_dataset *ds, cg_extractor *site, cg_site_features *features, size_t budget,
                                cg_workspace *ws, cg_site_data *d, char *err, size_t errlen)
{
    cg_status st = CG_OK;
    while (budget) {
        cg_extractor_config narrower = site->config;
        cg_site_features narrower_features = *features;
        const char *what = NULL;
        if (!cg_site_narrow(&narrower, &narrower_features, &what))
            break;
        if ((st = vector_rows(ds, site, features, 0, budget, ws, d, err, errlen)) != CG_OK)
            return st;
        if (d->nodes <= budget)
            break;
        if (d->n_narrowed < CG_SITE_MAX_NARROWED)
            d->narrowed[d->n_narrowed++] = what;
        cg_extractor_destroy(site);
        if ((st = cg_extractor_init(site, &narrower, err, errlen)) != CG_OK) {
            memset(site, 0, sizeof *site);
            return st;
        }
        *features = narrower_features;
        d->p.dim = cg_site_dim(&site->config);
    }
    st = vector_rows(ds, site, features, 1, 0, ws, d, err, errlen);
    d->over_budget = budget && d->nodes > budget;
    return st;
}

/* Both passes; the base is freed between them, so that it and the site vectors are never held together. */
static cg_status make_rows(const cg_dataset *ds, cg_model **base, cg_extractor *site, cg_site_features *features,
                           size_t budget, cg_site_data *d, char *err, size_t errlen)
{
    cg_workspace *ws = NULL;
    cg_status st = cg_workspace_new(*base, &ws);
    if (st == CG_OK)
        st = base_rows(ds, *base, ws, d, err, errlen);
    cg_model_free(*base);
    *base = NULL;
    if (st == CG_OK)
        st = vectors_within(ds, site, features, budget, ws, d, err, errlen);
    cg_workspace_free(ws);
    if (st == CG_ERR_NOMEM && err)
        snprintf(err, errlen, "out of memory");
    return st;
}

cg_status cg_site_data_load(const char *path, cg_model **base, cg_extractor *site, cg_site_features *features,
                            double bias, size_t budget, cg_site_data *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    cg_dataset ds;
    cg_status st = cg_dataset_load(path, &ds, err, errlen);
    if (st != CG_OK)
        return st;
    int classes = 0;
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        out->count[c] = ds.count[c];
        out->has_class[c] = ds.count[c] >= CG_SITE_MIN_CLASS_ROWS;
        classes += out->has_class[c];
    }
    out->n_file_rows = ds.n;
    out->site = site;
    out->features = features;
    cg_problem *p = &out->p;
    p->dim = cg_site_dim(&site->config);
    p->bias = bias;
    if (classes < 2) {
        cg_dataset_free(&ds);
        return CG_OK;
    }
    size_t n = ds.n + 1;
    p->x = calloc(n, sizeof *p->x);
    p->y = calloc(n, sizeof *p->y);
    p->row = calloc(n, sizeof *p->row);
    p->is_derived = calloc(n, 1);
    p->row_group = calloc(n, sizeof *p->row_group);
    out->base_prob = calloc(3 * n, sizeof *out->base_prob);
    out->file_line = calloc(n, sizeof *out->file_line);
    if (!p->x || !p->y || !p->row || !p->is_derived || !p->row_group || !out->base_prob || !out->file_line) {
        if (err)
            snprintf(err, errlen, "out of memory");
        st = CG_ERR_NOMEM;
    } else {
        st = make_rows(&ds, base, site, features, budget, out, err, errlen);
    }
    cg_dataset_free(&ds);
    if (st != CG_OK)
        cg_site_data_free(out);
    return st;
}

cg_status cg_site_data_weigh_idf(cg_site_data *d, const cg_extractor *site, const cg_site_features *features,
                                 const unsigned char *use)
{
    size_t slots = (size_t)1 << CG_SITE_TEXT_BITS, n = 0;
    if (!d->idf)
        d->idf = malloc(slots * sizeof *d->idf);
    if (!d->df)
        d->df = malloc(slots * sizeof *d->df);
    if (!d->idf || !d->df)
        return CG_ERR_NOMEM;
    memset(d->df, 0, slots * sizeof *d->df);
    int lo = cg_feature_dim(&site->config) + 1, hi = lo + (int)slots;
    cg_problem *p = &d->p;
    for (size_t i = 0; i < p->n; i++) {
        if (use && !use[i])
            continue;
        n++;
        for (struct svm_node *x = p->x[i]; x->index != -1; x++)
            if (x->index >= lo && x->index < hi)
                d->df[x->index - lo]++;
    }
    d->df_rows = n;
    for (size_t k = 0; k < slots; k++)
        d->idf[k] = cg_site_idf(d->df[k], (double)n);
    for (size_t i = 0; i < p->n; i++) {
        double norm = 0;
        struct svm_node *first = NULL, *x;
        for (x = p->x[i]; x->index != -1; x++)
            if (x->index >= lo && x->index < hi) {
                first = first ? first : x;
                x->value = d->idf[x->index - lo];
                norm += x->value * x->value;
            }
        double scale = features->text_weight / sqrt(norm);
        for (x = first; x && x->index != -1 && x->index < hi; x++)
            x->value *= scale;
    }
    return CG_OK;
}

void cg_site_data_free(cg_site_data *d)
{
    free(d->idf);
    free(d->df);
    cg_problem *p = &d->p;
    cg_nodes_free(p->blocks);
    free(p->x);
    free(p->y);
    free(p->row);
    free(p->is_derived);
    free(p->row_group);
    free(d->base_prob);
    free(d->file_line);
    memset(d, 0, sizeof *d);
}
