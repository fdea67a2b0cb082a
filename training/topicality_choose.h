/* topicality_choose.h - the topicality stage's strengths chosen on measured comments
 * (topicality_choose.c): how far m may move a comment toward off-topic within the hold budget, and
 * how far the way back (r) may move one toward on-topic within the release budget. */
#ifndef CG_TOPICALITY_CHOOSE_H
#define CG_TOPICALITY_CHOOSE_H

#include "topicality.h"
#include "topicality_types.h"

/* An on-topic comment under its own article and under another one. */
typedef struct cg_topic_pair {
    double own[CG_NUM_CLASSES], moved[CG_NUM_CLASSES]; /* the model's probabilities */
    cg_topic_measure own_measure, moved_measure;
    int whole; /* 0: the articles as given; 1: whole threads */
} cg_topic_pair;

/* An off-topic comment under its own article. */
typedef struct cg_topic_kept {
    double prob[CG_NUM_CLASSES]; /* the model's */
    cg_topic_measure measure;
} cg_topic_kept;

/* Choose t's strength, belong_strength and belong_mass_half (t's coefficients, article_mass_half
 * and table set) on n pairs and n_offs off-topic comments, within opt's budgets, and fill the
 * report's figures of them (held, AUC, off-topic kept; the model alone and with the stage).
 * positive and score have room for 2 n. */
void cg_topic_choose(cg_topicality *t, const cg_topic_pair *pairs, size_t n, const cg_topic_kept *offs, size_t n_offs,
                     const cg_topic_fit_options *opt, int *positive, double *score, cg_topic_fit_report *report);

#endif
