/* site_model.c - the site part of an adapted bundle: its features, its probabilities, how they
 * combine with the base's, and reading it from a bundle. */
#include "site_model.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "bundle_settings.h"

static const char *const class_names[CG_NUM_CLASSES] = {"on-topic", "off-topic", "abusive"};

void cg_site_combine(const cg_site_params *p, const double base[CG_NUM_CLASSES], const double site[CG_NUM_CLASSES],
                     double out[CG_NUM_CLASSES])
{
    int plain = p->blend == 0;
    double base_mass = 0, site_mass = 0;
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        out[c] = base[c];
        if (p->has_class[c]) {
            base_mass += base[c];
            site_mass += site[c];
        }
    }
    if (plain || !(base_mass > 0) || !(site_mass > 0))
        return;
    double q[CG_NUM_CLASSES], sum = 0, w = p->blend;
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        if (!p->has_class[c])
            continue;
        double b = base[c] / base_mass, s = site[c] / site_mass;
        if (p->space == CG_BLEND_LINEAR)
            q[c] = (1 - w) * b + w * s;
        else /* both are positive: libsvm's coupling never gives a class exactly 0 */
            q[c] = exp((1 - w) * log(fmax(b, 1e-300)) + w * log(fmax(s, 1e-300)));
        sum += q[c];
    }
    if (!(sum > 0))
        return;
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (p->has_class[c])
            out[c] = base_mass * q[c] / sum;
}

int cg_site_dim(const cg_extractor_config *c)
{
    return cg_feature_dim(c) + (1 << CG_SITE_AUTHOR_BITS);
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

/* The host of a URL: after "scheme://" and "user@", before the port, path, query or fragment;
 * "www." dropped. Returns its length in the squeezed copy `out`, *start its offset there. */
static size_t url_host(const char *url, char *out, size_t *start)
{
    size_t n = squeeze(url, strlen(url), out), i = 0;
    const char *scheme = strstr(out, "://");
    if (scheme && (size_t)(scheme - out) < n)
        i = (size_t)(scheme - out) + 3;
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

static uint32_t author_slot(const cg_extractor_config *c, int kind, const char *s, size_t n)
{
    uint64_t h = XXH3_64bits_withSeed(s, n, c->seed ^ (0x9e3779b97f4a7c15ull * (uint64_t)(kind + 1)));
    return (uint32_t)(h & ((1u << CG_SITE_AUTHOR_BITS) - 1));
}

static int by_index(const void *a, const void *b)
{
    int x = ((const struct svm_node *)a)->index, y = ((const struct svm_node *)b)->index;
    return (x > y) - (x < y);
}

cg_status cg_site_vector(const cg_extractor *ex, double author_weight, cg_workspace *ws, const cg_comment *c)
{
    cg_status st = cg_extract(ex, ws, c->text ? c->text : "", c->len, NULL);
    if (st != CG_OK)
        return st;
    if (cg_grow((void **)&ws->nodes, &ws->nodes_cap, ws->n_nodes + AUTHOR_KINDS + 1, sizeof *ws->nodes) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory");
    const char *field[3] = {c->author, c->author_url, c->author_email};
    struct svm_node extra[AUTHOR_KINDS];
    int n = 0, base = cg_feature_dim(&ex->config) + 1;
    for (int k = 0; k < 3; k++) {
        size_t len = field[k] ? strlen(field[k]) : 0;
        if (len == 0 || len > CG_MAX_COMMENT_BYTES)
            continue;
        char *copy = malloc(len + 1);
        if (!copy)
            return cg_fail(ws, CG_ERR_NOMEM, "out of memory");
        size_t start = 0, n_key;
        if (k == AUTHOR_URL_HOST) {
            n_key = url_host(field[k], copy, &start);
        } else {
            n_key = squeeze(field[k], len, copy);
            const char *at = k == AUTHOR_EMAIL_DOMAIN ? memchr(copy, '@', n_key) : NULL;
            while (at) { /* the domain follows the last '@' */
                start = (size_t)(at - copy) + 1;
                at = memchr(copy + start, '@', n_key - start);
            }
            n_key -= start;
        }
        if (n_key > 0)
            extra[n++] = (struct svm_node){base + (int)author_slot(&ex->config, k, copy + start, n_key), author_weight};
        extra[n++] = (struct svm_node){base + (int)author_slot(&ex->config, HAS_NAME + k, "", 0), author_weight};
        free(copy);
    }
    qsort(extra, (size_t)n, sizeof *extra, by_index);
    size_t at = ws->n_nodes;
    for (int k = 0; k < n; k++) {
        if (at > ws->n_nodes && ws->nodes[at - 1].index == extra[k].index)
            ws->nodes[at - 1].value += extra[k].value; /* two kinds met in one slot */
        else
            ws->nodes[at++] = extra[k];
    }
    ws->n_nodes = at;
    ws->nodes[at].index = -1;
    return CG_OK;
}

void cg_site_probabilities(const cg_site_model *s, const cg_workspace *ws, double prob[CG_NUM_CLASSES])
{
    if (s->svm.weights) {
        double dec[CG_PAIRS];
        cg_svm_decision_values(&s->svm, ws->nodes, dec);
        cg_svm_probabilities(&s->svm, dec, prob);
    } else {
        cg_svm_probabilities_libsvm(&s->svm, ws->nodes, prob);
    }
}

static cg_status site_error(char *err, size_t errlen, const char *path, const char *what)
{
    if (err)
        snprintf(err, errlen, "%s: site: %s", path, what);
    return CG_ERR_FORMAT;
}

static int number_in(json_t *obj, const char *key, double lo, double hi, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi))
        return 0;
    *out = json_number_value(v);
    return 1;
}

static cg_status parse_site(json_t *site, const char *path, const char *dir, cg_site_model *s, char *err,
                            size_t errlen)
{
    if (!json_is_object(site))
        return site_error(err, errlen, path, "must be an object");
    json_t *classes = json_object_get(site, "classes");
    if (!json_is_array(classes) || json_array_size(classes) > CG_NUM_CLASSES)
        return site_error(err, errlen, path, "classes must list the site's classes");
    for (size_t i = 0; i < json_array_size(classes); i++) {
        const char *name = json_string_value(json_array_get(classes, i));
        int c = 0;
        while (c < CG_NUM_CLASSES && !(name && strcmp(name, class_names[c]) == 0))
            c++;
        if (c == CG_NUM_CLASSES || s->params.has_class[c])
            return site_error(err, errlen, path, "classes must name each of on-topic, off-topic, abusive at most once");
        s->params.has_class[c] = 1;
    }
    json_t *weights = json_object_get(site, "class_weights");
    if (!json_is_array(weights) || json_array_size(weights) != CG_NUM_CLASSES)
        return site_error(err, errlen, path, "class_weights must list 3 numbers");
    for (size_t c = 0; c < CG_NUM_CLASSES; c++) {
        json_t *v = json_array_get(weights, c);
        if (!json_is_number(v) || !(json_number_value(v) > 0 && json_number_value(v) <= 100))
            return site_error(err, errlen, path, "class_weights must be numbers in (0, 100]");
        s->params.class_weight[c] = json_number_value(v);
    }
    const char *space = json_string_value(json_object_get(site, "blend_space"));
    if (!space || (strcmp(space, "log-odds") != 0 && strcmp(space, "linear") != 0))
        return site_error(err, errlen, path, "blend_space must be \"log-odds\" or \"linear\"");
    s->params.space = strcmp(space, "linear") == 0 ? CG_BLEND_LINEAR : CG_BLEND_LOG_ODDS;
    double bits;
    if (!number_in(site, "blend", 0, 1, &s->params.blend) || !number_in(site, "author_weight", 0, 10, &s->author_weight) ||
        !number_in(site, "author_bits", CG_SITE_AUTHOR_BITS, CG_SITE_AUTHOR_BITS, &bits))
        return site_error(err, errlen, path, "blend (0..1), author_weight (0..10) or author_bits (12) missing or out of range");
    json_t *model = json_object_get(site, "model");
    if (json_is_null(model)) { /* a fallback: the base's judgement alone */
        if (s->params.blend != 0)
            return site_error(err, errlen, path, "a site part without a model must have blend 0");
        return CG_OK;
    }
    if (!json_is_string(model) || strcmp(json_string_value(model), CG_SITE_SVM) != 0)
        return site_error(err, errlen, path, "model must be \"" CG_SITE_SVM "\" or null");
    cg_extractor_config config;
    cg_status st = cg_bundle_parse_extractor(json_object_get(site, "extractor"), path, dir, &config, err, errlen);
    if (st == CG_OK && config.lexicon[0])
        return site_error(err, errlen, path, "the site model's extractor takes no lexicon");
    if (st == CG_OK && (st = cg_extractor_init(&s->extractor, &config, err, errlen)) == CG_OK) {
        s->has_model = 1;
        size_t n = strlen(dir) + sizeof "/" CG_SITE_SVM;
        char *svm_path = malloc(n);
        if (!svm_path)
            return CG_ERR_NOMEM;
        snprintf(svm_path, n, "%s/%s", dir, CG_SITE_SVM);
        st = cg_svm_load(svm_path, cg_site_dim(&config), &s->svm, err, errlen);
        free(svm_path);
    }
    return st;
}

cg_status cg_site_model_load(const char *dir, cg_site_model **out, char *err, size_t errlen)
{
    *out = NULL;
    size_t n = strlen(dir) + sizeof "/" CG_BUNDLE_SETTINGS;
    char *path = malloc(n);
    if (!path)
        return CG_ERR_NOMEM;
    snprintf(path, n, "%s/%s", dir, CG_BUNDLE_SETTINGS);
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    cg_status st = CG_OK;
    json_t *site = root ? json_object_get(root, "site") : NULL;
    if (!root) {
        if (err)
            snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
        st = CG_ERR_FORMAT;
    } else if (site) {
        cg_site_model *s = calloc(1, sizeof *s);
        if (!s)
            st = CG_ERR_NOMEM;
        else if ((st = parse_site(site, path, dir, s, err, errlen)) != CG_OK)
            cg_site_model_free(s);
        else
            *out = s;
    }
    json_decref(root);
    free(path);
    return st;
}

void cg_site_model_free(cg_site_model *s)
{
    if (!s)
        return;
    if (s->has_model || s->extractor.patterns)
        cg_extractor_destroy(&s->extractor);
    cg_svm_destroy(&s->svm);
    free(s);
}
