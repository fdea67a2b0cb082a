/* fold.h - undoing the tricks people use to hide words from filters. */
#ifndef CG_FOLD_H
#define CG_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Fold obfuscation in cps[0..n), already case-folded (but for the capitals cg_fold_capital keeps)
 * and stripped of marks, in place: look-alike letters, letters set apart ("f.u.c.k"), leetspeak
 * and masked words (fold.c says how). Returns the new length, at most n, and adds one to *folded
 * for each word undone. Used for features only: the text a caller gave is never changed.
 */
size_t cg_fold(uint32_t *cps, size_t n, uint32_t *folded);

/*
 * cg_fold for code points that are all ASCII, as a caller that knows it can ask. maybe_leet 0 says
 * that none of them is a digit, '*', '@', '$', '!' or '|' (what leetspeak and masked words are
 * made of): the leetspeak pass, which would find nothing to read, is skipped.
 */
size_t cg_fold_ascii(uint32_t *cps, size_t n, uint32_t *folded, int maybe_leet);

/*
 * For the normaliser: `c` is what case folding made of a capital letter (one code point). Returns
 * the capital again for the few letters whose capital and small forms imitate different Latin
 * letters (Greek Η looks like H, η like n; also Μ μ, Ν ν, Υ υ, Ζ ζ), so that cg_fold can tell them
 * apart; c itself otherwise. cg_fold case-folds the capitals it does not fold.
 */
uint32_t cg_fold_capital(uint32_t c);

/*
 * Fold one word (UTF-8, as tokenised) for hashing into out (room for len bytes): a letter written
 * three or more times in a row is read once ("stuuupid" -> "stupid"). Returns the length written
 * and adds the number of foldings to *folded.
 */
size_t cg_fold_word(const char *word, size_t len, char *out, uint32_t *folded);

#endif
