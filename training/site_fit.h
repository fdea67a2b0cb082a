/* site_fit.h - fitting the site model on some of a site's rows: its weights, its sigmoids, and the
 * blend and decision rule chosen by cross-validation within those rows. */
#ifndef CG_SITE_FIT_H
#define CG_SITE_FIT_H

#include <stdint.h>

#include "search.h"
#include "site_data.h"

typedef struct cg_site_fit_options {
    double c;              /* C of the site model's pairs (balanced class weights) */
    int folds;             /* inner cross-validation folds (the rows' held-out values) */
    double blend;          /* the blend weight to use, or < 0: chosen by the inner cross-validation */
    cg_blend_space space;
    cg_unseen_rule unseen; /* what the classes the site has no rows of keep of the base's judgement */
    double hold_target;    /* the decision rule holds at most this share of on-topic rows (inner CV) */
    double eps;            /* liblinear's stopping tolerance */
    cg_solver solver;      /* CG_SOLVER_LIBLINEAR (hinge loss) or CG_SOLVER_LOGISTIC */
    unsigned seed;
} cg_site_fit_options;

typedef struct cg_site_fit {
    cg_linear_model m;        /* the site model trained on the rows, with its sigmoids */
    cg_site_params params;    /* the chosen blend and decision rule */
    cg_site_params site_only; /* linear blend 1 with its own decision rule: the site model alone */
} cg_site_fit;

/* The grid of blend weights tried: 0, 0.1, ..., 1. */
#define CG_SITE_BLEND_STEPS 11

/*
 * Fit on the rows i of d with use[i] (all when use is NULL): the inner `folds`-fold cross-validation
 * gives each row's held-out site decision values, the sigmoids are fitted to them, and the blend
 * is the one of the grid (or o->blend) under which the rows' held-out combined probabilities rank
 * the non-on-topic rows above the on-topic ones best (ROC-AUC; the log-likelihood of the true class
 * when on-topic is not among the site's classes), the smaller weight on ties. The decision rule
 * multiplies the site's non-on-topic classes by one weight v from 0.25 to 16, the largest-catching
 * one whose held-out labels hold at most o->hold_target of the on-topic rows (the smallest v if
 * none does; 1 with blend 0: the base's judgement). Then the model is trained on all those rows.
 */
cg_status cg_site_fit_rows(const cg_site_data *d, const unsigned char *use, const cg_site_fit_options *o,
                           cg_site_fit *out);

void cg_site_fit_free(cg_site_fit *f);

/* A pair of the site's classes whose sigmoid rises where it should fall (prob_a >= 0: its held-out
 * decision values rank the classes the wrong way round, as they can with a handful of rows) is no
 * evidence: its probability becomes the pair's prior among count (Laplace-smoothed), whatever the
 * vector. */
void cg_site_guard_sigmoids(const cg_site_data *d, const size_t count[CG_NUM_CLASSES], cg_linear_model *m);

/* Some pair of the site's classes in m has a sigmoid that falls where it should (prob_a < 0): the site
 * model tells the site's classes apart at all. Without that, its probabilities are the same for every
 * comment and a blend would only reshuffle the base's mass, so the blend is 0 (unless forced). */
int cg_site_has_evidence(const cg_site_data *d, const cg_linear_model *m);

/* The site model's probabilities of row i of d, and the combined ones under params. */
void cg_site_fit_site_prob(const cg_site_fit *f, const cg_site_data *d, size_t i, double prob[CG_NUM_CLASSES]);
void cg_site_fit_predict(const cg_site_fit *f, const cg_site_params *params, const cg_site_data *d, size_t i,
                         double prob[CG_NUM_CLASSES]);

/*
 * Assign the rows of d with use[i] (all if NULL) to k folds, fold[i] in 0..k-1 (-1 for the others),
 * drawn with seed: stratified by class, or with grouped, by article (rows under one article share a
 * fold; each group, in shuffled order, joins the fold with fewest rows of its own main class).
 */
void cg_site_folds(const cg_site_data *d, const unsigned char *use, int k, int grouped, uint64_t seed, int *fold);

#endif
