/* topicality_fit.c - fit a bundle's topicality stage (topicality_fit.h).
 *
 * 1. The stem table: in how many texts of the data (each comment, each distinct article) each stem
 *    occurs. Words of the data's own domain get a low IDF; words it rarely uses a high one.
 * 2. Pairs: every on-topic comment that has an article, measured under its own article (not
 *    misplaced) and under another thread's article drawn at random: misplaced when the comment
 *    carries content of its own (mass at least content_mass), not when it says nothing specific
 *    ("Thanks!" is fine under any article). Each comment twice: with the articles as given (a
 *    question, a video title: short) and with whole threads as articles (the article and the
 *    thread's other comments; the comment's own thread without it: long), so that the fit sees how
 *    much more a long article's words say. A logistic regression of "misplaced" on ln(1 + mass),
 *    the cosine, ln(1 + A) and the cosine times ln(1 + A) gives b0 .. b4 (topicality_regression.c).
 * 3. The gate's half point: unless given, midway (geometrically) between the median mass of the
 *    articles as given and of the whole threads.
 * 4. The strength of m and the way back (r): topicality_choose.c.
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
#include "site_model.h"
#include "topicality.h"
#include "topicality_card.h"
#include "topicality_choose.h"
#include "topicality_regression.h"
#include "topicality_table.h"
#include "topicality_threads.h"

void cg_topic_fit_options_default(cg_topic_fit_options *opt, const char *model_dir, const char *data_path)
{
    opt->model_dir = model_dir;
    opt->data_path = data_path;
    opt->stem_chars = 5;
    opt->min_df = 2;
    opt->content_mass = 25;
    opt->hold_at_most = 0.002;
    opt->seed = 1;
    opt->article_mass_half = -1;
    opt->release_at_most = 0.01;
    opt->belong_cosine = 0.1;
    opt->belong_mass_half = -1;
}

/* The threads' articles, analysed: as given, and whole (the article and all its comments). */
typedef struct thread_articles {
    cg_topic_threads threads;
    struct cg_article **given, **whole;
} thread_articles;

static uint64_t next_random(uint64_t *state) /* splitmix64 */
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* One pair: the comment under own and under moved (analysed articles). */
static cg_status measure_pair(const cg_model *m, cg_workspace *ws, const cg_topicality *t, const cg_example *e,
                              const cg_article *own, const cg_article *moved, int whole, cg_topic_pair *p)
{
    p->whole = whole;
    cg_status st = cg_model_base_probabilities(m, ws, e->text, e->text_len, own, p->own);
    if (st == CG_OK)
        st = cg_topicality_measure(t, &m->extractor, ws, own, &p->own_measure);
    if (st == CG_OK)
        st = cg_model_base_probabilities(m, ws, e->text, e->text_len, moved, p->moved);
    if (st == CG_OK)
        st = cg_topicality_measure(t, &m->extractor, ws, moved, &p->moved_measure);
    return st;
}

/* An article of text for the stage t. */
static cg_status analyse_article(const cg_model *m, cg_workspace *ws, const cg_topicality *t, const char *text,
                                 size_t len, cg_article **out)
{
    cg_status st = cg_article_new(m, ws, text, len, out);
    if (st == CG_OK)
        st = cg_topicality_article(t, &m->extractor, ws, *out);
    return st;
}

/* An off-topic comment e under its own article, as given and whole: two entries of offs. */
static cg_status measure_off_topic(const cg_model *m, cg_workspace *ws, const cg_topicality *t, const cg_dataset *ds,
                                   const thread_articles *ta, const cg_example *e, cg_topic_kept *offs)
{
    size_t own = (size_t)cg_topic_thread_of(&ta->threads, e);
    char *text = NULL;
    size_t len = 0;
    cg_article *own_whole = NULL;
    cg_status st = cg_model_base_probabilities(m, ws, e->text, e->text_len, ta->given[own], offs[0].prob);
    if (st == CG_OK)
        st = cg_topicality_measure(t, &m->extractor, ws, ta->given[own], &offs[0].measure);
    if (st == CG_OK)
        st = cg_topic_thread_text(&ta->threads, ds, own, e->text, e->text_len, &text, &len);
    if (st == CG_OK)
        st = analyse_article(m, ws, t, text, len, &own_whole);
    if (st == CG_OK)
        st = cg_model_base_probabilities(m, ws, e->text, e->text_len, own_whole, offs[1].prob);
    if (st == CG_OK)
        st = cg_topicality_measure(t, &m->extractor, ws, own_whole, &offs[1].measure);
    cg_article_free(own_whole);
    free(text);
    return st;
}

/* Two pairs for each on-topic comment with an article: the articles as given, then whole threads
 * (its own without it); two entries of offs for each off-topic one (measure_off_topic). */
static cg_status measure_pairs(const cg_model *m, cg_workspace *ws, const cg_topicality *t, const cg_dataset *ds,
                               const thread_articles *ta, cg_topic_pair *pairs, size_t *n_pairs, cg_topic_kept *offs, size_t *n_offs,
                               unsigned seed)
{
    uint64_t state = seed;
    size_t n = 0, n_threads = ta->threads.n;
    cg_status st = CG_OK;
    *n_offs = 0;
    for (size_t i = 0; st == CG_OK && i < ds->n; i++) {
        const cg_example *e = &ds->rows[i];
        if (e->label == CG_OFF_TOPIC && e->article) {
            st = measure_off_topic(m, ws, t, ds, ta, e, offs + *n_offs);
            *n_offs += 2;
        }
        if (e->label != CG_ON_TOPIC || !e->article)
            continue;
        size_t own = (size_t)cg_topic_thread_of(&ta->threads, e), other;
        do
            other = (size_t)(next_random(&state) % n_threads);
        while (other == own);
        st = measure_pair(m, ws, t, e, ta->given[own], ta->given[other], 0, &pairs[n++]);
        char *text = NULL;
        size_t len = 0;
        cg_article *own_whole = NULL;
        if (st == CG_OK)
            st = cg_topic_thread_text(&ta->threads, ds, own, e->text, e->text_len, &text, &len);
        if (st == CG_OK)
            st = analyse_article(m, ws, t, text, len, &own_whole);
        if (st == CG_OK)
            st = measure_pair(m, ws, t, e, own_whole, ta->whole[other], 1, &pairs[n++]);
        cg_article_free(own_whole);
        free(text);
    }
    *n_pairs = n;
    return st;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median mass of the pairs' own articles of one kind; scratch has room for n. */
static double median_article_mass(const cg_topic_pair *pairs, size_t n, int whole, double *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (pairs[i].whole == whole)
            scratch[k++] = pairs[i].own_measure.article_mass;
    if (k == 0)
        return 0.0;
    qsort(scratch, k, sizeof *scratch, compare_double);
    return k % 2 ? scratch[k / 2] : (scratch[k / 2 - 1] + scratch[k / 2]) / 2;
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
    json_t *o = json_pack("{s:s, s:i, s:[f,f,f,f,f], s:f, s:f, s:f, s:f, s:f}", "table", CG_TOPIC_TABLE, "stem_chars",
                          (int)t->stem_chars, "coefficients", t->coef[0], t->coef[1], t->coef[2], t->coef[3],
                          t->coef[4], "strength", t->strength, "article_mass_half", t->article_mass_half,
                          "belong_strength", t->belong_strength, "belong_cosine", t->belong_cosine,
                          "belong_mass_half", t->belong_mass_half);
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
    cg_stem_counts counts;
    thread_articles ta;
    cg_topicality *t;
    char *table;
    cg_topic_pair *pairs;
    cg_topic_kept *offs;
    int *positive;
    double *score;
    double (*x)[CG_TOPIC_COEFS]; /* the regression's inputs and outputs */
    int *y;
} fit_state;

static void fit_state_free(fit_state *s)
{
    for (size_t k = 0; k < s->ta.threads.n; k++) { /* either list may be missing if memory ran out */
        if (s->ta.given)
            cg_article_free(s->ta.given[k]);
        if (s->ta.whole)
            cg_article_free(s->ta.whole[k]);
    }
    free(s->ta.given);
    free(s->ta.whole);
    cg_topic_threads_free(&s->ta.threads);
    free(s->counts.e);
    cg_topicality_free(s->t);
    free(s->table);
    free(s->pairs);
    free(s->offs);
    free(s->positive);
    free(s->score);
    free(s->x);
    free(s->y);
    cg_dataset_free(&s->ds);
    cg_workspace_free(s->ws);
    cg_model_free(s->model);
}

/* Count the stems of the rows and of their distinct articles (the threads, collected first). */
static cg_status count_documents(fit_state *s, const cg_topic_fit_options *opt, size_t *documents, char *err,
                                 size_t errlen)
{
    const cg_extractor *ex = &s->model->extractor;
    size_t n = s->ds.n;
    cg_status st = CG_OK;
    for (size_t i = 0; st == CG_OK && i < n; i++) {
        const cg_example *e = &s->ds.rows[i];
        st = cg_stem_counts_add_text(ex, s->ws, opt->stem_chars, e->text, e->text_len, i, &s->counts);
        if (st != CG_OK && err)
            snprintf(err, errlen, "%s:%ld: %s", s->ds.path, e->line, cg_workspace_error(s->ws));
    }
    for (size_t k = 0; st == CG_OK && k < s->ta.threads.n; k++)
        st = cg_stem_counts_add_text(ex, s->ws, opt->stem_chars, s->ta.threads.text[k], s->ta.threads.len[k], n + k, &s->counts);
    *documents = n + s->ta.threads.n;
    return st;
}

/* Analyse each thread's article as given and whole. */
static cg_status analyse_threads(fit_state *s)
{
    size_t n = s->ta.threads.n;
    if (!(s->ta.given = calloc(n + 1, sizeof *s->ta.given)) || !(s->ta.whole = calloc(n + 1, sizeof *s->ta.whole)))
        return CG_ERR_NOMEM;
    cg_status st = CG_OK;
    for (size_t k = 0; st == CG_OK && k < n; k++) {
        char *text = NULL;
        size_t len = 0;
        st = analyse_article(s->model, s->ws, s->t, s->ta.threads.text[k], s->ta.threads.len[k], &s->ta.given[k]);
        if (st == CG_OK)
            st = cg_topic_thread_text(&s->ta.threads, &s->ds, k, NULL, 0, &text, &len);
        if (st == CG_OK)
            st = analyse_article(s->model, s->ws, s->t, text, len, &s->ta.whole[k]);
        free(text);
    }
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
    if (st == CG_OK)
        st = cg_topic_threads_collect(&s.ds, &s.ta.threads);
    size_t documents = 0, table_len = 0;
    if (st == CG_OK)
        st = count_documents(&s, opt, &documents, err, errlen);
    if (st == CG_OK && s.ta.threads.n < 2) {
        snprintf(err, errlen, "%s: fewer than 2 distinct articles: no comment can be moved", opt->data_path);
        st = CG_ERR_INPUT;
    }
    if (st == CG_OK && (!(s.table = cg_stem_counts_table(&s.counts, documents, opt->min_df, &table_len, &report->stems)) ||
                        !(s.t = calloc(1, sizeof *s.t))))
        st = CG_ERR_NOMEM;
    if (st == CG_OK) {
        s.t->stem_chars = opt->stem_chars;
        st = cg_topicality_parse_table(s.t, s.table, table_len, CG_TOPIC_TABLE, err, errlen);
    }
    if (st == CG_OK)
        st = analyse_threads(&s);
    size_t n = 0, n_offs = 0;
    if (st == CG_OK && (!(s.pairs = malloc(2 * s.ds.n * sizeof *s.pairs)) ||
                        !(s.offs = malloc(2 * s.ds.n * sizeof *s.offs)) ||
                        !(s.positive = malloc(4 * s.ds.n * sizeof *s.positive)) ||
                        !(s.score = malloc(4 * s.ds.n * sizeof *s.score))))
        st = CG_ERR_NOMEM;
    if (st == CG_OK)
        st = measure_pairs(s.model, s.ws, s.t, &s.ds, &s.ta, s.pairs, &n, s.offs, &n_offs, opt->seed);
    if (st == CG_OK && n == 0) {
        snprintf(err, errlen, "%s: no on-topic comment with an article to fit on", opt->data_path);
        st = CG_ERR_INPUT;
    }
    if (st == CG_OK && (!(s.x = malloc(2 * n * sizeof *s.x)) || !(s.y = malloc(2 * n * sizeof *s.y))))
        st = CG_ERR_NOMEM;
    for (size_t i = 0; st == CG_OK && i < 2 * n; i++) { /* own comments first, then moved ones */
        const cg_topic_measure *m = i < n ? &s.pairs[i].own_measure : &s.pairs[i - n].moved_measure;
        cg_topic_regression_inputs(m, s.x[i]);
        s.y[i] = i >= n && m->mass >= opt->content_mass;
    }
    if (st == CG_OK && !cg_topic_regression_fit((const double(*)[CG_TOPIC_COEFS])s.x, s.y, 2 * n, s.t->coef)) {
        snprintf(err, errlen, "%s: the regression did not converge", opt->data_path);
        st = CG_ERR_INPUT;
    }
    if (st == CG_OK) {
        for (int w = 0; w < 2; w++)
            report->article_mass[w] = median_article_mass(s.pairs, n, w, s.score);
        s.t->article_mass_half = opt->article_mass_half >= 0 ? opt->article_mass_half
                                                             : sqrt(report->article_mass[0] * report->article_mass[1]);
        cg_topic_choose(s.t, s.pairs, n, s.offs, n_offs, opt, s.positive, s.score, report);
        report->documents = documents;
        report->pairs = n / 2;
        report->articles = s.ta.threads.n;
        memcpy(report->coef, s.t->coef, sizeof report->coef);
        report->article_mass_half = s.t->article_mass_half;
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
