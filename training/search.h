/* search.h - cross-validation, the C search and the final training, one class pair at a time. */
#ifndef CG_SEARCH_H
#define CG_SEARCH_H

#include "metrics.h"
#include "pair_solver.h"
#include "problem.h"
#include "svm_model.h"

typedef struct cg_setting {
    double c;
    int weighted; /* balanced class weights */
} cg_setting;

/* How the pairs are trained. */
typedef struct cg_solver_options {
    cg_solver solver;
    double eps;     /* the solver's stopping tolerance */
    int workers;    /* parallel worker processes (workers.h) */
    unsigned seed;  /* fixes folds and the solvers' shuffles */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
} cg_solver_options;

/* A trained model: one linear function per class pair, f_p(x) = w_p . x - rho_p, positive for the
 * pair's first class (cg_pair_class), with the Platt sigmoid of each pair. */
typedef struct cg_linear_model {
    int dim;            /* features 1..dim */
    double *w;          /* w[p * (dim + 1) + f]; index 0 of each pair unused */
    double rho[CG_NUM_PAIRS];
    double prob_a[CG_NUM_PAIRS];
    double prob_b[CG_NUM_PAIRS];
} cg_linear_model;

/* The weights of pair p. */
static inline double *cg_pair_weights(const cg_linear_model *m, int p)
{
    return m->w + (size_t)p * ((size_t)m->dim + 1);
}

cg_status cg_linear_model_init(cg_linear_model *m, int dim);
void cg_linear_model_free(cg_linear_model *m);

/* m's Platt sigmoids as a libsvm model of labels 0, 1, 2 in that order, for cg_svm_probabilities,
 * cg_svm_best and cg_svm_fold_class_weights. */
cg_svm cg_linear_sigmoids(const cg_linear_model *m);

/* The decision values of x, in pair order. */
void cg_linear_decision(const cg_linear_model *m, const struct svm_node *x, double dec[CG_NUM_PAIRS]);

/* libsvm's one-against-one vote from decision values in pair order: the class with most votes,
 * the lowest label on ties. */
cg_label cg_vote(const double dec[CG_NUM_PAIRS]);

/* Balanced class weights (n / (3 count[c])) over the vectors with in_training[i] (all if NULL). */
void cg_balanced_weights(const cg_problem *p, const unsigned char *in_training, double weight[3]);

/*
 * k-fold cross-validation of each setting: folds keep every vector of one article (a thread of
 * comments) and both copies of a row together, so that no fold is judged on text it was trained
 * on. Fills confusion[s] for setting s (voted labels, over the rows as given: the derived vectors
 * are trained on but not counted) and decision[(s * p->n + i) * 3 + pair], the held-out decision
 * values of vector i. Each (setting, fold, pair) is one task for the workers; the result does not
 * depend on their number.
 */
cg_status cg_cross_validate(const cg_problem *p, const cg_setting *settings, int n_settings, int folds,
                            const cg_solver_options *so, cg_confusion *confusion, double *decision);

/* Train the three pairs on every vector with setting s into m (its sigmoids left at 0). */
cg_status cg_train_final(const cg_problem *p, const cg_setting *s, const cg_solver_options *so, cg_linear_model *m);

#endif
