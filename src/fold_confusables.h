/* fold_confusables.h - pass 1 of cg_fold (fold_confusables.c). */
#ifndef CG_FOLD_CONFUSABLES_H
#define CG_FOLD_CONFUSABLES_H

#include <stddef.h>
#include <stdint.h>

/* Fold the look-alikes in cps[0..n) in place, adding one to *folded for each word folded. */
void cg_fold_confusables(uint32_t *cps, size_t n, uint32_t *folded);

#endif
