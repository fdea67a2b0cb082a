/* metrics.c - confusion matrices, precision, recall, F1 and ROC-AUC (see metrics.h). The formulas
 * follow ../shared/peers/metrics.py so that our figures and the peers' can be compared. */
#include "metrics.h"

#include <stdio.h>

#include <math.h>
#include <stdlib.h>

void cg_confusion_add(cg_confusion *c, cg_label gold, cg_label predicted)
{
    if ((unsigned)gold >= CG_NUM_CLASSES)
        return; /* not a gold label: nothing to count it against */
    if ((unsigned)predicted < CG_NUM_CLASSES)
        c->n[gold][predicted]++;
    else
        c->unsure++;
}

double cg_confusion_scores(const cg_confusion *c, cg_class_scores *out)
{
    double macro = 0;
    for (int k = 0; k < CG_NUM_CLASSES; k++) {
        size_t tp = c->n[k][k], predicted = 0, gold = 0;
        for (int j = 0; j < CG_NUM_CLASSES; j++) {
            predicted += c->n[j][k];
            gold += c->n[k][j];
        }
        double p = predicted ? (double)tp / (double)predicted : 0.0;
        double r = gold ? (double)tp / (double)gold : 0.0;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
        if (out)
            out[k] = (cg_class_scores){.precision = p, .recall = r, .f1 = f1, .support = gold};
        macro += f1;
    }
    return macro / CG_NUM_CLASSES;
}

double cg_confusion_accuracy(const cg_confusion *c)
{
    size_t right = 0, total = c->unsure;
    for (int g = 0; g < CG_NUM_CLASSES; g++)
        for (int p = 0; p < CG_NUM_CLASSES; p++) {
            total += c->n[g][p];
            if (g == p)
                right += c->n[g][p];
        }
    return total ? (double)right / (double)total : 0.0;
}

typedef struct scored {
    double score;
    int positive;
} scored;

/* Ascending score, NaN first so that the order is total. */
static int by_score(const void *a, const void *b)
{
    double x = ((const scored *)a)->score, y = ((const scored *)b)->score;
    if (isnan(x) || isnan(y))
        return isnan(y) - isnan(x);
    return (x > y) - (x < y);
}

double cg_roc_auc(const int *positive, const double *score, size_t n)
{
    size_t n_pos = 0;
    for (size_t i = 0; i < n; i++)
        n_pos += positive[i] != 0;
    size_t n_neg = n - n_pos;
    if (n_pos == 0 || n_neg == 0)
        return NAN;
    scored *s = malloc(n * sizeof *s);
    if (!s)
        return NAN;
    for (size_t i = 0; i < n; i++)
        s[i] = (scored){score[i], positive[i] != 0};
    qsort(s, n, sizeof *s, by_score);
    /* Sum of the (1-based) ranks of the positives, tied scores sharing their average rank. */
    double rank_sum = 0;
    for (size_t i = 0, j; i < n; i = j) {
        size_t pos_in_run = 0;
        for (j = i; j < n && by_score(&s[i], &s[j]) == 0; j++)
            pos_in_run += (size_t)s[j].positive;
        rank_sum += (double)(i + 1 + j) / 2.0 * (double)pos_in_run;
    }
    free(s);
    double np = (double)n_pos, nn = (double)n_neg;
    return (rank_sum - np * (np + 1) / 2.0) / (np * nn);
}

void cg_confusion_write_markdown(FILE *f, const cg_confusion *c)
{
    cg_class_scores s[CG_NUM_CLASSES];
    double macro = cg_confusion_scores(c, s);
    fprintf(f, "| gold \\ predicted | on-topic | off-topic | abusive | precision | recall | F1 |\n");
    fprintf(f, "|---|---|---|---|---|---|---|\n");
    for (int g = 0; g < CG_NUM_CLASSES; g++)
        fprintf(f, "| %s | %zu | %zu | %zu | %.4f | %.4f | %.4f |\n", cg_label_name((cg_label)g), c->n[g][0],
                c->n[g][1], c->n[g][2], s[g].precision, s[g].recall, s[g].f1);
    fprintf(f, "\nAccuracy %.4f, macro-F1 **%.4f**.\n", cg_confusion_accuracy(c), macro);
}

static double f1_of(double tp, double fp, double fn)
{
    return tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0.0;
}

double cg_confusion_peer_macro_f1(const cg_confusion *c, int *binary)
{
    size_t gold[CG_NUM_CLASSES] = {0}, total = 0;
    for (int g = 0; g < CG_NUM_CLASSES; g++)
        for (int p = 0; p < CG_NUM_CLASSES; p++)
            gold[g] += c->n[g][p];
    for (int g = 0; g < CG_NUM_CLASSES; g++)
        total += gold[g];
    int bad = gold[CG_ABUSIVE] == 0 ? CG_OFF_TOPIC : gold[CG_OFF_TOPIC] == 0 ? CG_ABUSIVE : -1;
    if (binary)
        *binary = bad;
    if (bad < 0)
        return cg_confusion_scores(c, NULL);
    double tp = (double)c->n[bad][bad], fp = 0, fn = 0;
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (k != bad) {
            fp += (double)c->n[k][bad];
            fn += (double)c->n[bad][k];
        }
    double tn = (double)total - tp - fp - fn;
    return (f1_of(tp, fp, fn) + f1_of(tn, fn, fp)) / 2;
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cg_caught_at_held(const int *gold, const double *score, size_t n, double held)
{
    size_t n_neg = 0, n_pos = 0;
    for (size_t i = 0; i < n; i++) {
        n_neg += gold[i] == CG_ON_TOPIC;
        n_pos += gold[i] == CG_OFF_TOPIC;
    }
    double *neg = malloc((n_neg + 1) * sizeof *neg);
    if (!neg || n_neg == 0 || n_pos == 0) {
        free(neg);
        return NAN;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (gold[i] == CG_ON_TOPIC)
            neg[k++] = score[i];
    qsort(neg, n_neg, sizeof *neg, ascending);
    /* The (1 - held) quantile, interpolated linearly between order statistics (numpy's default). */
    double at = (1 - held) * (double)(n_neg - 1);
    size_t lo = (size_t)at;
    double cut = lo + 1 < n_neg ? neg[lo] + (at - (double)lo) * (neg[lo + 1] - neg[lo]) : neg[lo];
    free(neg);
    size_t caught = 0;
    for (size_t i = 0; i < n; i++)
        caught += gold[i] == CG_OFF_TOPIC && score[i] > cut;
    return (double)caught / (double)n_pos;
}

double cg_held_share(const int *gold, const int *label, size_t n)
{
    size_t on = 0, held = 0;
    for (size_t i = 0; i < n; i++)
        if (gold[i] == CG_ON_TOPIC) {
            on++;
            held += label[i] != CG_ON_TOPIC;
        }
    return on ? (double)held / (double)on : NAN;
}
