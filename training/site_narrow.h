/* site_narrow.h - narrower site features for a site whose vectors would pass their memory budget
 * (issue 20: `train --base` may take at most twice the memory of loading the base). */
#ifndef CG_SITE_NARROW_H
#define CG_SITE_NARROW_H

#include "site_features.h"

/*
 * Narrow the site model's features (*c: its extractor's settings, *f: what it reads besides) by one
 * step, the first of these that changes anything:
 *   1. no character n-grams within words (c->char_min = c->char_max = 0): the text's n-grams across
 *      words hold the same strings as written;
 *   2. word unigrams only (c->word_ngrams = 1);
 *   3. the text's n-grams up to 4 code points (f->text_max = 4, f->text_min at most 4).
 * Returns 1 and sets *what to the step's description (static string), or 0 if no step is left
 * (nothing changed).
 */
int cg_site_narrow(cg_extractor_config *c, cg_site_features *f, const char **what);

#endif
