/* predict.c - decision values and calibrated probabilities from a cg_svm.
 *
 * The collapsed linear path must agree with libsvm's svm_predict_probability on the same model
 * (tests/test_parity.c checks it), so the probability code follows libsvm's method step for step:
 * a Platt sigmoid per pair, clipped to [1e-7, 1 - 1e-7], then the second pairwise coupling
 * method of Wu, Lin and Weng (JMLR 2004) with libsvm's iteration limit and stopping rule. */
#include <math.h>
#include <stdlib.h>

#include "svm_model.h"

#define MIN_PAIR_PROB 1e-7

void cg_svm_decision_values(const cg_svm *svm, const struct svm_node *x, double dec[CG_PAIRS])
{
    double sum[CG_PAIRS] = {0};
    for (; x->index != -1; x++) {
        const double *w = svm->weights + (size_t)x->index * CG_PAIRS;
        for (int p = 0; p < CG_PAIRS; p++)
            sum[p] += w[p] * x->value;
    }
    for (int p = 0; p < CG_PAIRS; p++)
        dec[p] = sum[p] - svm->rho[p];
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
    int best = 0;
    for (int i = 1; i < CG_NUM_CLASSES; i++)
        if (prob[svm->label[i]] > prob[svm->label[best]])
            best = i;
    return (cg_label)svm->label[best];
}

void cg_svm_probabilities_libsvm(const cg_svm *svm, const struct svm_node *x, double prob[CG_NUM_CLASSES])
{
    double by_class[CG_NUM_CLASSES];
    svm_predict_probability(svm->libsvm, x, by_class);
    for (int i = 0; i < CG_NUM_CLASSES; i++)
        prob[svm->label[i]] = by_class[i];
}
