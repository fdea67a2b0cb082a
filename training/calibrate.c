/* calibrate.c - probabilities and decision weights from cross-validated decision values. */
#include "calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "svm_model.h"

#define GRID_LOW 0.5
#define GRID_STEP 0.1
#define GRID_STEPS 26 /* 0.5 .. 3.0 */

/* Negative log-likelihood of the sigmoid 1 / (1 + exp(a f + b)) against the targets, computed
 * without overflow. */
static double sigmoid_loss(const double *f, const double *t, size_t n, double a, double b)
{
    double loss = 0;
    for (size_t i = 0; i < n; i++) {
        double z = a * f[i] + b;
        loss += z >= 0 ? t[i] * z + log1p(exp(-z)) : (t[i] - 1) * z + log1p(exp(z));
    }
    return loss;
}

/*
 * Platt's method as refined by Lin, Lin and Weng (2007): targets shrunk towards the priors,
 * Newton steps on (a, b) with a backtracking line search. f: decision values, positive[i]:
 * whether vector i is of the pair's first class.
 */
static void fit_sigmoid(const double *f, const unsigned char *positive, size_t n, double *t, double *a_out,
                        double *b_out)
{
    double pos = 0, neg = 0;
    for (size_t i = 0; i < n; i++)
        positive[i] ? pos++ : neg++;
    double hi = (pos + 1) / (pos + 2), lo = 1 / (neg + 2);
    for (size_t i = 0; i < n; i++)
        t[i] = positive[i] ? hi : lo;
    double a = 0, b = log((neg + 1) / (pos + 1)), loss = sigmoid_loss(f, t, n, a, b);
    for (int iter = 0; iter < 100; iter++) {
        double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
        for (size_t i = 0; i < n; i++) {
            double z = a * f[i] + b;
            double p = z >= 0 ? exp(-z) / (1 + exp(-z)) : 1 / (1 + exp(z)); /* P(first class) */
            double d2 = p * (1 - p), d1 = t[i] - p;
            h11 += f[i] * f[i] * d2;
            h22 += d2;
            h21 += f[i] * d2;
            g1 += f[i] * d1;
            g2 += d1;
        }
        if (fabs(g1) < 1e-5 && fabs(g2) < 1e-5)
            break;
        double det = h11 * h22 - h21 * h21;
        double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
        double slope = g1 * da + g2 * db, step = 1;
        while (step >= 1e-10) {
            double next = sigmoid_loss(f, t, n, a + step * da, b + step * db);
            if (next < loss + 1e-4 * step * slope) {
                a += step * da;
                b += step * db;
                loss = next;
                break;
            }
            step /= 2;
        }
        if (step < 1e-10)
            break; /* no progress along the Newton direction: as good as it gets */
    }
    *a_out = a;
    *b_out = b;
}

int cg_fit_sigmoids(const cg_problem *p, const double *decision, cg_linear_model *m)
{
    double *f = malloc((p->n + 1) * sizeof *f), *t = malloc((p->n + 1) * sizeof *t);
    unsigned char *positive = malloc(p->n + 1);
    int ok = f && t && positive;
    for (int pair = 0; ok && pair < CG_NUM_PAIRS; pair++) {
        int a = cg_pair_class[pair][0], b = cg_pair_class[pair][1];
        size_t n = 0;
        for (size_t v = 0; v < p->n; v++) {
            int y = (int)p->y[v];
            if (y != a && y != b)
                continue;
            f[n] = decision[v * CG_NUM_PAIRS + pair];
            positive[n++] = y == a;
        }
        fit_sigmoid(f, positive, n, t, &m->prob_a[pair], &m->prob_b[pair]);
    }
    free(f);
    free(t);
    free(positive);
    return ok;
}

static void confusion_of(const cg_problem *p, const double *prob, const double weight[CG_NUM_CLASSES],
                         const int order[CG_NUM_CLASSES], cg_confusion *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < p->n; i++)
        if (!p->is_derived[i])
            cg_confusion_add(c, (cg_label)p->y[i], cg_decide(prob + 3 * i, weight, order));
}

/* The held-out probabilities of every vector with m's sigmoids, into prob[i * 3 + class]. */
static void held_out_probabilities(const cg_problem *p, const double *decision, const cg_svm *sigmoids, double *prob)
{
    for (size_t i = 0; i < p->n; i++)
        cg_svm_probabilities(sigmoids, decision + CG_NUM_PAIRS * i, prob + 3 * i);
}

void cg_choose_decision_weights(const cg_problem *p, const double *decision, const double *given,
                                cg_linear_model *m, double weight[CG_NUM_CLASSES], cg_confusion *plain,
                                cg_confusion *chosen)
{
    cg_svm sigmoids = cg_linear_sigmoids(m);

    double *prob = malloc(p->n * 3 * sizeof *prob);
    const double ones[CG_NUM_CLASSES] = {1, 1, 1};
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        weight[c] = given ? given[c] : 1.0;
    if (!prob) { /* no room to measure: the given weights (or none), without figures */
        cg_svm_fold_class_weights(&sigmoids, weight);
        memcpy(m->prob_b, sigmoids.prob_b, sizeof m->prob_b);
        memset(plain, 0, sizeof *plain);
        *chosen = *plain;
        return;
    }
    held_out_probabilities(p, decision, &sigmoids, prob);
    confusion_of(p, prob, ones, sigmoids.label, plain);
    *chosen = *plain;
    double best = cg_confusion_scores(plain, NULL);
    for (int a = 0; !given && a < GRID_STEPS; a++)
        for (int b = 0; b < GRID_STEPS; b++) {
            double w[CG_NUM_CLASSES] = {1, GRID_LOW + a * GRID_STEP, GRID_LOW + b * GRID_STEP};
            cg_confusion c;
            confusion_of(p, prob, w, sigmoids.label, &c);
            double f1 = cg_confusion_scores(&c, NULL);
            /* Move away from the plain rule only for a real gain, not for noise. */
            if (f1 > best + 1e-4) {
                best = f1;
                memcpy(weight, w, sizeof w);
            }
        }
    /* The published rule: the weights folded into the sigmoids, the label the most probable class. */
    cg_svm_fold_class_weights(&sigmoids, weight);
    memcpy(m->prob_b, sigmoids.prob_b, sizeof m->prob_b);
    held_out_probabilities(p, decision, &sigmoids, prob);
    confusion_of(p, prob, ones, sigmoids.label, chosen);
    free(prob);
}
