/* near_copy_sketch.h - what texts are compared by when serve looks for near-copies of corrected
 * comments (near_copy_sketch.c). */
#ifndef CG_SERVE_NEAR_COPY_SKETCH_H
#define CG_SERVE_NEAR_COPY_SKETCH_H

#include <stddef.h>
#include <stdint.h>

/* A text's words (runs of letters and digits, ASCII folded to lower case; every byte beyond ASCII
 * counts as a letter) are read as overlapping shingles of NEAR_COPY_WORDS words; the sketch is
 * the NEAR_COPY_SKETCH smallest distinct 64-bit hashes of those shingles (a bottom-k sketch: the
 * whole set for texts of up to NEAR_COPY_SKETCH shingles, a uniform sample of it beyond). */
#define NEAR_COPY_WORDS 2
#define NEAR_COPY_SKETCH 128
/* Texts with fewer shingles are never matched: short comments ("Great post, thanks!") are too
 * alike across authors for their wording to identify a campaign. */
#define NEAR_COPY_MIN_SHINGLES 6
/* Two texts are near-copies from this similarity on (tools/near_copy_pairs.c measures it). */
#define NEAR_COPY_THRESHOLD 0.5

typedef struct near_copy_sketch {
    uint64_t hash[NEAR_COPY_SKETCH]; /* ascending */
    unsigned n;                      /* hashes held */
    unsigned shingles;               /* distinct shingles in the whole text (capped at UINT_MAX) */
} near_copy_sketch;

/* The sketch of text[0..len) with shingles of `words` words (NEAR_COPY_WORDS in the server; the
 * measuring tool tries others). 0, or -1 if out of memory. */
int near_copy_sketch_of(const char *text, size_t len, unsigned words, near_copy_sketch *out);

/* The Jaccard similarity of the two texts' shingle sets, exact when both have at most
 * NEAR_COPY_SKETCH shingles, the bottom-k estimate beyond; 0 when either text is too short. */
double near_copy_similarity(const near_copy_sketch *a, const near_copy_sketch *b);

#endif
