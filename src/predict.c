/* predict.c - decision values and calibrated probabilities from a cg_svm.
 *
 * The collapsed linear path must agree with libsvm's svm_predict_probability on the same model
 * (tests/test_parity.c checks it), so the probability code follows libsvm's method step for step:
 * a Platt sigmoid per pair, clipped to [1e-7, 1 - 1e-7], then the second pairwise coupling
 * method of Wu, Lin and Weng (JMLR 2004) with libsvm's iteration limit and stopping rule. */
#include <math.h>
#include <stdlib.h>

#include "decide.h"
#include "svm_model.h"

#define MIN_PAIR_PROB 1e-7

_Static_assert(CG_PAIRS == 3, "cg_svm_decision_values sums three pairs");

void cg_svm_decision_values(const cg_svm *svm, const struct svm_node *x, double dec[CG_PAIRS])
{
    /* The weights of a comment's features lie scattered over megabytes: ask for all of their cache
     * lines first (one line each), so that the misses overlap, then sum. */
    const double *weights = svm->weights;
    size_t n = 0;
    for (; x[n].index != -1; n++)
        __builtin_prefetch(weights + (size_t)x[n].index * CG_WEIGHT_STRIDE);
    /* The same products and sums, in the same order, as a plain loop over features and pairs. */
    double s0 = 0, s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        const double *w = weights + (size_t)x[i].index * CG_WEIGHT_STRIDE;
        double v = x[i].value;
        s0 += w[0] * v;
        s1 += w[1] * v;
        s2 += w[2] * v;
    }
    dec[0] = s0 - svm->rho[0];
    dec[1] = s1 - svm->rho[1];
    dec[2] = s2 - svm->rho[2];
}

/* P(class i beats class j) for decision value d, in the numerically stable form. */
static double sigmoid(double d, double a, double b)
{
    double f = d * a + b;
    return f >= 0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
}

/* Solve for class probabilities p from pairwise probabilities r[i][j] = P(i | i or j). */
static void couple(double r[CG_NUM_CLASSES][CG_NUM_CLASSES], double p[CG_NUM_CLASSES])
{
    enum { K = CG_NUM_CLASSES };
    double q[K][K], qp[K];
    for (int t = 0; t < K; t++) {
        p[t] = 1.0 / K;
        q[t][t] = 0;
        for (int j = 0; j < K; j++)
            if (j != t) {
                q[t][t] += r[j][t] * r[j][t];
                q[t][j] = -r[j][t] * r[t][j];
            }
    }
    int max_iter = K > 100 ? K : 100;
    double eps = 0.005 / K;
    for (int iter = 0; iter < max_iter; iter++) {
        double pqp = 0;
        for (int t = 0; t < K; t++) {
            qp[t] = 0;
            for (int j = 0; j < K; j++)
                qp[t] += q[t][j] * p[j];
            pqp += p[t] * qp[t];
        }
        double max_error = 0;
        for (int t = 0; t < K; t++)
            max_error = fmax(max_error, fabs(qp[t] - pqp));
        if (max_error < eps)
            break;
        for (int t = 0; t < K; t++) {
            double diff = (-qp[t] + pqp) / q[t][t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
            for (int j = 0; j < K; j++) {
                qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
                p[j] /= (1 + diff);
            }
        }
    }
}

void cg_svm_probabilities(const cg_svm *svm, const double dec[CG_PAIRS], double prob[CG_NUM_CLASSES])
{
    double r[CG_NUM_CLASSES][CG_NUM_CLASSES] = {{0}};
    int p = 0;
    for (int i = 0; i < CG_NUM_CLASSES; i++)
        for (int j = i + 1; j < CG_NUM_CLASSES; j++, p++) {
            double s = sigmoid(dec[p], svm->prob_a[p], svm->prob_b[p]);
            r[i][j] = fmin(fmax(s, MIN_PAIR_PROB), 1 - MIN_PAIR_PROB);
            r[j][i] = 1 - r[i][j];
        }
    double by_class[CG_NUM_CLASSES];
    couple(r, by_class);
    for (int i = 0; i < CG_NUM_CLASSES; i++)
        prob[svm->label[i]] = by_class[i];
}

cg_label cg_svm_best(const double prob[CG_NUM_CLASSES], const cg_svm *svm)
{
    static const double equal[CG_NUM_CLASSES] = {1, 1, 1};
    return cg_decide(prob, equal, svm->label);
}

void cg_svm_probabilities_libsvm(const cg_svm *svm, const struct svm_node *x, double prob[CG_NUM_CLASSES])
{
    double by_class[CG_NUM_CLASSES];
    svm_predict_probability(svm->libsvm, x, by_class);
    for (int i = 0; i < CG_NUM_CLASSES; i++)
        prob[svm->label[i]] = by_class[i];
}

void cg_svm_predict(const cg_svm *svm, const struct svm_node *x, double prob[CG_NUM_CLASSES])
{
    if (svm->weights) {
        double dec[CG_PAIRS];
        cg_svm_decision_values(svm, x, dec);
        cg_svm_probabilities(svm, dec, prob);
    } else {
        cg_svm_probabilities_libsvm(svm, x, prob);
    }
}
