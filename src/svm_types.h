/* svm_types.h - a libsvm model as commentguard holds it: filled by svm_model.c (with svm_text.c),
 * read by predict.c. */
#ifndef CG_SVM_TYPES_H
#define CG_SVM_TYPES_H

#include <svm.h>

#include "commentguard.h"

#define CG_PAIRS (CG_NUM_CLASSES * (CG_NUM_CLASSES - 1) / 2)
#define CG_WEIGHT_STRIDE 4 /* doubles per feature in cg_svm.weights: the pairs, then padding */

typedef struct cg_svm {
    int kernel_type;             /* LINEAR, POLY, RBF or SIGMOID (libsvm's enum) */
    int label[CG_NUM_CLASSES];   /* libsvm's class order: label[i] is the cg_label of class i */
    double rho[CG_PAIRS];        /* pair p = (i, j), i < j, in libsvm's order (0,1) (0,2) (1,2) */
    double prob_a[CG_PAIRS];     /* Platt sigmoid of each pair */
    double prob_b[CG_PAIRS];
    int max_index;               /* feature indices lie in 1..max_index */
    /* Linear kernel only: w_p = sum of coef * SV over the pair's support vectors, stored feature by
     * feature, weights[f * CG_WEIGHT_STRIDE + p] (the last of each group is 0), so that the pairs of
     * a feature share one aligned 32-byte block: one cache line holds them, whatever f is. */
    double *weights;
    /* The same model as libsvm's own struct, for svm_predict_probability: the reference path, used
     * for non-linear kernels and by the parity tests. */
    struct svm_model *libsvm;
} cg_svm;

#endif
