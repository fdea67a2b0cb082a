/* extract.h - a comment's feature vector (extract.c): the unit-length hashed block of its text,
 * then the dense signals, the relevance features and the lexicon signals (index layout: analyse.h). */
#ifndef CG_EXTRACT_H
#define CG_EXTRACT_H

#include "analyse.h"
#include "svm_types.h"

struct cg_article;

/*
 * Turn text[0..len) into a feature vector in ws->nodes[0..ws->n_nodes), indices strictly
 * ascending, terminated by an index of -1. With an article, relevance features are added.
 */
cg_status cg_extract(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                     const struct cg_article *article);

/*
 * For scoring with a linear model: sums[p] = the sum over the features of cg_extract's vector of
 * value * weights[index * CG_WEIGHT_STRIDE + p] (svm_types.h), the model's decision values before its
 * rho, without the vector: the hashed block is summed in the order its slots were first touched, not
 * sorted, and scaled to unit length after the sum, so that the sums differ from those over the
 * sorted vector by rounding only (tests/test_differential.c). Never for libsvm, nor where a vector
 * is written or must be reproduced bit for bit (training, `commentguard vectors`, explanations).
 * ws->nodes holds only the dense features afterwards.
 */
cg_status cg_extract_sums(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                          const struct cg_article *article, const double *weights, double sums[CG_PAIRS]);

#endif
