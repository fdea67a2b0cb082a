/* normalize.h - from raw comment bytes to normalised text for feature extraction. */
#ifndef CG_NORMALIZE_H
#define CG_NORMALIZE_H

#include "workspace.h"

/*
 * Normalise text[0..len) into ws->norm (UTF-8, NUL-terminated, length ws->norm_len) and fill
 * ws->stats. In order: invalid UTF-8 sequences become U+FFFD and NUL bytes spaces; HTML tags are
 * dropped (link targets of <a href> are kept as text, images counted) and entities decoded; then
 * NFKC with case folding, default-ignorable code points (zero-width characters, U+FEFF, bidi
 * controls) and combining marks removed; look-alike letters of other scripts folded (fold.h);
 * runs of one symbol cut to three; runs of white space and control characters become one space.
 * The caller keeps its text: normalisation never writes to it.
 */
cg_status cg_normalize(cg_workspace *ws, const char *text, size_t len);

/* The Hangul jamo block: with the combining marks, the only code points that canonical composition
 * joins to the one before them (the normaliser composes only text that holds one). */
#define CG_JAMO_FIRST 0x1100
#define CG_JAMO_LAST 0x11FF

#endif
