/*
 * test_metrics.c - confusion matrices, precision, recall, F1, accuracy and ROC-AUC
 * (training/metrics.c) against values worked out by hand.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "metrics.h"

#define EPS 1e-12

/* gold \ predicted   on  off  abusive
 *   on-topic          5    2    1      (8 rows)
 *   off-topic         1    6    1      (8 rows)
 *   abusive           0    2    4      (6 rows)
 * predicted totals    6   10    6 */
static void fill(cg_confusion *c)
{
    static const size_t n[3][3] = {{5, 2, 1}, {1, 6, 1}, {0, 2, 4}};
    for (int g = 0; g < 3; g++)
        for (int p = 0; p < 3; p++)
            for (size_t k = 0; k < n[g][p]; k++)
                cg_confusion_add(c, (cg_label)g, (cg_label)p);
}

Test(confusion, counts_gold_by_predicted)
{
    cg_confusion c = {0};
    fill(&c);
    cr_assert_eq(c.n[CG_ON_TOPIC][CG_OFF_TOPIC], 2);
    cr_assert_eq(c.n[CG_OFF_TOPIC][CG_ON_TOPIC], 1);
    cr_assert_eq(c.n[CG_ABUSIVE][CG_ABUSIVE], 4);
    cr_assert_eq(c.unsure, 0);
}

Test(confusion, precision_recall_f1_and_macro)
{
    cg_confusion c = {0};
    fill(&c);
    cg_class_scores s[CG_NUM_CLASSES];
    double macro = cg_confusion_scores(&c, s);
    cr_assert_float_eq(s[CG_ON_TOPIC].precision, 5.0 / 6, EPS);
    cr_assert_float_eq(s[CG_ON_TOPIC].recall, 5.0 / 8, EPS);
    cr_assert_float_eq(s[CG_ON_TOPIC].f1, 10.0 / 14, EPS); /* 2tp / (predicted + gold) */
    cr_assert_float_eq(s[CG_OFF_TOPIC].precision, 6.0 / 10, EPS);
    cr_assert_float_eq(s[CG_OFF_TOPIC].recall, 6.0 / 8, EPS);
    cr_assert_float_eq(s[CG_OFF_TOPIC].f1, 12.0 / 18, EPS);
    cr_assert_float_eq(s[CG_ABUSIVE].precision, 4.0 / 6, EPS);
    cr_assert_float_eq(s[CG_ABUSIVE].recall, 4.0 / 6, EPS);
    cr_assert_float_eq(s[CG_ABUSIVE].f1, 8.0 / 12, EPS);
    cr_assert_eq(s[CG_ON_TOPIC].support, 8);
    cr_assert_eq(s[CG_OFF_TOPIC].support, 8);
    cr_assert_eq(s[CG_ABUSIVE].support, 6);
    cr_assert_float_eq(macro, 43.0 / 63, EPS);
    cr_assert_float_eq(cg_confusion_scores(&c, NULL), macro, 0);
}

Test(confusion, accuracy_counts_unsure_as_wrong)
{
    cg_confusion c = {0};
    fill(&c);
    cr_assert_float_eq(cg_confusion_accuracy(&c), 15.0 / 22, EPS);
    cg_confusion_add(&c, CG_ABUSIVE, CG_UNSURE);
    cr_assert_eq(c.unsure, 1);
    cr_assert_float_eq(cg_confusion_accuracy(&c), 15.0 / 23, EPS);
}

Test(confusion, absent_class_scores_zero)
{
    cg_confusion c = {0};
    cg_confusion_add(&c, CG_ON_TOPIC, CG_ON_TOPIC);
    cg_confusion_add(&c, CG_ON_TOPIC, CG_OFF_TOPIC);
    cg_confusion_add(&c, CG_OFF_TOPIC, CG_OFF_TOPIC);
    cg_class_scores s[CG_NUM_CLASSES];
    double macro = cg_confusion_scores(&c, s);
    cr_assert_eq(s[CG_ABUSIVE].precision, 0.0);
    cr_assert_eq(s[CG_ABUSIVE].recall, 0.0);
    cr_assert_eq(s[CG_ABUSIVE].f1, 0.0);
    cr_assert_eq(s[CG_ABUSIVE].support, 0);
    /* on-topic: P 1, R 1/2, F1 2/3; off-topic: P 1/2, R 1, F1 2/3 */
    cr_assert_float_eq(macro, (2.0 / 3 + 2.0 / 3 + 0) / 3, EPS);
}

Test(confusion, empty)
{
    cg_confusion c = {0};
    cg_class_scores s[CG_NUM_CLASSES];
    cr_assert_eq(cg_confusion_scores(&c, s), 0.0);
    cr_assert_eq(cg_confusion_accuracy(&c), 0.0);
}

Test(auc, ties_count_half)
{
    /* positives 0.8, 0.5, 0.3; negatives 0.5, 0.2, 0.5, 0.1. Pairs won: 0.8 beats all 4; 0.5 beats
     * 0.2 and 0.1 and ties two 0.5s (2 + 2 * 0.5); 0.3 beats 0.2 and 0.1: 9 of 12 pairs. */
    const int pos[] = {1, 0, 1, 0, 0, 1, 0};
    const double score[] = {0.8, 0.5, 0.5, 0.2, 0.5, 0.3, 0.1};
    cr_assert_float_eq(cg_roc_auc(pos, score, 7), 0.75, EPS);
}

Test(auc, separation_and_any_nonzero_is_positive)
{
    const int pos[] = {0, 2, 0, -1};
    const double up[] = {0.1, 0.9, 0.2, 0.7};
    const double down[] = {0.9, 0.1, 0.8, 0.2};
    const double flat[] = {0.5, 0.5, 0.5, 0.5};
    cr_assert_float_eq(cg_roc_auc(pos, up, 4), 1.0, EPS);
    cr_assert_float_eq(cg_roc_auc(pos, down, 4), 0.0, EPS);
    cr_assert_float_eq(cg_roc_auc(pos, flat, 4), 0.5, EPS);
}

Test(auc, empty_side_is_nan)
{
    const int all_pos[] = {1, 1, 1};
    const int all_neg[] = {0, 0, 0};
    const double score[] = {0.1, 0.2, 0.3};
    cr_assert(isnan(cg_roc_auc(all_pos, score, 3)));
    cr_assert(isnan(cg_roc_auc(all_neg, score, 3)));
    cr_assert(isnan(cg_roc_auc(all_neg, score, 0)));
}

Test(peer_macro_f1, binary_when_a_bad_class_is_absent_as_the_peers_evaluator_does)
{
    /* Gold: 6 on-topic, 4 off-topic, no abusive. Off-topic against the rest: tp 3, fn 1, fp 2
     * (one on-topic called off-topic, one called abusive counts as "rest" correctly), tn 4.
     * F1(off) = 6 / (6 + 2 + 1) = 2/3; F1(rest) = 8 / (8 + 1 + 2) = 8/11. */
    cg_confusion c = {0};
    c.n[CG_ON_TOPIC][CG_ON_TOPIC] = 4;
    c.n[CG_ON_TOPIC][CG_OFF_TOPIC] = 2;
    c.n[CG_OFF_TOPIC][CG_OFF_TOPIC] = 3;
    c.n[CG_OFF_TOPIC][CG_ABUSIVE] = 1;
    int bad;
    cr_assert_float_eq(cg_confusion_peer_macro_f1(&c, &bad), (2.0 / 3 + 8.0 / 11) / 2, EPS);
    cr_assert_eq(bad, CG_OFF_TOPIC);
    /* Spam only, all caught: F1(off) 1, F1(rest) 0 (no true negative): 0.5. */
    cg_confusion spam = {0};
    spam.n[CG_OFF_TOPIC][CG_OFF_TOPIC] = 5;
    cr_assert_float_eq(cg_confusion_peer_macro_f1(&spam, &bad), 0.5, EPS);
    /* Abusive without off-topic: abusive against the rest. */
    cg_confusion abuse = {0};
    abuse.n[CG_ABUSIVE][CG_ABUSIVE] = 2;
    abuse.n[CG_ON_TOPIC][CG_ON_TOPIC] = 2;
    cr_assert_float_eq(cg_confusion_peer_macro_f1(&abuse, &bad), 1.0, EPS);
    cr_assert_eq(bad, CG_ABUSIVE);
    /* All three: the three-class macro-F1. */
    abuse.n[CG_OFF_TOPIC][CG_ON_TOPIC] = 1;
    cr_assert_float_eq(cg_confusion_peer_macro_f1(&abuse, &bad), cg_confusion_scores(&abuse, NULL), EPS);
    cr_assert_eq(bad, -1);
}
