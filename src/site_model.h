/* site_model.h - the site part of an adapted bundle (`commentguard train --base`): a second linear
 * model trained on one site's own moderated comments, with features chosen for sites (its own
 * extractor settings, plus the author's name and the domains of the author's URL and e-mail), and
 * the rule that combines its probabilities with the base model's. models/README.md documents it. */
#ifndef CG_SITE_MODEL_H
#define CG_SITE_MODEL_H

#include "extract.h"
#include "site_features.h"
#include "svm_model.h"

#define CG_SITE_SVM "site.svm"  /* the site model, a libsvm model file like model.svm */
#define CG_SITE_IDF "site.idf"  /* its text n-grams' document frequencies: "rows N", then "slot df" lines */

/* How the base's and the site model's probabilities over the site's classes are mixed. */
typedef enum cg_blend_space {
    CG_BLEND_LOG_ODDS = 0, /* a weighted geometric mean, renormalised: a weighted sum of log-odds */
    CG_BLEND_LINEAR = 1,   /* a weighted arithmetic mean */
    CG_BLEND_EVIDENCE = 2, /* the base's probabilities times the site model's evidence: its
                              probabilities over those it gives a comment without features, to the
                              power w (a comment unlike the site's rows keeps about the base's) */
} cg_blend_space;

/* What a class the site has no rows of (an unseen class) keeps of the base's judgement. */
typedef enum cg_unseen_rule {
    CG_UNSEEN_PROBABILITY = 0, /* its probability, exactly; the site's classes share the rest (bundles
                                  written before "unseen_classes" was a key) */
    CG_UNSEEN_CAPPED = 1,      /* its probability, but no more than its odds against on-topic allow when
                                  the site model's evidence lowers on-topic (the site's rows can take
                                  mass from a class they never saw, as they take it from on-topic, and
                                  never give it any); and its label: a comment is labelled with an
                                  unseen class exactly when the base labels it so */
} cg_unseen_rule;

typedef struct cg_site_params {
    int has_class[CG_NUM_CLASSES]; /* the site model knows the class (the site had rows of it) */
    cg_unseen_rule unseen;         /* the capped rule needs on-topic among the site's classes; without
                                      it the probability rule applies */
    double blend;                  /* the site model's weight w, 0..1 (0: the base alone) */
    cg_blend_space space;
    double site_prior[CG_NUM_CLASSES]; /* the site model's probabilities of an empty comment (evidence) */
    double class_weight[CG_NUM_CLASSES]; /* the decision rule: the label is the class with the largest
                                            probability times weight (decide.h); the probabilities
                                            themselves stay calibrated */
} cg_site_params;

typedef struct cg_site_model {
    cg_site_params params;
    int has_model;          /* 0 for a fallback bundle (too few rows): the base's judgement alone */
    cg_extractor extractor; /* the site model's own settings (no article is read) */
    cg_site_features features; /* what it reads besides its extractor's features */
    cg_svm svm;             /* the site model, classes the site had no rows of decided against */
    float *idf;             /* features.idf's table (from site.idf), or NULL */
} cg_site_model;

/*
 * Combine: over the site's classes S, q is the blend of the base's probabilities renormalised over
 * S and the site model's renormalised over S; the site's evidence on on-topic is e = q(on-topic) /
 * (p_b(on-topic) / m), m the base's mass over S. P is proportional to m q(c) for c in S and to
 * p_b(u) e' for u outside S, where e' = 1 with the probability rule (u keeps p_b(u) exactly) and
 * e' = min(1, e) with the capped rule. With blend 0, out is base exactly. out may alias neither input.
 */
void cg_site_combine(const cg_site_params *p, const double base[CG_NUM_CLASSES], const double site[CG_NUM_CLASSES],
                     double out[CG_NUM_CLASSES]);

/*
 * The label of the combined probabilities prob of a comment the base gave base: the class with the
 * largest prob[c] * class_weight[c] (decide.h, ties by order); with the capped rule, a class outside S
 * when the base's own label (base_weight) is that class, and otherwise one of S.
 */
cg_label cg_site_decide(const cg_site_params *p, const double base[CG_NUM_CLASSES], const double base_weight[CG_NUM_CLASSES],
                        const double prob[CG_NUM_CLASSES], const int order[CG_NUM_CLASSES]);

/* "capped" or "probability"; parse: 0, or -1 for another name. */
const char *cg_unseen_rule_name(cg_unseen_rule rule);
int cg_unseen_rule_parse(const char *name, cg_unseen_rule *out);

/* "log-odds", "linear" or "evidence"; parse: 0, or -1 for another name. */
const char *cg_blend_space_name(cg_blend_space space);
int cg_blend_space_parse(const char *name, cg_blend_space *out);

/* The probabilities svm gives a vector without features (decision values -rho): the evidence
 * blend's reference. */
void cg_site_prior(const cg_svm *svm, double prior[CG_NUM_CLASSES]);

/* The site model's probabilities of the vector in ws->nodes, indexed by cg_label. */
void cg_site_probabilities(const cg_site_model *s, const cg_workspace *ws, double prob[CG_NUM_CLASSES]);

/* Read bundle.json's "site" part from bundle dir and its site.svm into *out (NULL when the bundle
 * has no site part, as every format-2 bundle). */
cg_status cg_site_model_load(const char *dir, cg_site_model **out, char *err, size_t errlen);

void cg_site_model_free(cg_site_model *s);

/* The base part's probabilities of a comment (classify.c), after its topicality stage when an
 * article is given, whatever site part the model has: what adapting combines with the site model.
 * Leaves the base's vector in ws->nodes, sorted (cg_extract): training reproduces these bit for bit,
 * where cg_classify_comment sums a linear model's decision values without one (cg_extract_sums). */
cg_status cg_model_base_probabilities(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                                      const cg_article *article, double prob[CG_NUM_CLASSES]);

#endif
