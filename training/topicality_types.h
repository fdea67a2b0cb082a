/* topicality_types.h - what fitting a topicality stage takes and reports (topicality_fit.h), and what
 * the card's section on it shows (topicality_card.h). */
#ifndef CG_TOPICALITY_TYPES_H
#define CG_TOPICALITY_TYPES_H

#include <stddef.h>

#include "commentguard.h"

typedef struct cg_topic_fit_options {
    const char *model_dir;  /* the bundle to add the stage to (its model is not changed) */
    const char *data_path;  /* labelled comments (dataset.h); those with an article are the pairs */
    unsigned stem_chars;    /* words are cut to this many characters (1..16) */
    unsigned min_df;        /* stems in fewer documents are left out of the table (as rare as unknown) */
    double content_mass;    /* a moved comment counts as misplaced only when its stems' summed IDF
                               is at least this: one that says nothing specific is fine anywhere */
    double hold_at_most;    /* the stage may turn at most this share of the on-topic comments under
                               their own article away from on-topic, beyond the model alone */
    unsigned seed;          /* of the choice of the other article a comment is moved under */
    double article_mass_half; /* the gate's half point (topicality.h); < 0: the geometric mean of the
                                 median mass of the pairs' articles as given and of their whole threads */
    double release_at_most; /* the way back to on-topic may turn at most this share of the off-topic
                               comments under their own article away from off-topic */
    double belong_cosine;   /* the cosine from which the way back is at its full share (topicality.h) */
    double belong_mass_half; /* the way back's gate half point; < 0: article_mass_half's */
} cg_topic_fit_options;

typedef struct cg_topic_fit_report {
    size_t documents; /* texts the table counts: every comment and each distinct article */
    size_t stems;     /* in the table */
    size_t pairs;     /* on-topic comments with an article, each also moved under another one */
    size_t articles;  /* distinct articles among them */
    double coef[5];   /* b0 .. b4 */
    double strength;
    double article_mass_half;
    double belong_strength, belong_cosine, belong_mass_half;
    size_t off_topic;         /* off-topic comments with an article, each under its own as given and whole */
    double off_topic_kept[2]; /* share of those labelled off-topic: the model alone, with the stage */
    double article_mass[2]; /* median mass of the pairs' own articles: as given, whole threads */
    /* [0]: the articles as given; [1]: whole threads (the article and its other comments) */
    double held_model[2]; /* share of the pairs' comments under their own article not on-topic: the model */
    double held_stage[2]; /* the same with the stage */
    double auc_model[2];  /* ROC-AUC of P(off-topic), moved against own: the model alone */
    double auc_stage[2];  /* the same with the stage */
    double held_increase; /* of both kinds together, what the stage adds: at most hold_at_most */
} cg_topic_fit_report;

#endif
