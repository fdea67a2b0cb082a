/* fold_leet.h - pass 3 of cg_fold (fold_leet.c). */
#ifndef CG_FOLD_LEET_H
#define CG_FOLD_LEET_H

#include <stddef.h>
#include <stdint.h>

/* Read the leetspeak and masked words of cps[0..n) in place, adding one to *folded for each word. */
void cg_fold_leet(uint32_t *cps, size_t n, uint32_t *folded);

/* cg_fold_leet for text of ASCII bytes s[0..n) (none beyond ASCII), in place: each span that
 * holds a character leetspeak is made of is read as code points in scratch (room for n). */
void cg_fold_leet_ascii(char *s, size_t n, uint32_t *scratch, uint32_t *folded);

#endif
