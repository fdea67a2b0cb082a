/* import.c - a model bundle from linear weights trained elsewhere (liblinear model files). */
#define _GNU_SOURCE /* open_memstream */
#include "import.h"

#include <linear.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "calibrate.h"
#include "problem.h"
#include "run_stats.h"
#include "search.h"
#include "write_bundle.h"

/* One progress line, if opt asks for them. */
#define SAY(opt, ...) cg_progressf((opt)->progress, (opt)->progress_ctx, __VA_ARGS__)


static cg_status bad_model(char *err, size_t errlen, const char *path, const char *why)
{
    if (err)
        snprintf(err, errlen, "%s: %s", path, why);
    return CG_ERR_FORMAT;
}

/* Class k's weight of feature f (1-based; nr_feature + 1 is the bias) in a liblinear model. */
static double weight_of(const struct model *m, int f, int k)
{
    int nr_w = m->nr_class == 2 ? 1 : m->nr_class;
    return m->w[(size_t)(f - 1) * (size_t)nr_w + (size_t)k];
}

/* Pair `pair` of m from a binary model trained as +1 (the pair's first class) against -1. */
static cg_status from_pair_model(const struct model *lm, const char *path, int pair, cg_linear_model *m,
                                 char *err, size_t errlen)
{
    int labels[2];
    if (lm->nr_class != 2)
        return bad_model(err, errlen, path, "expected a two-class model (labels +1 and -1) for a class pair");
    get_labels(lm, labels);
    if (!((labels[0] == 1 && labels[1] == -1) || (labels[0] == -1 && labels[1] == 1)))
        return bad_model(err, errlen, path, "expected labels +1 and -1");
    double sign = labels[0] == 1 ? 1 : -1; /* liblinear's decision is positive for labels[0] */
    double *w = cg_pair_weights(m, pair);
    for (int f = 1; f <= lm->nr_feature; f++)
        w[f] = sign * weight_of(lm, f, 0);
    m->rho[pair] = lm->bias >= 0 ? -sign * weight_of(lm, lm->nr_feature + 1, 0) * lm->bias : 0;
    return CG_OK;
}

/* All pairs of m from a one-vs-rest model of the three classes: f_ab = f_a - f_b. */
static cg_status from_three_class_model(const struct model *lm, const char *path, cg_linear_model *m, char *err,
                                        size_t errlen)
{
    int labels[3], column[3] = {-1, -1, -1};
    if (lm->nr_class != 3)
        return bad_model(err, errlen, path, "expected a three-class model (labels 0, 1, 2), or give three pair models");
    get_labels(lm, labels);
    for (int k = 0; k < 3; k++)
        if (labels[k] >= 0 && labels[k] < 3)
            column[labels[k]] = k;
    if (column[0] < 0 || column[1] < 0 || column[2] < 0)
        return bad_model(err, errlen, path, "expected labels 0 (on-topic), 1 (off-topic) and 2 (abusive)");
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++) {
        int a = column[cg_pair_class[pair][0]], b = column[cg_pair_class[pair][1]];
        double *w = cg_pair_weights(m, pair);
        for (int f = 1; f <= lm->nr_feature; f++)
            w[f] = weight_of(lm, f, a) - weight_of(lm, f, b);
        int fb = lm->nr_feature + 1;
        m->rho[pair] = lm->bias >= 0 ? -(weight_of(lm, fb, a) - weight_of(lm, fb, b)) * lm->bias : 0;
    }
    return CG_OK;
}

static cg_status read_weights(const cg_import_options *opt, int dim, cg_linear_model *m, char *err, size_t errlen)
{
    cg_status st = cg_linear_model_init(m, dim);
    for (int i = 0; st == CG_OK && i < opt->n_weights; i++) {
        struct model *lm = load_model(opt->weights[i]);
        if (!lm)
            st = bad_model(err, errlen, opt->weights[i], "cannot be read as a liblinear model");
        else if (check_regression_model(lm) || check_probability_model(lm) || lm->nr_feature > dim)
            st = bad_model(err, errlen, opt->weights[i],
                           lm->nr_feature > dim ? "has more features than these vectors' settings allow"
                                                : "expected a linear SVM classifier (e.g. liblinear-train -s 3)");
        else if (opt->n_weights == CG_NUM_PAIRS)
            st = from_pair_model(lm, opt->weights[i], i, m, err, errlen);
        else
            st = from_three_class_model(lm, opt->weights[i], m, err, errlen);
        if (lm)
            free_and_destroy_model(&lm);
    }
    if (st != CG_OK)
        cg_linear_model_free(m);
    return st;
}

static char *card(const cg_import_options *opt, const cg_train_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "# Model card\n\nA three-class comment classifier (on-topic, off-topic, abusive): linear weights trained "
               "outside commentguard, imported from liblinear model files, with Platt-calibrated one-vs-one "
               "probabilities coupled as libsvm does.\n\n");
    if (opt->card_notes)
        fprintf(f, "%s\n\n", opt->card_notes);
    fprintf(f, "## Weights\n\n");
    for (int i = 0; i < opt->n_weights; i++)
        fprintf(f, "- `%s`\n", opt->weights[i]);
    fprintf(f, "\nExtractor settings from `%s`; %zu non-zero weights over the three class pairs.\n\n",
            opt->features_dir, r->n_weights);
    fprintf(f, "## Calibration data\n\n`%s`: %zu rows (on-topic %zu, off-topic %zu, abusive %zu).\n\n", opt->data_path,
            r->n_rows, r->count[0], r->count[1], r->count[2]);
    fprintf(f, "Class weights (on-topic, off-topic, abusive) %.1f, %.1f, %.1f, folded into the pairwise sigmoids. On "
               "that data (not held out unless it was held out from the training):\n\n",
            r->decision_weight[0], r->decision_weight[1], r->decision_weight[2]);
    cg_confusion_write_markdown(f, &r->cv);
    fclose(f);
    return text;
}

cg_status cg_import_run(const cg_import_options *opt, cg_train_report *report, char *err, size_t errlen)
{
    double t0 = cg_seconds_now();
    memset(report, 0, sizeof *report);
    if (opt->n_weights != 1 && opt->n_weights != CG_NUM_PAIRS) {
        if (err)
            snprintf(err, errlen, "give one three-class model or %d pair models", CG_NUM_PAIRS);
        return CG_ERR_INPUT;
    }
    cg_extractor_config config;
    double ignored[CG_NUM_CLASSES];
    cg_status st = cg_bundle_read_settings(opt->features_dir, &config, ignored, err, errlen);
    if (st != CG_OK)
        return st;
    cg_linear_model m;
    if ((st = read_weights(opt, cg_feature_dim(&config), &m, err, errlen)) != CG_OK)
        return st;
    SAY(opt, "read the weights of %d model file%s", opt->n_weights, opt->n_weights > 1 ? "s" : "");

    /* The comments as given, hashed with the trainer's settings (its relevance centre included). */
    cg_problem p;
    cg_problem_options po = {.keep_center = 1};
    if ((st = cg_problem_read(&config, opt->data_path, &po, NULL, NULL, &p, err, errlen)) != CG_OK) {
        cg_linear_model_free(&m);
        return st;
    }
    report->n_rows = p.n_rows;
    report->n_vectors = p.n;
    double *decision = malloc((p.n + 1) * CG_NUM_PAIRS * sizeof *decision);
    if (!decision)
        st = CG_ERR_NOMEM;
    for (size_t i = 0; st == CG_OK && i < p.n; i++) {
        report->count[(int)p.y[i]]++;
        cg_linear_decision(&m, p.x[i], decision + i * CG_NUM_PAIRS);
    }
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++)
        for (int f = 1; f <= m.dim; f++)
            report->n_weights += cg_pair_weights(&m, pair)[f] != 0.0;
    if (st == CG_OK && !cg_fit_sigmoids(&p, decision, &m))
        st = CG_ERR_NOMEM;
    if (st == CG_OK) {
        cg_choose_decision_weights(&p, decision, NULL, &m, report->decision_weight, &report->cv_plain, &report->cv);
        SAY(opt, "calibrated on %zu comments; class weights %.1f %.1f %.1f", p.n, report->decision_weight[0],
            report->decision_weight[1], report->decision_weight[2]);
        char *text = card(opt, report);
        st = text ? cg_write_bundle(opt->output_dir, &config, &m, text, err, errlen)
                  : CG_ERR_NOMEM;
        free(text);
    } else if (err) {
        snprintf(err, errlen, "out of memory calibrating on %s", opt->data_path);
    }
    free(decision);
    cg_problem_free(&p);
    cg_linear_model_free(&m);
    report->seconds = cg_seconds_now() - t0;
    report->peak_rss_kb = cg_peak_rss_kb();
    return st;
}
