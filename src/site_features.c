/* site_features.c - what the site model of an adapted bundle reads of a comment (site_features.h). */
#include "site_features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "compare.h"

const char *cg_site_features_check(const cg_site_features *f)
{
    if (f->text_min > f->text_max || f->text_max > 8 || (f->text_min == 0) != (f->text_max == 0))
        return "text character n-gram range must be 0-0 or lie within 1..8";
    if (!(f->text_weight >= 0 && f->text_weight <= 10) || !(f->author_weight >= 0 && f->author_weight <= 10))
        return "text and author weights must lie in [0, 10]";
    return NULL;
}

float cg_site_idf(double df, double n)
{
    return (float)(log((1.0 + n) / (1.0 + df)) + 1.0);
}

int cg_site_dim(const cg_extractor_config *c)
{
    return cg_feature_dim(c) + (1 << CG_SITE_TEXT_BITS) + (1 << CG_SITE_AUTHOR_BITS);
}

/* Author feature kinds: each is hashed with its own tag, so a name never meets a domain. */
enum { AUTHOR_NAME, AUTHOR_URL_HOST, AUTHOR_EMAIL_DOMAIN, HAS_NAME, HAS_URL, HAS_EMAIL, AUTHOR_KINDS };

/* s[0..n) lower-cased (ASCII), runs of white space squeezed to one space, trimmed, into out (room n). */
static size_t squeeze(const char *s, size_t n, char *out)
{
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    return k;
}

/* The host of a URL squeezed into out: after "scheme://" and "user@", before the port, path, query
 * or fragment, "www." dropped. Returns its length, *start its offset in out. */
static size_t url_host(const char *url, char *out, size_t *start)
{
    size_t n = squeeze(url, strlen(url), out), i = 0;
    for (size_t k = 0; k + 3 <= n; k++)
        if (memcmp(out + k, "://", 3) == 0) {
            i = k + 3;
            break;
        }
    size_t end = i;
    while (end < n && !strchr("/?#:", out[end]))
        end++;
    for (size_t k = i; k < end; k++)
        if (out[k] == '@')
            i = k + 1;
    if (end - i > 4 && memcmp(out + i, "www.", 4) == 0)
        i += 4;
    *start = i;
    return end - i;
}

static uint32_t slot_of(const cg_extractor_config *c, int kind, const char *s, size_t n, unsigned bits)
{
    uint64_t h = XXH3_64bits_withSeed(s, n, c->seed ^ (0x9e3779b97f4a7c15ull * (uint64_t)(kind + 1)));
    return (uint32_t)(h & ((1u << bits) - 1));
}

static int by_index(const void *a, const void *b)
{
    int x = ((const struct svm_node *)a)->index, y = ((const struct svm_node *)b)->index;
    return (x > y) - (x < y);
}

enum { TEXT_KIND = 16 };

/* The hash slot of the n-gram text[0..n) with its ASCII capitals lowered (n <= 8 code points). */
static uint32_t ngram_slot(const cg_extractor_config *c, unsigned cps, const char *text, size_t n)
{
    char lower[64];
    if (n > sizeof lower)
        n = sizeof lower;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a' : text[i]);
    return slot_of(c, TEXT_KIND + (int)cps, lower, n, CG_SITE_TEXT_BITS);
}

size_t cg_site_text_ngram_bound(const cg_site_features *f, const char *s, size_t len)
{
    size_t n_cps = 0;
    for (size_t i = 0; i < len; i++)
        n_cps += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n_cps * (f->text_max - f->text_min + 1) + 1;
}

size_t cg_site_text_ngrams(const cg_extractor_config *c, const cg_site_features *f, const char *s, size_t len,
                           uint32_t *slot, uint32_t *start, uint32_t *end)
{
    size_t n_slots = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        size_t stop = i;
        for (unsigned n = 1; n <= f->text_max && stop < len; n++) {
            do
                stop++;
            while (stop < len && stop - i < 32 && ((unsigned char)s[stop] & 0xC0) == 0x80);
            if (n < f->text_min)
                continue;
            if (start) {
                start[n_slots] = (uint32_t)i;
                end[n_slots] = (uint32_t)stop;
            }
            slot[n_slots++] = ngram_slot(c, n, s + i, stop - i);
        }
    }
    return n_slots;
}

/* The character n-grams of the comment as written (markup, entities and odd spaces included: spam
 * templates show in them, and normalising would erase them), appended to ws->nodes. */
static cg_status add_text_ngrams(const cg_extractor *ex, const cg_site_features *f, cg_workspace *ws,
                                 const char *s, size_t len)
{
    size_t most = cg_site_text_ngram_bound(f, s, len);
    if (cg_grow((void **)&ws->site_slots, &ws->site_slots_cap, most, sizeof *ws->site_slots) != CG_OK)
        return CG_ERR_NOMEM;
    size_t n_slots = cg_site_text_ngrams(&ex->config, f, s, len, ws->site_slots, NULL, NULL);
    if (n_slots == 0)
        return CG_OK;
    qsort(ws->site_slots, n_slots, sizeof *ws->site_slots, cg_compare_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < n_slots; i++)
        distinct += i == 0 || ws->site_slots[i] != ws->site_slots[i - 1];
    if (cg_grow((void **)&ws->nodes, &ws->nodes_cap, ws->n_nodes + distinct + 1, sizeof *ws->nodes) != CG_OK)
        return CG_ERR_NOMEM;
    int base = cg_feature_dim(&ex->config) + 1;
    size_t first = ws->n_nodes;
    double norm = 0;
    for (size_t i = 0, j; i < n_slots; i = j) {
        for (j = i; j < n_slots && ws->site_slots[j] == ws->site_slots[i]; j++)
            ;
        double v = f->idf ? f->idf[ws->site_slots[i]] : cg_sublinear(ws, (double)(j - i));
        ws->nodes[ws->n_nodes++] = (struct svm_node){base + (int)ws->site_slots[i], v};
        norm += v * v;
    }
    double scale = f->text_weight / sqrt(norm);
    for (size_t i = first; i < ws->n_nodes; i++)
        ws->nodes[i].value *= scale;
    return CG_OK;
}

/* The author's features, appended to ws->nodes. */
static cg_status add_author(const cg_extractor *ex, const cg_site_features *f, cg_workspace *ws, const cg_comment *c)
{
    const char *field[3] = {c->author, c->author_url, c->author_email};
    struct svm_node extra[AUTHOR_KINDS];
    int n = 0, base = cg_feature_dim(&ex->config) + (1 << CG_SITE_TEXT_BITS) + 1;
    for (int k = 0; k < 3; k++) {
        size_t len = field[k] ? strlen(field[k]) : 0;
        if (len == 0 || len > CG_MAX_COMMENT_BYTES)
            continue;
        char *copy = malloc(len + 1);
        if (!copy)
            return CG_ERR_NOMEM;
        size_t start = 0, n_key;
        if (k == AUTHOR_URL_HOST) {
            n_key = url_host(field[k], copy, &start);
        } else {
            n_key = squeeze(field[k], len, copy);
            for (size_t i = 0; k == AUTHOR_EMAIL_DOMAIN && i < n_key; i++)
                if (copy[i] == '@') /* the domain follows the last '@' */
                    start = i + 1;
            n_key -= start;
        }
        if (n_key > 0)
            extra[n++] = (struct svm_node){base + (int)slot_of(&ex->config, k, copy + start, n_key, CG_SITE_AUTHOR_BITS),
                                           f->author_weight};
        extra[n++] = (struct svm_node){base + (int)slot_of(&ex->config, HAS_NAME + k, "", 0, CG_SITE_AUTHOR_BITS),
                                       f->author_weight};
        free(copy);
    }
    if (cg_grow((void **)&ws->nodes, &ws->nodes_cap, ws->n_nodes + AUTHOR_KINDS + 1, sizeof *ws->nodes) != CG_OK)
        return CG_ERR_NOMEM;
    qsort(extra, (size_t)n, sizeof *extra, by_index);
    size_t first = ws->n_nodes;
    for (int k = 0; k < n; k++) {
        if (ws->n_nodes > first && ws->nodes[ws->n_nodes - 1].index == extra[k].index)
            ws->nodes[ws->n_nodes - 1].value += extra[k].value; /* two kinds met in one slot */
        else
            ws->nodes[ws->n_nodes++] = extra[k];
    }
    return CG_OK;
}

cg_status cg_site_vector(const cg_extractor *ex, const cg_site_features *f, cg_workspace *ws, const cg_comment *c)
{
    cg_status st = cg_extract(ex, ws, c->text ? c->text : "", c->len, NULL);
    if (st != CG_OK)
        return st;
    if (f->text_max > 0 && f->text_weight > 0)
        st = add_text_ngrams(ex, f, ws, c->text ? c->text : "", c->len);
    if (st == CG_OK && f->author_weight > 0)
        st = add_author(ex, f, ws, c);
    if (st == CG_ERR_NOMEM)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory");
    ws->nodes[ws->n_nodes].index = -1;
    return CG_OK;
}
