/* bundle_settings.c - bundle.json, the settings file of a model bundle: its format version, the
 * labels, the extractor settings and the decision weights, read and checked, and written. */
#define _GNU_SOURCE
#include "bundle_settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lexicon.h"
#include "read_file.h"

static const char *const label_names[CG_NUM_CLASSES] = {"on-topic", "off-topic", "abusive"};

char *cg_bundle_path(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s", dir, file);
    return path;
}

static cg_status settings_error(char *err, size_t errlen, const char *path, const char *what)
{
    if (err)
        snprintf(err, errlen, "%s: %s", path, what);
    return CG_ERR_FORMAT;
}

static int get_number(json_t *obj, const char *key, double lo, double hi, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        return 0;
    double d = json_number_value(v);
    if (!(d >= lo && d <= hi))
        return 0;
    *out = d;
    return 1;
}

static cg_status parse_decision_weights(json_t *root, const char *path, double *weight, char *err, size_t errlen)
{
    json_t *w = json_object_get(root, "decision_weights");
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        weight[k] = 1.0;
    if (!w)
        return CG_OK;
    if (!json_is_array(w) || json_array_size(w) != CG_NUM_CLASSES)
        return settings_error(err, errlen, path, "decision_weights must list 3 numbers");
    for (size_t k = 0; k < CG_NUM_CLASSES; k++) {
        json_t *v = json_array_get(w, k);
        if (!json_is_number(v) || !(json_number_value(v) > 0 && json_number_value(v) <= 100))
            return settings_error(err, errlen, path, "decision_weights must be numbers in (0, 100]");
        weight[k] = json_number_value(v);
    }
    return CG_OK;
}

/* extractor.lexicon: a file of the bundle, by a plain name (never a path out of it). */
static cg_status parse_lexicon(json_t *ex, const char *path, const char *dir, cg_extractor_config *c, char *err,
                               size_t errlen)
{
    json_t *v = json_object_get(ex, "lexicon");
    if (!v)
        return CG_OK;
    const char *name = json_string_value(v);
    if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
        (size_t)snprintf(c->lexicon, sizeof c->lexicon, "%s/%s", dir, name) >= sizeof c->lexicon)
        return settings_error(err, errlen, path, "extractor.lexicon must name a file of the bundle");
    return CG_OK;
}

cg_status cg_bundle_parse_extractor(json_t *ex, const char *path, const char *dir, cg_extractor_config *c, char *err,
                                    size_t errlen)
{
    if (!json_is_object(ex))
        return settings_error(err, errlen, path, "no extractor settings");
    double d;
    memset(c, 0, sizeof *c);
    const char *seed = json_string_value(json_object_get(ex, "seed"));
    char *end = NULL;
    if (seed)
        c->seed = strtoull(seed, &end, 16);
    if (!seed || !*seed || *end || strlen(seed) > 16)
        return settings_error(err, errlen, path, "extractor.seed must be a hexadecimal string of 1 to 16 digits");
    json_t *chars = json_object_get(ex, "char_ngrams");
    double lo, hi;
    if (!get_number(ex, "hash_bits", 0, 64, &d) || (c->hash_bits = (unsigned)d) != d ||
        !get_number(ex, "word_ngrams", 0, 64, &d) || (c->word_ngrams = (unsigned)d) != d ||
        !json_is_array(chars) || json_array_size(chars) != 2 ||
        !json_is_integer(json_array_get(chars, 0)) || !json_is_integer(json_array_get(chars, 1)) ||
        (lo = (double)json_integer_value(json_array_get(chars, 0))) < 0 || lo > 64 ||
        (hi = (double)json_integer_value(json_array_get(chars, 1))) < 0 || hi > 64 ||
        !get_number(ex, "char_weight", 0, 1e9, &c->char_weight) ||
        !get_number(ex, "signal_weight", 0, 1e9, &c->signal_weight) ||
        !get_number(ex, "relevance_weight", 0, 1e9, &c->relevance_weight))
        return settings_error(err, errlen, path, "extractor settings missing or out of range");
    c->char_min = (unsigned)lo;
    c->char_max = (unsigned)hi;
    json_t *length = json_object_get(ex, "length_signal"); /* absent in bundles from before it: on */
    if (length && !json_is_boolean(length))
        return settings_error(err, errlen, path, "extractor.length_signal must be true or false");
    c->length_signal = !length || json_is_true(length);
    json_t *group = json_object_get(ex, "group_placeholder"); /* absent in bundles from before it: off */
    if (group && !json_is_boolean(group))
        return settings_error(err, errlen, path, "extractor.group_placeholder must be true or false");
    c->group_placeholder = json_is_true(group);
    cg_status st = parse_lexicon(ex, path, dir, c, err, errlen);
    if (st != CG_OK)
        return st;
    json_t *center = json_object_get(ex, "relevance_center");
    if (!json_is_array(center) || json_array_size(center) > CG_NUM_RELEVANCE)
        return settings_error(err, errlen, path, "extractor.relevance_center must be an array of numbers");
    for (size_t k = 0; k < json_array_size(center); k++) {
        json_t *v = json_array_get(center, k);
        if (!json_is_number(v) || !(json_number_value(v) > -1e6 && json_number_value(v) < 1e6))
            return settings_error(err, errlen, path, "extractor.relevance_center must be an array of numbers");
        c->relevance_center[k] = json_number_value(v);
    }
    const char *why = cg_extractor_config_check(c);
    return why ? settings_error(err, errlen, path, why) : CG_OK;
}

static cg_status parse_settings(json_t *root, const char *path, const char *dir, cg_extractor_config *c,
                                double *weight, char *err, size_t errlen)
{
    double version;
    if (!json_is_object(root) || !get_number(root, "format_version", 1, 1e9, &version))
        return settings_error(err, errlen, path, "no format_version");
    if (version > CG_BUNDLE_FORMAT_NEWEST) {
        if (err)
            snprintf(err, errlen, "%s: format_version %g is newer than this commentguard reads (%d)", path, version,
                     CG_BUNDLE_FORMAT_NEWEST);
        return CG_ERR_VERSION;
    }
    json_t *labels = json_object_get(root, "labels");
    if (!json_is_array(labels) || json_array_size(labels) != CG_NUM_CLASSES)
        return settings_error(err, errlen, path, "labels must list the 3 classes");
    for (size_t i = 0; i < CG_NUM_CLASSES; i++) {
        const char *name = json_string_value(json_array_get(labels, i));
        if (!name || strcmp(name, label_names[i]) != 0)
            return settings_error(err, errlen, path, "labels must be on-topic, off-topic, abusive in that order");
    }
    cg_status st = cg_bundle_parse_extractor(json_object_get(root, "extractor"), path, dir, c, err, errlen);
    return st != CG_OK ? st : parse_decision_weights(root, path, weight, err, errlen);
}

cg_status cg_bundle_load_settings(const char *dir, json_t **root, char **path, char *err, size_t errlen)
{
    *root = NULL;
    *path = cg_bundle_path(dir, CG_BUNDLE_SETTINGS);
    if (!*path)
        return CG_ERR_NOMEM;
    json_error_t jerr;
    *root = json_load_file(*path, JSON_REJECT_DUPLICATES, &jerr);
    if (*root)
        return CG_OK;
    /* jansson says "unable to open" for a file it cannot read: tell that from a file that is not JSON. */
    FILE *probe = fopen(*path, "rb");
    if (err)
        snprintf(err, errlen, "%s:%d: %s", *path, jerr.line, probe ? jerr.text : strerror(errno));
    if (!probe)
        return CG_ERR_IO;
    fclose(probe);
    return CG_ERR_FORMAT;
}

cg_status cg_bundle_read_settings(const char *dir, cg_extractor_config *config,
                                  double decision_weight[CG_NUM_CLASSES], char *err, size_t errlen)
{
    json_t *root;
    char *path;
    cg_status st = cg_bundle_load_settings(dir, &root, &path, err, errlen);
    if (st == CG_OK) {
        st = parse_settings(root, path, dir, config, decision_weight, err, errlen);
        json_decref(root);
    }
    free(path);
    return st;
}

/* Write data[0..size) as dir/name, through a temporary file renamed into place. */
cg_status cg_bundle_write_file(const char *dir, const char *name, const char *data, size_t size, char *err,
                               size_t errlen)
{
    size_t n = strlen(dir) + strlen(name) + sizeof "/.tmp";
    char *path = cg_bundle_path(dir, name), *tmp = malloc(n);
    cg_status st = CG_OK;
    if (!path || !tmp) {
        st = CG_ERR_NOMEM;
    } else {
        snprintf(tmp, n, "%s/%s.tmp", dir, name);
        FILE *f = fopen(tmp, "wb");
        int ok = f && fwrite(data, 1, size, f) == size;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok || rename(tmp, path) != 0) {
            if (err)
                snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
            unlink(tmp);
            st = CG_ERR_IO;
        }
    }
    free(path);
    free(tmp);
    return st;
}

json_t *cg_bundle_extractor_json(const cg_extractor_config *c)
{
    char seed[17];
    snprintf(seed, sizeof seed, "%016llx", (unsigned long long)c->seed);
    json_t *center = json_array();
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        json_array_append_new(center, json_real(c->relevance_center[k]));
    json_t *ex = json_pack("{s:i, s:s, s:i, s:[i,i], s:f, s:f, s:f, s:o}", "hash_bits", (int)c->hash_bits, "seed",
                           seed, "word_ngrams", (int)c->word_ngrams, "char_ngrams", (int)c->char_min,
                           (int)c->char_max, "char_weight", c->char_weight, "signal_weight", c->signal_weight,
                           "relevance_weight", c->relevance_weight, "relevance_center", center);
    if (ex && c->lexicon[0])
        json_object_set_new(ex, "lexicon", json_string(CG_BUNDLE_LEXICON));
    if (ex && !c->length_signal)
        json_object_set_new(ex, "length_signal", json_false());
    if (ex && c->group_placeholder)
        json_object_set_new(ex, "group_placeholder", json_true());
    return ex;
}

cg_status cg_bundle_write_settings(const char *dir, const cg_extractor_config *c,
                                   const double decision_weight[CG_NUM_CLASSES], char *err, size_t errlen)
{
    int format = c->length_signal ? CG_BUNDLE_FORMAT : CG_BUNDLE_FORMAT_NO_LENGTH;
    if (c->lexicon[0]) {
        char *data;
        size_t size;
        cg_status st = cg_read_file(c->lexicon, CG_LEXICON_MAX_BYTES, &data, &size, err, errlen);
        if (st == CG_OK) {
            if (cg_lexicon_has_section(data, size, "[unmarked]"))
                format = CG_BUNDLE_FORMAT_UNMARKED;
            if (cg_lexicon_has_section(data, size, "[promotion]"))
                format = CG_BUNDLE_FORMAT_PROMOTION;
            st = cg_bundle_write_file(dir, CG_BUNDLE_LEXICON, data, size, err, errlen);
            free(data);
        }
        if (st != CG_OK)
            return st;
    }
    if (c->group_placeholder)
        format = CG_BUNDLE_FORMAT_GROUP;
    json_t *root = json_pack("{s:i, s:[s,s,s], s:[f,f,f], s:o}", "format_version", format, "labels",
                             label_names[0], label_names[1], label_names[2], "decision_weights",
                             decision_weight[0], decision_weight[1], decision_weight[2], "extractor",
                             cg_bundle_extractor_json(c));
    char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) : NULL;
    cg_status st = text ? cg_bundle_write_file(dir, CG_BUNDLE_SETTINGS, text, strlen(text), err, errlen) : CG_ERR_NOMEM;
    free(text);
    json_decref(root);
    return st;
}

void cg_bundle_remove_settings(const char *dir)
{
    static const char *const files[] = {CG_BUNDLE_SETTINGS, CG_BUNDLE_LEXICON};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = cg_bundle_path(dir, files[i]);
        if (path)
            unlink(path);
        free(path);
    }
}
