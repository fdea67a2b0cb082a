/* adapt.c - `commentguard train --base`: read the site's rows, measure by nested cross-validation,
 * fit the site model on every row and write the adapted bundle (adapt.h). */
#define _POSIX_C_SOURCE 200809L
#include "adapt.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "run_stats.h"
#include "write_bundle.h"

static const char *const class_names[CG_NUM_CLASSES] = {"on-topic", "off-topic", "abusive"};

void cg_adapt_options_default(cg_adapt_options *opt, const char *base_dir, const char *data_path,
                              const char *output_dir)
{
    memset(opt, 0, sizeof *opt);
    opt->base_dir = base_dir;
    opt->data_path = data_path;
    opt->output_dir = output_dir;
    cg_extractor_config *c = &opt->site_extractor;
    cg_extractor_config_default(c);
    c->seed = 0x736974656d6f646cull; /* "sitemodl" */
    c->char_min = 1;
    c->char_max = 5;
    c->char_weight = 1.0;
    c->signal_weight = 0;
    c->relevance_weight = 0;
    opt->author_weight = 0.5;
    opt->fit = (cg_site_fit_options){.c = 1, .folds = 5, .blend = -1, .space = CG_BLEND_LOG_ODDS,
                                     .hold_target = 0.05, .eps = 0.1, .seed = 1};
    opt->folds = 5;
    opt->repeats = 5;
}

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
static json_t *site_json(const cg_adapt_options *opt, const cg_adapt_report *rep)
{
    const cg_site_params *p = &rep->params;
    json_t *classes = json_array();
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (p->has_class[c])
            json_array_append_new(classes, json_string(class_names[c]));
    json_t *site = json_pack(
        "{s:o, s:o, s:[I,I,I], s:f, s:s, s:[f,f,f], s:f, s:i}", "model",
        rep->fallback ? json_null() : json_string(CG_SITE_SVM), "classes", classes, "rows", (json_int_t)rep->count[0],
        (json_int_t)rep->count[1], (json_int_t)rep->count[2], "blend", p->blend, "blend_space",
        p->space == CG_BLEND_LINEAR ? "linear" : "log-odds", "class_weights", p->class_weight[0], p->class_weight[1],
        p->class_weight[2], "author_weight", opt->author_weight, "author_bits", CG_SITE_AUTHOR_BITS);
    if (site)
        json_object_set_new(site, "extractor", cg_bundle_extractor_json(&opt->site_extractor));
    return site;
}

/* The base's bundle.json, its site part (if it is adapted already) replaced by ours, as format 3. */
static cg_status write_settings(const cg_adapt_options *opt, const cg_adapt_report *rep, const char *dir, char *err,
                                size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", opt->base_dir, CG_BUNDLE_SETTINGS);
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (err)
            snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
        return CG_ERR_FORMAT;
    }
    json_object_set_new(root, "format_version", json_integer(CG_BUNDLE_FORMAT_SITE));
    json_t *site = site_json(opt, rep);
    cg_status st = site && json_object_set_new(root, "site", site) == 0 ? CG_OK : CG_ERR_NOMEM;
    snprintf(path, sizeof path, "%s/%s", dir, CG_BUNDLE_SETTINGS);
    if (st == CG_OK && json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0) {
        if (err)
            snprintf(err, errlen, "cannot write %s", path);
        st = CG_ERR_IO;
    }
    json_decref(root);
    return st;
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
static cg_status write_adapted(const cg_adapt_options *opt, const cg_adapt_report *rep, const cg_site_fit *fit,
                               char *err, size_t errlen)
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
        if ((st = cg_save_linear_model(path, &fit->m)) != CG_OK && err)
            snprintf(err, errlen, "cannot write %s", path);
    }
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

static cg_status measure(const cg_adapt_options *opt, const cg_site_data *d, cg_adapt_report *rep)
{
    if (opt->repeats <= 0)
        return CG_OK;
    cg_progressf(opt->progress, opt->progress_ctx, "cross-validation: %d folds x %d seeds, stratified", opt->folds,
                 opt->repeats);
    cg_status st = cg_site_cross_validate(d, &opt->fit, opt->folds, opt->repeats, 0, &rep->cv);
    if (st == CG_OK) {
        cg_progressf(opt->progress, opt->progress_ctx, "cross-validation: grouped by article");
        st = cg_site_cross_validate(d, &opt->fit, opt->folds, opt->repeats, 1, &rep->cv_grouped);
    }
    rep->have_cv = st == CG_OK;
    return st;
}

cg_status cg_adapt_run(const cg_adapt_options *opt, cg_adapt_report *rep, char *err, size_t errlen)
{
    double start = cg_seconds_now();
    memset(rep, 0, sizeof *rep);
    cg_model *base = NULL;
    cg_extractor site;
    memset(&site, 0, sizeof site);
    cg_site_data d;
    memset(&d, 0, sizeof d);
    cg_site_fit fit;
    memset(&fit, 0, sizeof fit);
    cg_status st = cg_model_open(opt->base_dir, &base, err, errlen);
    if (st == CG_OK)
        st = cg_extractor_init(&site, &opt->site_extractor, err, errlen);
    if (st == CG_OK) {
        cg_progressf(opt->progress, opt->progress_ctx, "reading %s", opt->data_path);
        st = cg_site_data_load(opt->data_path, base, &site, opt->author_weight, 1.0, &d, err, errlen);
    }
    if (st == CG_OK) {
        rep->n_file_rows = d.n_file_rows;
        memcpy(rep->count, d.count, sizeof rep->count);
        memcpy(rep->has_class, d.has_class, sizeof rep->has_class);
        rep->params = (cg_site_params){.space = opt->fit.space, .class_weight = {1, 1, 1}};
        rep->fallback = d.p.n == 0;
        if (!rep->fallback) {
            memcpy(rep->params.has_class, d.has_class, sizeof d.has_class);
            st = measure(opt, &d, rep);
            if (st == CG_OK) {
                cg_progressf(opt->progress, opt->progress_ctx, "fitting the site model on all %zu rows", d.p.n);
                st = cg_site_fit_rows(&d, NULL, &opt->fit, &fit);
            }
            if (st == CG_OK)
                rep->params = fit.params;
        }
    }
    if (st == CG_ERR_NOMEM && err)
        snprintf(err, errlen, "out of memory");
    if (st == CG_OK)
        st = write_adapted(opt, rep, &fit, err, errlen);
    cg_site_fit_free(&fit);
    cg_site_data_free(&d);
    if (site.patterns)
        cg_extractor_destroy(&site);
    cg_model_free(base);
    rep->seconds = cg_seconds_now() - start;
    rep->peak_rss_kb = cg_peak_rss_kb();
    return st;
}

void cg_adapt_report_free(cg_adapt_report *rep)
{
    cg_site_cv_free(&rep->cv);
    cg_site_cv_free(&rep->cv_grouped);
}
