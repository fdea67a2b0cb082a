/* fold_spans.h - the spans cg_fold leaves alone (fold_spans.c). */
#ifndef CG_FOLD_SPANS_H
#define CG_FOLD_SPANS_H

#include <stddef.h>
#include <stdint.h>

/* Whether the span s[0..n) (no white space in it) is a link, an e-mail address, a domain or code. */
int cg_fold_protected(const uint32_t *s, size_t n);

#endif
