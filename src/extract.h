/* extract.h - a comment's feature vector (extract.c): the unit-length hashed block of its text,
 * then the dense signals, the relevance features and the lexicon signals (index layout: analyse.h). */
#ifndef CG_EXTRACT_H
#define CG_EXTRACT_H

#include "analyse.h"

struct cg_article;

/*
 * Turn text[0..len) into a feature vector in ws->nodes[0..ws->n_nodes), indices strictly
 * ascending, terminated by an index of -1. With an article, relevance features are added.
 */
cg_status cg_extract(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                     const struct cg_article *article);

/*
 * cg_extract for scoring with a linear model, without sorting the hashed block: its nodes come in
 * the order their slots were first touched (the dense features after them, ascending). Sorted, the
 * vector is cg_extract's up to rounding: its unit length and the article's dot product are summed in
 * another order (a few units in the last place, tests/test_differential.c). Only for sums over the
 * nodes (cg_svm_decision_values), never for libsvm, which merges sorted vectors, nor for a vector
 * that is written or must be reproduced bit for bit (training, `commentguard vectors`).
 */
cg_status cg_extract_any_order(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                               const struct cg_article *article);

#endif
