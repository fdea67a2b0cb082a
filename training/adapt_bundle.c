/* adapt_bundle.c - writing the adapted bundle of `train --base`: the base's files unchanged, the
 * site model (site.svm), bundle.json with its site part (format 3), the cards; all or nothing. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "adapt_report.h"
#include "bundle.h"
#include "bundle_settings.h"
#include "topicality.h"
#include "write_bundle.h"

static const char *const class_names[CG_NUM_CLASSES] = {"on-topic", "off-topic", "abusive"};

static cg_status copy_file(const char *from_dir, const char *to_dir, const char *name, const char *as, int optional,
                           char *err, size_t errlen)
{
    char from[4200], to[4200];
    snprintf(from, sizeof from, "%s/%s", from_dir, name);
    snprintf(to, sizeof to, "%s/%s", to_dir, as);
    FILE *in = fopen(from, "rb");
    if (!in) {
        if (optional && errno == ENOENT)
            return CG_OK;
        if (err)
            snprintf(err, errlen, "%s: %s", from, strerror(errno));
        return CG_ERR_IO;
    }
    FILE *out = fopen(to, "wb");
    int ok = out != NULL;
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (out && fclose(out) != 0)
        ok = 0;
    fclose(in);
    if (!ok && err)
        snprintf(err, errlen, "cannot copy %s to %s", from, to);
    return ok ? CG_OK : CG_ERR_IO;
}

/* The site part of bundle.json. */
static json_t *site_json(const cg_adapt_report *rep)
{
    const cg_site_params *p = &rep->params;
    json_t *classes = json_array();
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (p->has_class[c])
            json_array_append_new(classes, json_string(class_names[c]));
    json_t *site = json_pack(
        "{s:o, s:o, s:[I,I,I], s:f, s:s, s:s, s:[f,f,f]}", "model",
        rep->fallback ? json_null() : json_string(CG_SITE_SVM), "classes", classes, "rows", (json_int_t)rep->count[0],
        (json_int_t)rep->count[1], (json_int_t)rep->count[2], "blend", p->blend, "blend_space",
        cg_blend_space_name(p->space), "unseen_classes", cg_unseen_rule_name(p->unseen), "class_weights",
        p->class_weight[0], p->class_weight[1], p->class_weight[2]);
    const cg_site_features *f = &rep->features;
    json_t *features = json_pack("{s:[i,i], s:f, s:s, s:i, s:f, s:i}", "text_char_ngrams", (int)f->text_min,
                                 (int)f->text_max, "text_weight", f->text_weight, "text_counts",
                                 f->use_idf ? "idf" : "sublinear", "text_bits", CG_SITE_TEXT_BITS, "author_weight",
                                 f->author_weight, "author_bits", CG_SITE_AUTHOR_BITS);
    if (site && features) {
        json_object_set_new(site, "features", features);
        json_object_set_new(site, "extractor", cg_bundle_extractor_json(&rep->site_extractor));
    } else {
        json_decref(features);
        json_decref(site);
        site = NULL;
    }
    return site;
}

/* The base's bundle.json, its site part (if it is adapted already) replaced by ours, as format 3 or
 * the base's format if that is newer (a lexicon with a [promotion] section). */
static cg_status write_settings(const cg_adapt_options *opt, const cg_adapt_report *rep, const char *dir, char *err,
                                size_t errlen)
{
    json_t *root;
    char *base_path;
    cg_status st = cg_bundle_load_settings(opt->base_dir, &root, &base_path, err, errlen);
    free(base_path);
    if (st != CG_OK)
        return st;
    json_int_t base_format = json_integer_value(json_object_get(root, "format_version"));
    json_object_set_new(root, "format_version",
                        json_integer(base_format > CG_BUNDLE_FORMAT_SITE ? base_format : CG_BUNDLE_FORMAT_SITE));
    json_t *site = site_json(rep);
    st = site && json_object_set_new(root, "site", site) == 0 ? CG_OK : CG_ERR_NOMEM;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, CG_BUNDLE_SETTINGS);
    if (st == CG_OK && json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0) {
        if (err)
            snprintf(err, errlen, "cannot write %s", path);
        st = CG_ERR_IO;
    }
    json_decref(root);
    return st;
}

static cg_status write_idf(const cg_adapt_report *rep, const char *dir, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, CG_SITE_IDF);
    FILE *f = fopen(path, "wb");
    int ok = f && fprintf(f, "rows %zu\n", rep->df_rows) > 0;
    for (size_t k = 0; ok && rep->df && k < ((size_t)1 << CG_SITE_TEXT_BITS); k++)
        if (rep->df[k])
            ok = fprintf(f, "%zu %u\n", k, rep->df[k]) > 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok && err)
        snprintf(err, errlen, "cannot write %s", path);
    return ok ? CG_OK : CG_ERR_IO;
}

static cg_status write_card(const cg_adapt_options *opt, const cg_adapt_report *rep, const char *dir, char *err,
                            size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, CG_BUNDLE_CARD);
    FILE *f = fopen(path, "wb");
    if (!f) {
        if (err)
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return CG_ERR_IO;
    }
    fprintf(f, "# commentguard model adapted to a site\n\n");
    fprintf(f, "Made by `commentguard train --base %s --data %s` from the base model described in [%s](%s).\n\n",
            opt->base_dir, opt->data_path, CG_BUNDLE_BASE_CARD, CG_BUNDLE_BASE_CARD);
    if (opt->card_notes) {
        FILE *notes = fopen(opt->card_notes, "rb");
        char buf[4096];
        size_t n;
        while (notes && (n = fread(buf, 1, sizeof buf, notes)) > 0)
            fwrite(buf, 1, n, f);
        if (notes)
            fclose(notes);
        fputs("\n\n", f);
    }
    cg_adapt_report_write(f, opt, rep);
    if (fclose(f) != 0) {
        if (err)
            snprintf(err, errlen, "cannot write %s", path);
        return CG_ERR_IO;
    }
    return CG_OK;
}

/* The adapted bundle: the base's files unchanged, site.svm, bundle.json, the cards. */
cg_status cg_adapt_write(const cg_adapt_options *opt, const cg_adapt_report *rep, char *err, size_t errlen)
{
    char tmp[4096], path[4200];
    cg_status st = cg_bundle_dir_begin(opt->output_dir, tmp, sizeof tmp, err, errlen);
    if (st != CG_OK)
        return st;
    st = copy_file(opt->base_dir, tmp, CG_BUNDLE_SVM, CG_BUNDLE_SVM, 0, err, errlen);
    if (st == CG_OK)
        st = copy_file(opt->base_dir, tmp, CG_BUNDLE_SVM_CACHE, CG_BUNDLE_SVM_CACHE, 1, err, errlen);
    if (st == CG_OK)
        st = copy_file(opt->base_dir, tmp, CG_BUNDLE_LEXICON, CG_BUNDLE_LEXICON, 1, err, errlen);
    if (st == CG_OK) /* the base's topicality stage, which its bundle.json (copied below) names */
        st = copy_file(opt->base_dir, tmp, CG_TOPIC_TABLE, CG_TOPIC_TABLE, 1, err, errlen);
    if (st == CG_OK) { /* the base's own card: an adapted base keeps the card of its base */
        snprintf(path, sizeof path, "%s/%s", opt->base_dir, CG_BUNDLE_BASE_CARD);
        FILE *probe = fopen(path, "rb");
        if (probe)
            fclose(probe);
        st = copy_file(opt->base_dir, tmp, probe ? CG_BUNDLE_BASE_CARD : CG_BUNDLE_CARD, CG_BUNDLE_BASE_CARD, 1, err,
                       errlen);
    }
    if (st == CG_OK && !rep->fallback) {
        snprintf(path, sizeof path, "%s/%s", tmp, CG_SITE_SVM);
        if ((st = cg_save_linear_model(path, &rep->fit.m)) != CG_OK && err)
            snprintf(err, errlen, "cannot write %s", path);
    }
    if (st == CG_OK && !rep->fallback && rep->features.use_idf)
        st = write_idf(rep, tmp, err, errlen);
    if (st == CG_OK)
        st = write_settings(opt, rep, tmp, err, errlen);
    if (st == CG_OK)
        st = write_card(opt, rep, tmp, err, errlen);
    if (st == CG_OK) { /* what is written must load: never leave a bundle that cannot be opened */
        cg_model *check = NULL;
        st = cg_model_open(tmp, &check, err, errlen);
        cg_model_free(check);
    }
    if (st == CG_OK)
        return cg_bundle_dir_commit(tmp, opt->output_dir, err, errlen);
    cg_bundle_dir_discard(tmp);
    return st;
}

