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

#endif
