/* adapt.c - `commentguard train --base`: read the site's rows, measure by nested cross-validation
 * and fit the site model on every row (adapt.h); adapt_bundle.c writes the bundle. */
#define _POSIX_C_SOURCE 200809L
#include "adapt.h"

#include <stdlib.h>
#include <string.h>

#include "run_stats.h"

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
    c->hash_bits = 16; /* as good as 18 on the blog (303 rows), and a quarter of the memory and time */
    c->char_weight = 1.0;
    c->signal_weight = 0;
    c->relevance_weight = 0;
    opt->features = (cg_site_features){.text_min = 1, .text_max = 5, .text_weight = 4, .use_idf = 1, .author_weight = 1};
    opt->fit = (cg_site_fit_options){.c = 1, .folds = 5, .blend = -1, .space = CG_BLEND_LINEAR,
                                     .unseen = CG_UNSEEN_CAPPED, .hold_target = 0.09, .eps = 0.1, .seed = 1};
    opt->folds = 5;
    opt->repeats = -1;
    opt->vector_mb = CG_ADAPT_VECTOR_MB;
}

static cg_status measure(const cg_adapt_options *opt, cg_site_data *d, cg_adapt_report *rep)
{
    /* The nested figures cost 2 x repeats x folds fits: on a large file one repetition keeps a run
     * of 10,000 rows near a minute (measured: 5 repetitions took over 10 minutes of CPU there). */
    int repeats = opt->repeats >= 0 ? opt->repeats : d->p.n > CG_ADAPT_MANY_ROWS ? 1 : 5;
    if (repeats == 0)
        return CG_OK;
    cg_progressf(opt->progress, opt->progress_ctx, "cross-validation: %d folds x %d seeds, stratified", opt->folds,
                 repeats);
    cg_status st = cg_site_cross_validate(d, &opt->fit, opt->folds, repeats, 0, &rep->cv);
    if (st == CG_OK) {
        cg_progressf(opt->progress, opt->progress_ctx, "cross-validation: grouped by article");
        st = cg_site_cross_validate(d, &opt->fit, opt->folds, repeats, 1, &rep->cv_grouped);
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
    rep->site_extractor = opt->site_extractor;
    rep->features = opt->features;
    size_t budget = (size_t)(opt->vector_mb * 1024 * 1024 / sizeof(struct svm_node));
    cg_status st = cg_model_open(opt->base_dir, &base, err, errlen);
    if (st == CG_OK)
        st = cg_extractor_init(&site, &rep->site_extractor, err, errlen);
    if (st == CG_OK) {
        cg_progressf(opt->progress, opt->progress_ctx, "reading %s", opt->data_path);
        st = cg_site_data_load(opt->data_path, &base, &site, &rep->features, 1.0, budget, &d, err, errlen);
    }
    if (st == CG_OK) {
        rep->site_extractor = site.config;
        memcpy(rep->narrowed, d.narrowed, sizeof rep->narrowed);
        rep->n_narrowed = d.n_narrowed;
        rep->vector_nodes = d.nodes;
        rep->over_budget = d.over_budget;
        for (int k = 0; k < d.n_narrowed; k++)
            cg_progressf(opt->progress, opt->progress_ctx, "site vectors over %g MB: %s", opt->vector_mb,
                         d.narrowed[k]);
        rep->n_file_rows = d.n_file_rows;
        memcpy(rep->count, d.count, sizeof rep->count);
        memcpy(rep->has_class, d.has_class, sizeof rep->has_class);
        rep->params = (cg_site_params){.space = opt->fit.space, .unseen = opt->fit.unseen, .class_weight = {1, 1, 1}};
        rep->fallback = d.p.n == 0;
        if (!rep->fallback) {
            memcpy(rep->params.has_class, d.has_class, sizeof d.has_class);
            st = measure(opt, &d, rep);
            if (st == CG_OK && rep->features.use_idf)
                st = cg_site_data_weigh_idf(&d, &site, &rep->features, NULL);
            if (st == CG_OK && d.df) {
                rep->df = d.df; /* kept for the bundle */
                rep->df_rows = d.df_rows;
                d.df = NULL;
            }
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
    rep->fit = fit;
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
    cg_site_fit_free(&rep->fit);
    free(rep->df);
    rep->df = NULL;
    cg_site_cv_free(&rep->cv);
    cg_site_cv_free(&rep->cv_grouped);
}
