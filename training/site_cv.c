/* site_cv.c - the nested, repeated cross-validation of `train --base` (site_cv.h). */
#include "site_cv.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"

static const int order[CG_NUM_CLASSES] = {0, 1, 2};

static void figures_of(const cg_site_data *d, const double *prob, const int *label, int *gold, double *score,
                       cg_site_figures *f)
{
    size_t n = d->p.n, off = 0, caught = 0;
    for (size_t i = 0; i < n; i++) {
        gold[i] = (int)d->p.y[i];
        score[i] = prob[3 * i + CG_OFF_TOPIC];
        if (gold[i] == CG_OFF_TOPIC) {
            off++;
            caught += label[i] != CG_ON_TOPIC;
        }
        gold[i] = gold[i] == CG_OFF_TOPIC; /* for the AUC: off-topic against the rest */
    }
    f->auc = cg_roc_auc(gold, score, n);
    for (size_t i = 0; i < n; i++)
        gold[i] = (int)d->p.y[i];
    f->caught = cg_caught_at_held(gold, score, n, 0.10);
    f->held = cg_held_share(gold, label, n);
    f->caught_labels = off ? (double)caught / (double)off : NAN;
}

/* Mean and spread over the repetitions of the figure at byte offset `at` of cg_site_figures. */
static void summarise_field(cg_site_cv *cv, int m, size_t at)
{
    double sum = 0, sq = 0, v[CG_SITE_MAX_REPEATS];
    for (int r = 0; r < cv->repeats; r++) {
        memcpy(&v[r], (const char *)&cv->rep[r][m] + at, sizeof v[r]);
        sum += v[r];
    }
    double mean = sum / cv->repeats;
    for (int r = 0; r < cv->repeats; r++)
        sq += (v[r] - mean) * (v[r] - mean);
    double sd = cv->repeats > 1 ? sqrt(sq / (cv->repeats - 1)) : 0;
    memcpy((char *)&cv->mean[m] + at, &mean, sizeof mean);
    memcpy((char *)&cv->sd[m] + at, &sd, sizeof sd);
}

static void summarise(cg_site_cv *cv)
{
    static const size_t fields[] = {offsetof(cg_site_figures, auc), offsetof(cg_site_figures, caught),
                                    offsetof(cg_site_figures, held), offsetof(cg_site_figures, caught_labels)};
    for (int m = 0; m < CG_SITE_MODELS; m++)
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            summarise_field(cv, m, fields[k]);
}

cg_status cg_site_cross_validate(cg_site_data *d, const cg_site_fit_options *o, int folds, int repeats,
                                 int grouped, cg_site_cv *out)
{
    memset(out, 0, sizeof *out);
    if (repeats < 1 || repeats > CG_SITE_MAX_REPEATS)
        return CG_ERR_INPUT;
    out->repeats = repeats;
    out->folds = folds;
    out->grouped = grouped;
    out->blend_min = INFINITY;
    out->blend_max = -INFINITY;
    size_t n = d->p.n + 1;
    int *fold = malloc(n * sizeof *fold), *gold = malloc(n * sizeof *gold), *label[CG_SITE_MODELS];
    unsigned char *use = malloc(n);
    double *score = malloc(n * sizeof *score), *prob[CG_SITE_MODELS];
    int ok = fold && gold && use && score;
    for (int m = 0; m < CG_SITE_MODELS; m++) {
        prob[m] = malloc(3 * n * sizeof *prob[m]);
        label[m] = malloc(n * sizeof *label[m]);
        ok &= prob[m] && label[m];
    }
    cg_status st = ok ? CG_OK : CG_ERR_NOMEM;
    size_t fits = 0;
    for (int r = 0; st == CG_OK && r < repeats; r++) {
        cg_site_folds(d, NULL, folds, grouped, o->seed + (unsigned)r, fold);
        static const double ones[CG_NUM_CLASSES] = {1, 1, 1};
        memcpy(prob[CG_SITE_BASE], d->base_prob, 3 * d->p.n * sizeof *d->base_prob);
        for (size_t i = 0; i < d->p.n; i++)
            label[CG_SITE_BASE][i] = cg_decide(d->base_prob + 3 * i, ones, order);
        for (int f = 0; st == CG_OK && f < folds; f++) {
            size_t held = 0;
            for (size_t i = 0; i < d->p.n; i++) {
                use[i] = fold[i] != f;
                held += fold[i] == f;
            }
            if (held == 0)
                continue;
            if (d->features && d->features->use_idf &&
                (st = cg_site_data_weigh_idf(d, d->site, d->features, use)) != CG_OK)
                break;
            cg_site_fit_options inner = *o;
            inner.seed = o->seed * 1000u + (unsigned)(r * folds + f);
            cg_site_fit fit;
            if ((st = cg_site_fit_rows(d, use, &inner, &fit)) != CG_OK)
                break;
            for (size_t i = 0; i < d->p.n; i++)
                if (fold[i] == f) {
                    cg_site_fit_predict(&fit, &fit.params, d, i, prob[CG_SITE_ADAPTED] + 3 * i);
                    cg_site_fit_predict(&fit, &fit.site_only, d, i, prob[CG_SITE_ALONE] + 3 * i);
                    label[CG_SITE_ADAPTED][i] =
                        cg_site_decide(&fit.params, d->base_prob + 3 * i, ones, prob[CG_SITE_ADAPTED] + 3 * i, order);
                    label[CG_SITE_ALONE][i] =
                        cg_site_decide(&fit.site_only, d->base_prob + 3 * i, ones, prob[CG_SITE_ALONE] + 3 * i, order);
                }
            out->blend_min = fmin(out->blend_min, fit.params.blend);
            out->blend_max = fmax(out->blend_max, fit.params.blend);
            out->blend_mean += fit.params.blend;
            fits++;
            cg_site_fit_free(&fit);
        }
        for (int m = 0; st == CG_OK && m < CG_SITE_MODELS; m++)
            figures_of(d, prob[m], label[m], gold, score, &out->rep[r][m]);
    }
    if (st == CG_OK) {
        out->blend_mean /= fits ? (double)fits : 1;
        summarise(out);
        out->prob = prob[CG_SITE_ADAPTED];
        prob[CG_SITE_ADAPTED] = NULL;
    }
    free(fold);
    free(gold);
    free(use);
    free(score);
    for (int m = 0; m < CG_SITE_MODELS; m++) {
        free(prob[m]);
        free(label[m]);
    }
    return st;
}

void cg_site_cv_free(cg_site_cv *cv)
{
    free(cv->prob);
    cv->prob = NULL;
}
