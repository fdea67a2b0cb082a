/* topicality_fit.c - fit a bundle's topicality stage (topicality_fit.h).
 *
 * 1. The stem table: in how many texts of the data (each comment, each distinct article) each stem
 *    occurs. Words of the data's own domain get a low IDF; words it rarely uses a high one.
 * 2. Pairs: every on-topic comment that has an article, measured under its own article (not
 *    misplaced) and under another thread's article drawn at random: misplaced when the comment
 *    carries content of its own (mass at least content_mass), not when it says nothing specific
 *    ("Thanks!" is fine under any article). A logistic regression of "misplaced" on ln(1 + mass) and
 *    the cosine gives b0, b1, b2.
 * 3. The strength: the largest (in steps of 0.01) for which the stage turns at most hold_at_most of
 *    those comments under their own article away from on-topic beyond what the model alone does.
 *    Without it the regression, fitted on half moved comments, would hold far too many: a misplaced
 *    comment is rare on a real site.
 */
#define _GNU_SOURCE
#include "topicality_fit.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "dataset.h"
#include "metrics.h"
#include "normalize.h"
#include "site_model.h"
#include "tokenize.h"
#include "topicality.h"
#include "topicality_card.h"

void cg_topic_fit_options_default(cg_topic_fit_options *opt, const char *model_dir, const char *data_path)
{
    opt->model_dir = model_dir;
    opt->data_path = data_path;
    opt->stem_chars = 5;
    opt->min_df = 2;
    opt->content_mass = 25;
    opt->hold_at_most = 0.01;
    opt->seed = 1;
}

#define MAX_STEM_BYTES (4 * CG_TOPIC_MAX_STEM_CHARS)

/* The stems counted so far: an open-addressing table, rehashed when half full. */
typedef struct stem_entry {
    uint64_t key; /* cg_topic_stem_hash; 0: empty */
    size_t df;
    size_t last_doc; /* the last document counted, so that a document counts once */
    unsigned len;
    char stem[MAX_STEM_BYTES];
} stem_entry;

typedef struct stem_counts {
    stem_entry *e;
    size_t mask, n;
} stem_counts;

static int counts_grow(stem_counts *c)
{
    size_t size = c->e ? 2 * (c->mask + 1) : 1u << 14;
    stem_entry *e = calloc(size, sizeof *e);
    if (!e)
        return 0;
    for (size_t i = 0; c->e && i <= c->mask; i++) {
        if (!c->e[i].key)
            continue;
        size_t j = (size_t)c->e[i].key & (size - 1);
        while (e[j].key)
            j = (j + 1) & (size - 1);
        e[j] = c->e[i];
    }
    free(c->e);
    c->e = e;
    c->mask = size - 1;
    return 1;
}

static int count_stem(stem_counts *c, const char *stem, size_t len, size_t doc)
{
    if (2 * (c->n + 1) > c->mask + 1 && !counts_grow(c))
        return 0;
    uint64_t key = cg_topic_stem_hash(stem, len);
    size_t i = (size_t)key & c->mask;
    while (c->e[i].key && c->e[i].key != key)
        i = (i + 1) & c->mask;
    stem_entry *e = &c->e[i];
    if (!e->key) {
        e->key = key;
        e->len = (unsigned)len;
        memcpy(e->stem, stem, len);
        e->last_doc = (size_t)-1;
        c->n++;
    }
    if (e->last_doc != doc) {
        e->last_doc = doc;
        e->df++;
    }
    return 1;
}

static cg_status count_text(const cg_extractor *ex, cg_workspace *ws, unsigned stem_chars, const char *text,
                            size_t len, size_t doc, stem_counts *c)
{
    cg_status st = cg_normalize(ws, text, len);
    if (st == CG_OK)
        st = cg_tokenize(ex->patterns, ws);
    for (size_t i = 0; st == CG_OK && i < ws->n_tokens; i++) {
        size_t n = cg_topic_stem_len(ex, ws, i, stem_chars);
        if (n > 0 && !count_stem(c, ws->norm + ws->tokens[i].start, n, doc))
            st = CG_ERR_NOMEM;
    }
    return st;
}

static int compare_stems(const void *a, const void *b)
{
    const stem_entry *x = *(const stem_entry *const *)a, *y = *(const stem_entry *const *)b;
    int d = memcmp(x->stem, y->stem, x->len < y->len ? x->len : y->len);
    return d ? d : (x->len > y->len) - (x->len < y->len);
}

/* The table's text: "documents N", then the stems of at least min_df documents, in byte order. */
static char *table_text(const stem_counts *c, size_t documents, unsigned min_df, size_t *len, size_t *stems)
{
    stem_entry **sorted = malloc((c->n + 1) * sizeof *sorted);
    char *text = malloc(32 + c->n * (MAX_STEM_BYTES + 24));
    if (!sorted || !text) {
        free(sorted);
        free(text);
        return NULL;
    }
    size_t n = 0, pos = (size_t)sprintf(text, "documents %zu\n", documents);
    for (size_t i = 0; i <= c->mask; i++)
        if (c->e[i].key && c->e[i].df >= min_df)
            sorted[n++] = &c->e[i];
    qsort(sorted, n, sizeof *sorted, compare_stems);
    for (size_t i = 0; i < n; i++)
        pos += (size_t)sprintf(text + pos, "%.*s\t%zu\n", (int)sorted[i]->len, sorted[i]->stem, sorted[i]->df);
    free(sorted);
    *len = pos;
    *stems = n;
    return text;
}

/* The distinct articles of the rows (interned by the dataset: one pointer each), analysed. */
typedef struct thread_set {
    const char **text;
    size_t *len;
    struct cg_article **article;
    size_t n;
} thread_set;

static long thread_of(const thread_set *t, const char *article)
{
    for (size_t k = 0; k < t->n; k++)
        if (t->text[k] == article)
            return (long)k;
    return -1;
}

/* A comment under its own article and under another one. */
typedef struct pair {
    double own[CG_NUM_CLASSES], moved[CG_NUM_CLASSES]; /* the model's probabilities */
    cg_topic_measure own_measure, moved_measure;
} pair;

static uint64_t next_random(uint64_t *state) /* splitmix64 */
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static cg_status measure_pairs(const cg_model *m, cg_workspace *ws, const cg_topicality *t, const cg_dataset *ds,
                               thread_set *threads, pair *pairs, size_t *n_pairs, unsigned seed)
{
    uint64_t state = seed;
    size_t n = 0;
    for (size_t i = 0; i < ds->n; i++) {
        const cg_example *e = &ds->rows[i];
        if (e->label != CG_ON_TOPIC || !e->article)
            continue;
        size_t own = (size_t)thread_of(threads, e->article), other;
        do
            other = (size_t)(next_random(&state) % threads->n);
        while (other == own);
        pair *p = &pairs[n++];
        cg_status st = cg_model_base_probabilities(m, ws, e->text, e->text_len, threads->article[own], p->own);
        if (st == CG_OK)
            st = cg_topicality_measure(t, &m->extractor, ws, threads->article[own], &p->own_measure);
        if (st == CG_OK)
            st = cg_model_base_probabilities(m, ws, e->text, e->text_len, threads->article[other], p->moved);
        if (st == CG_OK)
            st = cg_topicality_measure(t, &m->extractor, ws, threads->article[other], &p->moved_measure);
        if (st != CG_OK)
            return st;
    }
    *n_pairs = n;
    return CG_OK;
}

/* Solve the 3x3 system a x = b (Gaussian elimination with partial pivoting); 0 if singular. */
static int solve3(double a[3][3], double b[3], double x[3])
{
    for (int c = 0; c < 3; c++) {
        int p = c;
        for (int r = c + 1; r < 3; r++)
            if (fabs(a[r][c]) > fabs(a[p][c]))
                p = r;
        if (fabs(a[p][c]) < 1e-12)
            return 0;
        for (int k = 0; k < 3; k++) {
            double tmp = a[c][k];
            a[c][k] = a[p][k];
            a[p][k] = tmp;
        }
        double tmp = b[c];
        b[c] = b[p];
        b[p] = tmp;
        for (int r = c + 1; r < 3; r++) {
            double f = a[r][c] / a[c][c];
            for (int k = c; k < 3; k++)
                a[r][k] -= f * a[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int r = 2; r >= 0; r--) {
        double s = b[r];
        for (int k = r + 1; k < 3; k++)
            s -= a[r][k] * x[k];
        x[r] = s / a[r][r];
    }
    return 1;
}

/* Logistic regression of moved (1) against own (0) by Newton's method, with a light ridge (the
 * moved and own comments can be nearly separable by the cosine). */
static int fit_coefficients(const pair *pairs, size_t n, double content_mass, double coef[3])
{
    const double ridge = 1.0;
    coef[0] = coef[1] = coef[2] = 0;
    for (int iter = 0; iter < 100; iter++) {
        double h[3][3] = {{0}}, g[3] = {0}, step[3];
        for (size_t i = 0; i < 2 * n; i++) {
            const cg_topic_measure *m = i < n ? &pairs[i].own_measure : &pairs[i - n].moved_measure;
            double x[3] = {1.0, log1p(m->mass), m->cosine}, y = i >= n && m->mass >= content_mass;
            double p = 1.0 / (1.0 + exp(-(coef[0] + coef[1] * x[1] + coef[2] * x[2])));
            for (int j = 0; j < 3; j++) {
                g[j] += (p - y) * x[j];
                for (int k = 0; k < 3; k++)
                    h[j][k] += p * (1 - p) * x[j] * x[k];
            }
        }
        for (int j = 1; j < 3; j++) {
            g[j] += ridge * coef[j];
            h[j][j] += ridge;
        }
        if (!solve3(h, g, step))
            return 0;
        double largest = 0;
        for (int j = 0; j < 3; j++) {
            coef[j] -= step[j];
            largest = fmax(largest, fabs(step[j]));
        }
        if (largest < 1e-9)
            break;
    }
    return isfinite(coef[0]) && isfinite(coef[1]) && isfinite(coef[2]);
}

static int not_on_topic(const double p[CG_NUM_CLASSES])
{
    return p[CG_OFF_TOPIC] > p[CG_ON_TOPIC] || p[CG_ABUSIVE] > p[CG_ON_TOPIC];
}

/* Share of the comments under their own article not labelled on-topic with the stage at t. */
static double held(const cg_topicality *t, const pair *pairs, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double p[CG_NUM_CLASSES];
        memcpy(p, pairs[i].own, sizeof p);
        cg_topicality_apply(cg_topicality_misplaced(t, &pairs[i].own_measure), p);
        k += not_on_topic(p);
    }
    return (double)k / (double)n;
}

/* ROC-AUC of P(off-topic), moved against own, with the stage at t. */
static double moved_auc(const cg_topicality *t, const pair *pairs, size_t n, int *positive, double *score)
{
    for (size_t i = 0; i < 2 * n; i++) {
        const pair *p = &pairs[i % n];
        double prob[CG_NUM_CLASSES];
        memcpy(prob, i < n ? p->own : p->moved, sizeof prob);
        cg_topicality_apply(cg_topicality_misplaced(t, i < n ? &p->own_measure : &p->moved_measure), prob);
        positive[i] = i >= n;
        score[i] = prob[CG_OFF_TOPIC];
    }
    return cg_roc_auc(positive, score, 2 * n);
}

/* bundle.json with the stage's settings (as format 3 at least), through a temporary file. */
static cg_status write_settings(const char *dir, const cg_topicality *t, char *err, size_t errlen)
{
    json_t *root;
    char *path;
    cg_status st = cg_bundle_load_settings(dir, &root, &path, err, errlen);
    if (st != CG_OK) {
        free(path);
        return st;
    }
    json_t *version = json_object_get(root, "format_version");
    json_t *o = json_pack("{s:s, s:i, s:[f,f,f], s:f}", "table", CG_TOPIC_TABLE, "stem_chars", (int)t->stem_chars,
                          "coefficients", t->coef[0], t->coef[1], t->coef[2], "strength", t->strength);
    char *text = NULL;
    if (!o || json_object_set_new(root, "topicality", o) != 0 ||
        (!(json_is_integer(version) && json_integer_value(version) >= 3) &&
         json_object_set_new(root, "format_version", json_integer(3)) != 0) ||
        !(text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17))))
        st = CG_ERR_NOMEM;
    if (st == CG_OK) {
        size_t len = strlen(text);
        text[len] = '\n'; /* json_dumps ends without one; the NUL is not written */
        st = cg_bundle_write_file(dir, CG_BUNDLE_SETTINGS, text, len + 1, err, errlen);
    }
    free(text);
    json_decref(root);
    free(path);
    return st;
}

typedef struct fit_state {
    cg_model *model;
    cg_workspace *ws;
    cg_dataset ds;
    stem_counts counts;
    thread_set threads;
    cg_topicality *t;
    char *table;
    pair *pairs;
    int *positive;
    double *score;
} fit_state;

static void fit_state_free(fit_state *s)
{
    for (size_t k = 0; k < s->threads.n; k++)
        cg_article_free(s->threads.article[k]);
    free(s->threads.text);
    free(s->threads.len);
    free(s->threads.article);
    free(s->counts.e);
    cg_topicality_free(s->t);
    free(s->table);
    free(s->pairs);
    free(s->positive);
    free(s->score);
    cg_dataset_free(&s->ds);
    cg_workspace_free(s->ws);
    cg_model_free(s->model);
}

/* Count the stems of the rows and of their distinct articles; list the articles. */
static cg_status count_documents(fit_state *s, const cg_topic_fit_options *opt, size_t *documents, char *err,
                                 size_t errlen)
{
    const cg_extractor *ex = &s->model->extractor;
    size_t n = s->ds.n;
    if (!(s->threads.text = malloc(n * sizeof *s->threads.text)) || !(s->threads.len = malloc(n * sizeof(size_t))) ||
        !(s->threads.article = calloc(n, sizeof *s->threads.article)))
        return CG_ERR_NOMEM;
    cg_status st = CG_OK;
    for (size_t i = 0; st == CG_OK && i < n; i++) {
        const cg_example *e = &s->ds.rows[i];
        st = count_text(ex, s->ws, opt->stem_chars, e->text, e->text_len, i, &s->counts);
        if (st == CG_OK && e->article && thread_of(&s->threads, e->article) < 0) {
            s->threads.text[s->threads.n] = e->article;
            s->threads.len[s->threads.n] = e->article_len;
            st = count_text(ex, s->ws, opt->stem_chars, e->article, e->article_len, n + s->threads.n, &s->counts);
            s->threads.n++;
        }
        if (st != CG_OK && err)
            snprintf(err, errlen, "%s:%ld: %s", s->ds.path, e->line, cg_workspace_error(s->ws));
    }
    *documents = n + s->threads.n;
    return st;
}

cg_status cg_topicality_fit(const cg_topic_fit_options *opt, cg_topic_fit_report *report, char *err, size_t errlen)
{
    memset(report, 0, sizeof *report);
    if (err && errlen)
        err[0] = '\0';
    fit_state s;
    memset(&s, 0, sizeof s);
    cg_status st = cg_model_open(opt->model_dir, &s.model, err, errlen);
    if (st == CG_OK) {
        /* The model alone: the stage it may have already is what this replaces. */
        cg_topicality_free(s.model->topicality);
        s.model->topicality = NULL;
        st = cg_workspace_new(s.model, &s.ws);
    }
    if (st == CG_OK)
        st = cg_dataset_load(opt->data_path, &s.ds, err, errlen);
    size_t documents = 0, table_len = 0;
    if (st == CG_OK)
        st = count_documents(&s, opt, &documents, err, errlen);
    if (st == CG_OK && s.threads.n < 2) {
        snprintf(err, errlen, "%s: fewer than 2 distinct articles: no comment can be moved", opt->data_path);
        st = CG_ERR_INPUT;
    }
    if (st == CG_OK && (!(s.table = table_text(&s.counts, documents, opt->min_df, &table_len, &report->stems)) ||
                        !(s.t = calloc(1, sizeof *s.t))))
        st = CG_ERR_NOMEM;
    if (st == CG_OK) {
        s.t->stem_chars = opt->stem_chars;
        st = cg_topicality_parse_table(s.t, s.table, table_len, CG_TOPIC_TABLE, err, errlen);
    }
    for (size_t k = 0; st == CG_OK && k < s.threads.n; k++) {
        st = cg_article_new(s.model, s.ws, s.threads.text[k], s.threads.len[k], &s.threads.article[k]);
        if (st == CG_OK)
            st = cg_topicality_article(s.t, &s.model->extractor, s.ws, s.threads.article[k]);
    }
    size_t n = 0;
    if (st == CG_OK && (!(s.pairs = malloc(s.ds.n * sizeof *s.pairs)) ||
                        !(s.positive = malloc(2 * s.ds.n * sizeof *s.positive)) ||
                        !(s.score = malloc(2 * s.ds.n * sizeof *s.score))))
        st = CG_ERR_NOMEM;
    if (st == CG_OK)
        st = measure_pairs(s.model, s.ws, s.t, &s.ds, &s.threads, s.pairs, &n, opt->seed);
    if (st == CG_OK && n == 0) {
        snprintf(err, errlen, "%s: no on-topic comment with an article to fit on", opt->data_path);
        st = CG_ERR_INPUT;
    }
    if (st == CG_OK && !fit_coefficients(s.pairs, n, opt->content_mass, s.t->coef)) {
        snprintf(err, errlen, "%s: the regression did not converge", opt->data_path);
        st = CG_ERR_INPUT;
    }
    if (st == CG_OK) {
        s.t->strength = 0;
        report->held_model = held(s.t, s.pairs, n);
        report->auc_model = moved_auc(s.t, s.pairs, n, s.positive, s.score);
        for (int k = 1; k <= 100; k++) { /* held grows with the strength: the last within the limit */
            s.t->strength = k / 100.0;
            if (held(s.t, s.pairs, n) - report->held_model > opt->hold_at_most + 1e-12) {
                s.t->strength = (k - 1) / 100.0;
                break;
            }
        }
        report->held_stage = held(s.t, s.pairs, n);
        report->auc_stage = moved_auc(s.t, s.pairs, n, s.positive, s.score);
        report->documents = documents;
        report->pairs = n;
        report->articles = s.threads.n;
        memcpy(report->coef, s.t->coef, sizeof report->coef);
        report->strength = s.t->strength;
        st = cg_bundle_write_file(opt->model_dir, CG_TOPIC_TABLE, s.table, table_len, err, errlen);
    }
    if (st == CG_OK)
        st = write_settings(opt->model_dir, s.t, err, errlen);
    if (st == CG_OK)
        st = cg_topicality_write_card(opt->model_dir, opt, report, err, errlen);
    if (st != CG_OK && err && !err[0])
        snprintf(err, errlen, "%s", st == CG_ERR_NOMEM ? "out of memory" : "the fit failed");
    fit_state_free(&s);
    return st;
}
