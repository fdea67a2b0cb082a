/* site_cv.h - the figures of `train --base`, one definition everywhere (issue 20): stratified k-fold
 * cross-validation within the site's rows, repeated with several seeds, the blend and rule chosen
 * inside each training fold (nested), for the base, the adapted model and the site model alone. */
#ifndef CG_SITE_CV_H
#define CG_SITE_CV_H

#include "site_fit.h"

#define CG_SITE_MAX_REPEATS 100

/* One model's figures over one repetition (all its folds pooled). */
typedef struct cg_site_figures {
    double auc;           /* ROC-AUC of P(off-topic), off-topic rows against the rest */
    double caught;        /* caught at 10% held (metrics.h: cg_caught_at_held) */
    double held;          /* on-topic rows not labelled on-topic */
    double caught_labels; /* off-topic rows not labelled on-topic */
} cg_site_figures;

enum { CG_SITE_BASE, CG_SITE_ADAPTED, CG_SITE_ALONE, CG_SITE_MODELS };

typedef struct cg_site_cv {
    int repeats, folds, grouped;
    cg_site_figures rep[CG_SITE_MAX_REPEATS][CG_SITE_MODELS];
    cg_site_figures mean[CG_SITE_MODELS], sd[CG_SITE_MODELS]; /* over the repetitions */
    double blend_min, blend_max, blend_mean; /* of the blends chosen in the training folds */
    double *prob; /* the last repetition's held-out probabilities of the adapted model, [i * 3 + c] */
} cg_site_cv;

/* Run it: `repeats` repetitions of `folds` folds (seeds o->seed, o->seed + 1, ...), grouped by
 * article or stratified by class. With d->features->use_idf the text n-grams of every row are
 * weighed by the document frequencies of each fold's training rows (held-out text is never
 * counted), which leaves d weighed by the last fold's: weigh it again before fitting on all rows. */
cg_status cg_site_cross_validate(cg_site_data *d, const cg_site_fit_options *o, int folds, int repeats,
                                 int grouped, cg_site_cv *out);

void cg_site_cv_free(cg_site_cv *cv);

#endif
