/* site_features.h - what the site model of an adapted bundle reads of a comment: the features of
 * its own extractor settings, character n-grams across the whole normalised text, and the author. */
#ifndef CG_SITE_FEATURES_H
#define CG_SITE_FEATURES_H

#include "extract.h"

#define CG_SITE_TEXT_BITS 16   /* the text's character n-grams: 2^16 hashed slots after the extractor's */
#define CG_SITE_AUTHOR_BITS 12 /* the author block: 2^12 hashed slots after those */

typedef struct cg_site_features {
    unsigned text_min, text_max; /* character n-grams across the whole normalised text, spaces and
                                    punctuation included (0 and 0: none), from text_min to text_max
                                    code points: unlike the extractor's, they cross word boundaries */
    double text_weight;          /* the length of that block (it is L2-normalised, then scaled) */
    int use_idf;                 /* the bundle keeps the inverse document frequencies (site.idf) */
    const float *idf;            /* NULL: each n-gram counts 1 + ln(count); else it counts its slot's
                                    inverse document frequency among the site's rows, idf[slot]
                                    (2^CG_SITE_TEXT_BITS of them), once however often it occurs */
    double author_weight;        /* the value of each author feature (0: none) */
} cg_site_features;

/* The inverse document frequency of a slot found in df of n rows: ln((1 + n) / (1 + df)) + 1. */
float cg_site_idf(double df, double n);

/* NULL if the settings are usable, else why not (static string). */
const char *cg_site_features_check(const cg_site_features *f);

/* Feature index bound of a site model with extractor settings c. */
int cg_site_dim(const cg_extractor_config *c);

/* Room enough for the character n-grams (cg_site_text_ngrams) of the text s[0..len). */
size_t cg_site_text_ngram_bound(const cg_site_features *f, const char *s, size_t len);

/*
 * The character n-grams of the text as written, from f->text_min to f->text_max code points (a byte
 * that is not part of valid UTF-8 counts as one): each one's hashed slot in slot[], in the order
 * they start, and, when start is not NULL, its bytes [start[k], end[k]) in s. Returns their number.
 */
size_t cg_site_text_ngrams(const cg_extractor_config *c, const cg_site_features *f, const char *s, size_t len,
                           uint32_t *slot, uint32_t *start, uint32_t *end);

/*
 * The site model's vector of a comment in ws->nodes (terminated by index -1): the extractor's
 * features of the text (no article); then the text's character n-grams, counted as f->idf says
 * and L2-normalised to length text_weight; then one feature of value author_weight
 * for each of: the author's name (case-folded, spaces squeezed), the host of author_url (lower
 * case, "www." dropped), the domain of author_email, and the presence of each, each kind hashed
 * apart. The author strings may be NULL or empty.
 */
cg_status cg_site_vector(const cg_extractor *ex, const cg_site_features *f, cg_workspace *ws, const cg_comment *c);

#endif
