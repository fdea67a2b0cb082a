/* fold.h - undoing the tricks people use to hide words from filters. */
#ifndef CG_FOLD_H
#define CG_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Fold obfuscation in cps[0..n), already case-folded and stripped of marks, in place; returns the
 * new length and adds the number of foldings to *folded. Used for features only: the text a
 * caller gave is never changed.
 */
size_t cg_fold(uint32_t *cps, size_t n, uint32_t *folded);

/*
 * Fold one word (UTF-8, as tokenised) for hashing into out (room for len bytes): a letter written
 * three or more times in a row is read once ("stuuupid" -> "stupid"). Returns the length written
 * and adds the number of foldings to *folded.
 */
size_t cg_fold_word(const char *word, size_t len, char *out, uint32_t *folded);

#endif
