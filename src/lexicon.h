/* lexicon.h - a bundle's lexicon: words and two-word phrases (slurs, insults, obscenities) whose
 * occurrences in a comment become the lexicon signals (extract.h). */
#ifndef CG_LEXICON_H
#define CG_LEXICON_H

#include "extract.h"

#define CG_LEXICON_MAX_BYTES (64L << 20) /* larger lexicon files are refused */

/* Read the lexicon file that ex->config.lexicon names, if it names one, into ex (just initialised):
 * UTF-8 text, one entry of one or two words a line; blank lines and lines starting with '#' are
 * skipped. Each entry goes through the comments' own normalisation and folding, so it matches
 * however a comment spells it ("1d10t" finds "idiot"). A line that is not one or two words is an
 * error naming file:line, as is a file without entries. */
cg_status cg_lexicon_load(cg_extractor *ex, char *err, size_t errlen);

#endif
