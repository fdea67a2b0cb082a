/* topicality.c - whether a comment is about its article or about something else (topicality.h):
 * the stem table, the bundle's settings for it, and the stage's arithmetic. */
#include "topicality.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "bundle_settings.h"
#include "read_file.h"

#define TABLE_LIMIT (64L << 20) /* bytes: a table of the largest data is a few MB */
#define STEM_SEED 0x746f70696373ULL

size_t cg_topic_stem_len(const cg_extractor *ex, const cg_workspace *ws, size_t i, unsigned stem_chars)
{
    const cg_token *t = &ws->tokens[i];
    const char *w = ws->norm + t->start;
    if (t->kind != CG_TOK_WORD || t->len < 2 || cg_stopword_find(ex->stopwords, w, t->len))
        return 0;
    size_t len = 0;
    for (unsigned chars = 0; len < t->len; len++) { /* to the lead byte of character stem_chars + 1 */
        if (((unsigned char)w[len] & 0xC0) != 0x80 && chars++ == stem_chars)
            break;
    }
    return len;
}

uint64_t cg_topic_stem_hash(const char *stem, size_t len)
{
    uint64_t h = XXH3_64bits_withSeed(stem, len, STEM_SEED);
    return h ? h : 1;
}

static float *find_idf(const cg_topicality *t, uint64_t key)
{
    for (size_t i = (size_t)key & t->mask;; i = (i + 1) & t->mask) {
        if (t->keys[i] == key)
            return &t->idf[i];
        if (t->keys[i] == 0)
            return NULL;
    }
}

static double stem_idf(const cg_topicality *t, uint64_t key)
{
    const float *idf = find_idf(t, key);
    return idf ? *idf : t->unknown_idf;
}

static cg_status table_error(char *err, size_t errlen, const char *path, size_t line, const char *what)
{
    if (err)
        snprintf(err, errlen, "%s:%zu: %s", path, line, what);
    return CG_ERR_FORMAT;
}

/* The next line of text[*pos..len) without its end (LF or CRLF), NUL-terminated in place. */
static char *next_line(char *text, size_t len, size_t *pos)
{
    if (*pos >= len)
        return NULL;
    char *line = text + *pos, *end = memchr(line, '\n', len - *pos);
    size_t n = end ? (size_t)(end - line) : len - *pos;
    *pos += n + (end != NULL);
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return line;
}

/* A whole decimal number in [lo, hi] that is all of s. */
static int parse_count(const char *s, double lo, double hi, double *out)
{
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || (double)v < lo || (double)v > hi)
        return 0;
    *out = (double)v;
    return 1;
}

static cg_status parse_lines(cg_topicality *t, char *text, size_t len, const char *path, char *err, size_t errlen)
{
    size_t pos = 0, line_no = 1, lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    char *line = next_line(text, len, &pos);
    if (!line || strncmp(line, "documents ", 10) != 0 || !parse_count(line + 10, 1, 1e15, &t->documents))
        return table_error(err, errlen, path, 1, "the first line must be \"documents N\" with N >= 1");
    size_t size = 16;
    while (size < 2 * (lines + 1))
        size *= 2;
    t->keys = calloc(size, sizeof *t->keys);
    t->idf = calloc(size, sizeof *t->idf);
    if (!t->keys || !t->idf)
        return CG_ERR_NOMEM;
    t->mask = size - 1;
    t->unknown_idf = log(t->documents + 1.0);
    while ((line = next_line(text, len, &pos)) != NULL) {
        line_no++;
        if (!*line)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab == line)
            return table_error(err, errlen, path, line_no, "expected \"stem TAB document count\"");
        *tab = '\0';
        double df;
        if (!parse_count(tab + 1, 1, t->documents, &df))
            return table_error(err, errlen, path, line_no, "the document count must be a whole number from 1 to documents");
        uint64_t key = cg_topic_stem_hash(line, (size_t)(tab - line));
        size_t i = (size_t)key & t->mask;
        while (t->keys[i] != 0 && t->keys[i] != key)
            i = (i + 1) & t->mask;
        if (t->keys[i] == key)
            return table_error(err, errlen, path, line_no, "a stem listed twice");
        t->keys[i] = key;
        t->idf[i] = (float)log((t->documents + 1.0) / (df + 1.0));
        t->n_stems++;
    }
    return CG_OK;
}

cg_status cg_topicality_parse_table(cg_topicality *t, const char *text, size_t len, const char *path, char *err,
                                    size_t errlen)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return CG_ERR_NOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    cg_status st = memchr(copy, '\0', len) ? table_error(err, errlen, path, 1, "a NUL byte in the table")
                                            : parse_lines(t, copy, len, path, err, errlen);
    free(copy);
    return st;
}

static cg_status settings_error(char *err, size_t errlen, const char *path, const char *what)
{
    if (err)
        snprintf(err, errlen, "%s: topicality: %s", path, what);
    return CG_ERR_FORMAT;
}

static int number_in(json_t *v, double lo, double hi, double *out)
{
    if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi))
        return 0;
    *out = json_number_value(v);
    return 1;
}

/* The settings of the "topicality" object, and its table read from the bundle. */
static cg_status parse_settings(json_t *o, const char *path, const char *dir, cg_topicality *t, char *err,
                                size_t errlen)
{
    json_t *table = json_object_get(o, "table"), *coef = json_object_get(o, "coefficients");
    double chars;
    if (!json_is_object(o))
        return settings_error(err, errlen, path, "must be an object");
    if (!number_in(json_object_get(o, "stem_chars"), 1, CG_TOPIC_MAX_STEM_CHARS, &chars) || chars != floor(chars))
        return settings_error(err, errlen, path, "stem_chars must be a whole number from 1 to 16");
    t->stem_chars = (unsigned)chars;
    if (!number_in(json_object_get(o, "strength"), 0, 1, &t->strength))
        return settings_error(err, errlen, path, "strength must be a number from 0 to 1");
    if (!json_is_array(coef) ||
        (json_array_size(coef) != CG_TOPIC_COEFS && json_array_size(coef) != CG_TOPIC_OLD_COEFS))
        return settings_error(err, errlen, path, "coefficients must list 3 or 5 numbers");
    for (size_t k = 0; k < json_array_size(coef); k++)
        if (!number_in(json_array_get(coef, k), -1e6, 1e6, &t->coef[k]))
            return settings_error(err, errlen, path, "coefficients must be numbers from -1e6 to 1e6");
    /* A stage fitted before the article's mass counted has no gate (and b3 = b4 = 0 above). */
    json_t *half = json_object_get(o, "article_mass_half");
    if (half && !number_in(half, 0, 1e9, &t->article_mass_half))
        return settings_error(err, errlen, path, "article_mass_half must be a number from 0 to 1e9");
    /* A stage fitted before the way back to on-topic has none (r = 0). */
    json_t *belong = json_object_get(o, "belong_strength"), *belong_cosine = json_object_get(o, "belong_cosine");
    if (!belong != !belong_cosine)
        return settings_error(err, errlen, path, "belong_strength and belong_cosine go together");
    if (belong && !number_in(belong, 0, 1, &t->belong_strength))
        return settings_error(err, errlen, path, "belong_strength must be a number from 0 to 1");
    if (belong_cosine && (!number_in(belong_cosine, 0, 1, &t->belong_cosine) || t->belong_cosine <= 0))
        return settings_error(err, errlen, path, "belong_cosine must be a number above 0, at most 1");
    json_t *belong_half = json_object_get(o, "belong_mass_half");
    t->belong_mass_half = t->article_mass_half;
    if (belong_half && (!belong || !number_in(belong_half, 0, 1e9, &t->belong_mass_half)))
        return settings_error(err, errlen, path, "belong_mass_half must be a number from 0 to 1e9, with belong_strength");
    /* The table is a file of the bundle: a plain name, never a path out of it. */
    const char *name = json_string_value(table);
    if (!name || !*name || strchr(name, '/') || name[0] == '.')
        return settings_error(err, errlen, path, "table must name a file in the bundle");
    char *file = malloc(strlen(dir) + strlen(name) + 2), *text = NULL;
    if (!file)
        return CG_ERR_NOMEM;
    sprintf(file, "%s/%s", dir, name);
    size_t len;
    cg_status st = cg_read_file(file, TABLE_LIMIT, &text, &len, err, errlen);
    if (st == CG_OK)
        st = cg_topicality_parse_table(t, text, len, file, err, errlen);
    free(text);
    free(file);
    return st;
}

cg_status cg_topicality_load(const char *dir, cg_topicality **out, char *err, size_t errlen)
{
    *out = NULL;
    json_t *root;
    char *path;
    cg_status st = cg_bundle_load_settings(dir, &root, &path, err, errlen);
    json_t *o = root ? json_object_get(root, "topicality") : NULL;
    if (o) {
        cg_topicality *t = calloc(1, sizeof *t);
        if (!t)
            st = CG_ERR_NOMEM;
        else if ((st = parse_settings(o, path, dir, t, err, errlen)) != CG_OK)
            cg_topicality_free(t);
        else
            *out = t;
    }
    json_decref(root);
    free(path);
    return st;
}

void cg_topicality_free(cg_topicality *t)
{
    if (!t)
        return;
    free(t->keys);
    free(t->idf);
    free(t);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The distinct stem hashes of the text last analysed into ws, ascending, in ws->rel_scratch;
 * returns how many, or (size_t)-1 if memory ran out. */
static size_t distinct_stems(const cg_topicality *t, const cg_extractor *ex, cg_workspace *ws)
{
    if (cg_grow((void **)&ws->rel_scratch, &ws->rel_scratch_cap, ws->n_tokens + 1, sizeof *ws->rel_scratch) != CG_OK)
        return (size_t)-1;
    size_t n = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        size_t len = cg_topic_stem_len(ex, ws, i, t->stem_chars);
        if (len > 0)
            ws->rel_scratch[n++] = cg_topic_stem_hash(ws->norm + ws->tokens[i].start, len);
    }
    qsort(ws->rel_scratch, n, sizeof *ws->rel_scratch, compare_u64);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || ws->rel_scratch[kept - 1] != ws->rel_scratch[i])
            ws->rel_scratch[kept++] = ws->rel_scratch[i];
    return kept;
}

cg_status cg_topicality_article(const cg_topicality *t, const cg_extractor *ex, cg_workspace *ws,
                                struct cg_article *a)
{
    size_t n = distinct_stems(t, ex, ws);
    if (n == (size_t)-1 || !(a->topic_stems = malloc((n + 1) * sizeof *a->topic_stems)) ||
        !(a->topic_idf = malloc((n + 1) * sizeof *a->topic_idf)))
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for an article's stems");
    double norm2 = 0, mass = 0;
    for (size_t i = 0; i < n; i++) {
        double idf = stem_idf(t, ws->rel_scratch[i]);
        a->topic_stems[i] = ws->rel_scratch[i];
        a->topic_idf[i] = (float)idf;
        norm2 += idf * idf;
        mass += idf;
    }
    a->n_topic_stems = n;
    a->topic_norm = sqrt(norm2);
    a->topic_mass = mass;
    return CG_OK;
}

/* Whether the comment last analysed into ws calls readers elsewhere (topicality.h). */
static int calls_elsewhere(const cg_extractor *ex, const cg_workspace *ws)
{
    for (size_t i = 0; i < ws->n_tokens; i++) {
        int kind = ws->tokens[i].kind;
        if (kind == CG_TOK_URL || kind == CG_TOK_EMAIL ||
            (kind == CG_TOK_WORD && ex->n_promotion > 0 && cg_ends_promotion(ex, ws, i)))
            return 1;
    }
    return 0;
}

cg_status cg_topicality_measure(const cg_topicality *t, const cg_extractor *ex, cg_workspace *ws,
                                const struct cg_article *a, cg_topic_measure *out)
{
    size_t n = distinct_stems(t, ex, ws);
    if (n == (size_t)-1)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for a comment's stems");
    double mass = 0, norm2 = 0, dot = 0;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) { /* both ascending: one merge */
        uint64_t key = ws->rel_scratch[i];
        double idf = stem_idf(t, key);
        mass += idf;
        norm2 += idf * idf;
        while (j < a->n_topic_stems && a->topic_stems[j] < key)
            j++;
        if (j < a->n_topic_stems && a->topic_stems[j] == key)
            dot += idf * a->topic_idf[j];
    }
    out->mass = mass;
    out->cosine = dot > 0 ? dot / (sqrt(norm2) * a->topic_norm) : 0.0;
    out->article_mass = a->topic_mass;
    out->calls_elsewhere = calls_elsewhere(ex, ws);
    return CG_OK;
}

static double gate_at(double half, double article_mass)
{
    if (half <= 0)
        return 1.0;
    if (article_mass <= 0)
        return 0.0;
    return 1.0 / (1.0 + pow(half / article_mass, CG_TOPIC_GATE_POWER));
}

double cg_topicality_gate(const cg_topicality *t, double article_mass)
{
    return gate_at(t->article_mass_half, article_mass);
}

double cg_topicality_misplaced(const cg_topicality *t, const cg_topic_measure *m)
{
    double la = log1p(m->article_mass);
    double z = t->coef[0] + t->coef[1] * log1p(m->mass) + t->coef[2] * m->cosine + t->coef[3] * la +
               t->coef[4] * m->cosine * la;
    return t->strength * cg_topicality_gate(t, m->article_mass) / (1.0 + exp(-z));
}

double cg_topicality_belongs(const cg_topicality *t, const cg_topic_measure *m)
{
    if (t->belong_strength <= 0 || m->calls_elsewhere)
        return 0.0;
    return t->belong_strength * gate_at(t->belong_mass_half, m->article_mass) * fmin(1.0, m->cosine / t->belong_cosine);
}

void cg_topicality_apply(double m, double r, double prob[CG_NUM_CLASSES])
{
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        prob[c] = c == CG_OFF_TOPIC ? prob[c] + (1.0 - prob[c]) * m : prob[c] * (1.0 - m);
    prob[CG_ON_TOPIC] += prob[CG_OFF_TOPIC] * r;
    prob[CG_OFF_TOPIC] *= 1.0 - r;
}

void cg_topicality_adjust(const cg_topicality *t, const cg_topic_measure *measure, double prob[CG_NUM_CLASSES])
{
    cg_topicality_apply(cg_topicality_misplaced(t, measure), cg_topicality_belongs(t, measure), prob);
}
