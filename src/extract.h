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

#endif
