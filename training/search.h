/* search.h - the precomputed kernel, cross-validation and the C search. */
#ifndef CG_SEARCH_H
#define CG_SEARCH_H

#include <svm.h>

#include "metrics.h"
#include "problem.h"

/*
 * The linear kernel of all pairs of training vectors in libsvm's precomputed-kernel form: row i is
 * {0: i+1}, {1: K(i,0)}, ..., {n: K(i,n-1)}, {-1}. libsvm's own linear kernel recomputes sparse
 * dot products in every training and fold; computing them once makes the whole C search cost
 * little more than one training. It takes 16 n^2 bytes.
 */
typedef struct cg_kernel {
    size_t n;
    struct svm_node **rows;
    struct svm_node *space;
} cg_kernel;

/* Bytes cg_kernel_build needs for n vectors. */
double cg_kernel_bytes(size_t n);

cg_status cg_kernel_build(const cg_problem *p, int threads, cg_kernel *out);
void cg_kernel_free(cg_kernel *k);

typedef struct cg_setting {
    double c;
    int weighted; /* balanced class weights */
} cg_setting;

/* libsvm parameters for a setting; weights point into `weight_store` (3 doubles). */
void cg_setting_parameter(const cg_setting *s, const cg_problem *p, int precomputed, int probability,
                          int weight_labels[3], double weight_store[3], struct svm_parameter *param);

/* libsvm orders a model's classes as they first occur in its training data, which differs between
 * folds. Decision values are kept in the canonical order of cg_label (pairs (0,1), (0,2), (1,2), each
 * positive for its first class): these convert from and to a model's order `label`. A model of a
 * fold that lacks a class (nr_class 2 or 1) counts as decided for the class that is there. */
void cg_canonical_pairs(const int *label, int nr_class, const double *dec, double *canonical);
void cg_model_pairs(const int label[3], const double *canonical, double *dec);

/* The vectors libsvm trains on: kernel rows when k is given, else the sparse vectors. */
struct svm_node **cg_training_vectors(const cg_problem *p, const cg_kernel *k);

typedef void (*cg_progress_fn)(void *ctx, const char *line);

/*
 * k-fold cross-validation of each setting: folds keep every vector of one article (a thread of
 * comments) and both copies of a row together, so that no fold is judged on text it was trained
 * on. Fills confusion[s] for setting s (libsvm's voted labels, over the rows as given: the
 * article-less copies are trained on but not counted) and decision[(s * p->n + i) * 3 + pair],
 * the held-out decision values of vector i in canonical pair order. Runs the (setting, fold) trainings on `threads`
 * threads; the result does not depend on the number of threads.
 */
cg_status cg_cross_validate(const cg_problem *p, const cg_dataset *ds, const cg_kernel *k, const cg_setting *settings,
                            int n_settings, int folds, unsigned seed, int threads, cg_progress_fn progress,
                            void *progress_ctx, cg_confusion *confusion, double *decision);

#endif
