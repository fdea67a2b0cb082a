/* metrics.h - confusion matrices, precision, recall, F1 and ROC-AUC. */
#ifndef CG_METRICS_H
#define CG_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "commentguard.h"

typedef struct cg_confusion {
    size_t n[CG_NUM_CLASSES][CG_NUM_CLASSES]; /* n[gold][predicted] */
    size_t unsure;                            /* predictions of CG_UNSURE, counted as wrong */
} cg_confusion;

typedef struct cg_class_scores {
    double precision, recall, f1;
    size_t support; /* gold rows of the class */
} cg_class_scores;

void cg_confusion_add(cg_confusion *c, cg_label gold, cg_label predicted);

/* Per-class scores into out[CG_NUM_CLASSES] (may be NULL) and the macro-F1 (mean F1 of the three
 * classes; a class with no predictions and no gold rows has F1 0). */
double cg_confusion_scores(const cg_confusion *c, cg_class_scores *out);

double cg_confusion_accuracy(const cg_confusion *c);

/* Macro-F1 as ../shared/peers/metrics.py reports it, so that figures compare with the peers': a set
 * whose gold labels lack abusive (or off-topic) is a binary task, the bad class against the rest,
 * with the macro-F1 of those two; a set with all three labels gets the three-class macro-F1.
 * *binary receives the bad class, or -1 for three classes (may be NULL). */
double cg_confusion_peer_macro_f1(const cg_confusion *c, int *binary);

/* The matrix with per-class precision, recall and F1, accuracy and macro-F1, as Markdown (model cards). */
void cg_confusion_write_markdown(FILE *f, const cg_confusion *c);

/* ROC-AUC of `score` for telling positive[i] != 0 from the rest, ties counted as half (the rank-sum
 * formula); NaN if either side is empty. Sorts a copy: O(n log n), allocates n entries (returns
 * NaN if that fails). */
double cg_roc_auc(const int *positive, const double *score, size_t n);

/* Spam caught while holding a given share of legitimate comments, one definition everywhere
 * (issue 20): the share of off-topic rows (gold[i] == CG_OFF_TOPIC) whose score, P(off-topic), is
 * above the (1 - held) quantile of the on-topic rows' scores (linear interpolation between order
 * statistics, as numpy's percentile). NaN without rows of either class. */
double cg_caught_at_held(const int *gold, const double *score, size_t n, double held);

/* "Held at the labels": the share of on-topic rows labelled anything else (NaN without any). */
double cg_held_share(const int *gold, const int *label, size_t n);

#endif
