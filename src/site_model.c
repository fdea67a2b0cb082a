/* site_model.c - the site part of an adapted bundle: its features, its probabilities, how they
 * combine with the base's, and reading it from a bundle. */
#include "site_model.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_settings.h"
#include "decide.h"
#include "read_file.h"

static const char *const class_names[CG_NUM_CLASSES] = {"on-topic", "off-topic", "abusive"};

/* The capped rule applies: asked for, and on-topic, whose evidence caps the others, is a site class. */
static int capped_rule(const cg_site_params *p)
{
    return p->unseen == CG_UNSEEN_CAPPED && p->has_class[CG_ON_TOPIC];
}

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
        else if (p->space == CG_BLEND_EVIDENCE)
            q[c] = b * pow(s / fmax(p->site_prior[c], 1e-300), w);
        else /* both are positive: libsvm's coupling never gives a class exactly 0 */
            q[c] = exp((1 - w) * log(fmax(b, 1e-300)) + w * log(fmax(s, 1e-300)));
        sum += q[c];
    }
    if (!(sum > 0))
        return;
    /* the site's evidence on on-topic: how much the blend raises or lowers the base's share of it */
    double evidence = capped_rule(p) && base[CG_ON_TOPIC] > 0
                          ? (q[CG_ON_TOPIC] / sum) / (base[CG_ON_TOPIC] / base_mass) : 1;
    double total = evidence < 1 ? base_mass : 1;
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (!p->has_class[c] && evidence < 1) {
            out[c] = base[c] * evidence;
            total += out[c];
        }
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        out[c] = p->has_class[c] ? base_mass * q[c] / sum / total : out[c] / total;
}

cg_label cg_site_decide(const cg_site_params *p, const double base[CG_NUM_CLASSES], const double base_weight[CG_NUM_CLASSES],
                        const double prob[CG_NUM_CLASSES], const int order[CG_NUM_CLASSES])
{
    if (!capped_rule(p))
        return cg_decide(prob, p->class_weight, order);
    cg_label base_label = cg_decide(base, base_weight, order);
    if (!p->has_class[base_label])
        return base_label;
    double weight[CG_NUM_CLASSES];
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        weight[c] = p->has_class[c] ? p->class_weight[c] : 0;
    return cg_decide(prob, weight, order);
}

static const char *const unseen_names[] = {"probability", "capped"};

const char *cg_unseen_rule_name(cg_unseen_rule rule)
{
    return unseen_names[rule];
}

int cg_unseen_rule_parse(const char *name, cg_unseen_rule *out)
{
    for (int k = 0; k < 2; k++)
        if (strcmp(name, unseen_names[k]) == 0) {
            *out = (cg_unseen_rule)k;
            return 0;
        }
    return -1;
}

void cg_site_probabilities(const cg_site_model *s, const cg_workspace *ws, double prob[CG_NUM_CLASSES])
{
    cg_svm_predict(&s->svm, ws->nodes, prob);
}

static const char *const space_names[] = {"log-odds", "linear", "evidence"};

const char *cg_blend_space_name(cg_blend_space space)
{
    return space_names[space];
}

int cg_blend_space_parse(const char *name, cg_blend_space *out)
{
    for (int k = 0; k < 3; k++)
        if (strcmp(name, space_names[k]) == 0) {
            *out = (cg_blend_space)k;
            return 0;
        }
    return -1;
}

void cg_site_prior(const cg_svm *svm, double prior[CG_NUM_CLASSES])
{
    double dec[CG_PAIRS];
    for (int p = 0; p < CG_PAIRS; p++)
        dec[p] = -svm->rho[p];
    cg_svm_probabilities(svm, dec, prior);
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

/* "features": {"text_char_ngrams": [min, max], "text_weight": x, "text_bits": 18, "author_weight": y,
 * "author_bits": 12}; the bits must be this version's. */
static cg_status parse_features(json_t *obj, const char *path, cg_site_features *f, char *err, size_t errlen)
{
    json_t *range = json_object_get(obj, "text_char_ngrams");
    double bits[2];
    if (!json_is_object(obj) || !json_is_array(range) || json_array_size(range) != 2 ||
        !json_is_integer(json_array_get(range, 0)) || !json_is_integer(json_array_get(range, 1)) ||
        json_integer_value(json_array_get(range, 0)) < 0 || json_integer_value(json_array_get(range, 1)) > 8 ||
        !number_in(obj, "text_weight", 0, 10, &f->text_weight) ||
        !number_in(obj, "author_weight", 0, 10, &f->author_weight) ||
        !number_in(obj, "text_bits", CG_SITE_TEXT_BITS, CG_SITE_TEXT_BITS, &bits[0]) ||
        !number_in(obj, "author_bits", CG_SITE_AUTHOR_BITS, CG_SITE_AUTHOR_BITS, &bits[1]))
        return site_error(err, errlen, path, "features missing or out of range");
    const char *counts = json_string_value(json_object_get(obj, "text_counts"));
    if (!counts || (strcmp(counts, "idf") != 0 && strcmp(counts, "sublinear") != 0))
        return site_error(err, errlen, path, "features.text_counts must be \"idf\" or \"sublinear\"");
    f->use_idf = strcmp(counts, "idf") == 0;
    f->text_min = (unsigned)json_integer_value(json_array_get(range, 0));
    f->text_max = (unsigned)json_integer_value(json_array_get(range, 1));
    const char *why = cg_site_features_check(f);
    return why ? site_error(err, errlen, path, why) : CG_OK;
}

/* dir/site.idf into s->idf (site_model.h: CG_SITE_IDF). */
static cg_status load_idf(const char *dir, cg_site_model *s, char *err, size_t errlen)
{
    size_t n = strlen(dir) + sizeof "/" CG_SITE_IDF, slots = (size_t)1 << CG_SITE_TEXT_BITS;
    char *path = malloc(n), *text = NULL;
    size_t size;
    if (!path || !(s->idf = malloc(slots * sizeof *s->idf))) {
        free(path);
        return CG_ERR_NOMEM;
    }
    snprintf(path, n, "%s/%s", dir, CG_SITE_IDF);
    cg_status st = cg_read_file(path, 64L << 20, &text, &size, err, errlen);
    unsigned long rows = 0;
    int used = 0;
    if (st == CG_OK && (sscanf(text, "rows %lu\n%n", &rows, &used) != 1 || used == 0 || rows == 0))
        st = site_error(err, errlen, path, "must start with \"rows N\"");
    for (size_t k = 0; st == CG_OK && k < slots; k++)
        s->idf[k] = cg_site_idf(0, (double)rows);
    for (const char *p = text + used; st == CG_OK && *p;) {
        unsigned long slot, df;
        int len = 0;
        if (sscanf(p, "%lu %lu\n%n", &slot, &df, &len) != 2 || len == 0 || slot >= slots || df > rows) {
            st = site_error(err, errlen, path, "lines must be \"slot df\" with slot < 65536 and df <= rows");
            break;
        }
        s->idf[slot] = cg_site_idf((double)df, (double)rows);
        p += len;
    }
    free(text);
    free(path);
    if (st == CG_OK)
        s->features.idf = s->idf;
    return st;
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
    if (!space || cg_blend_space_parse(space, &s->params.space) != 0)
        return site_error(err, errlen, path, "blend_space must be \"log-odds\", \"linear\" or \"evidence\"");
    json_t *unseen = json_object_get(site, "unseen_classes"); /* absent in bundles written before it */
    if (unseen && (!json_is_string(unseen) || cg_unseen_rule_parse(json_string_value(unseen), &s->params.unseen) != 0))
        return site_error(err, errlen, path, "unseen_classes must be \"capped\" or \"probability\"");
    if (!number_in(site, "blend", 0, 1, &s->params.blend))
        return site_error(err, errlen, path, "blend must be a number in 0..1");
    cg_status st = parse_features(json_object_get(site, "features"), path, &s->features, err, errlen);
    if (st != CG_OK)
        return st;
    json_t *model = json_object_get(site, "model");
    if (json_is_null(model)) { /* a fallback: the base's judgement alone */
        if (s->params.blend != 0)
            return site_error(err, errlen, path, "a site part without a model must have blend 0");
        return CG_OK;
    }
    if (!json_is_string(model) || strcmp(json_string_value(model), CG_SITE_SVM) != 0)
        return site_error(err, errlen, path, "model must be \"" CG_SITE_SVM "\" or null");
    cg_extractor_config config;
    st = cg_bundle_parse_extractor(json_object_get(site, "extractor"), path, dir, &config, err, errlen);
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
        if (st == CG_OK)
            cg_site_prior(&s->svm, s->params.site_prior);
        if (st == CG_OK && s->features.use_idf)
            st = load_idf(dir, s, err, errlen);
    }
    return st;
}

cg_status cg_site_model_load(const char *dir, cg_site_model **out, char *err, size_t errlen)
{
    *out = NULL;
    json_t *root;
    char *path;
    cg_status st = cg_bundle_load_settings(dir, &root, &path, err, errlen);
    json_t *site = root ? json_object_get(root, "site") : NULL;
    if (site) {
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
    free(s->idf);
    free(s);
}
