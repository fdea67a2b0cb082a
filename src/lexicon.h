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
 * error naming file:line, as is a file without entries.
 * A line "[unmarked]" starts the unmarked section: one word a line, words that name groups of
 * people ("muslims", "gay"). An unmarked word gives no n-gram features at all (the n-grams join the
 * words around it as if it were not there), so that a model cannot learn it as a marker of abuse
 * because abuse mentions the group; it still counts for the relevance features. With the extractor's
 * group_placeholder (analyse.h) it stands in the word bigrams and trigrams as "<group>", one token
 * for every group ("hate <group>", "<group> are"), still with no unigram or character n-grams.
 * A line "[promotion]" starts the promotion section: entries of one or two words that make a
 * promotional call to action or name the writer's own outlet ("visit my", "my channel",
 * "subscribe"). Each occurrence adds a feature "<promotion>" to the hashed block (analyse.c), one
 * for all such phrases, so that what the model learns from one ("subscribe to my channel") holds for
 * the others ("visit my blog"). A section lasts until the next header line; bundles with either
 * section have a newer format (bundle_settings.h), which older readers refuse rather than read the
 * header as a word. */
cg_status cg_lexicon_load(cg_extractor *ex, char *err, size_t errlen);

/* Whether a lexicon's text (size bytes) has the section header line `header` ("[unmarked]",
 * "[promotion]"), which a bundle's format records. */
int cg_lexicon_has_section(const char *data, size_t size, const char *header);

#endif
