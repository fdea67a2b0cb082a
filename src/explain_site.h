/* explain_site.h - the site model's part of an explanation of an adapted bundle's verdict. */
#ifndef CG_EXPLAIN_SITE_H
#define CG_EXPLAIN_SITE_H

#include "explain_units.h"
#include "site_model.h"

/*
 * The site model's pushes toward label, times scale, added to e: its extractor's words
 * (cg_unit_add_tokens) and dense features (cg_unit_add_dense), the text's character n-grams as written, each shared among the comment's
 * words it touches (lower-cased, with their bytes in the comment) or, touching none, given to
 * CG_UNIT_WRITING, and each author field. ws must hold the site vector of this comment, as
 * cg_classify_comment leaves it; it is overwritten.
 */
cg_status cg_explain_site(cg_explanation *e, const cg_site_model *site, const cg_comment *comment, int label,
                          double scale);

#endif
