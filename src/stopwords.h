/* stopwords.h - the function words (stopwords.c), packed into integers for a fast lookup. */
#ifndef CG_STOPWORDS_H
#define CG_STOPWORDS_H

#include <stddef.h>
#include <stdint.h>

#define CG_NUM_STOPWORDS 128

/* Fill keys[0..CG_NUM_STOPWORDS) with the function words, packed and ascending. */
void cg_stopwords_pack(uint64_t *keys);

/* Whether w[0..len) is one of the function words in keys (as cg_stopwords_pack fills them). */
int cg_stopword_find(const uint64_t keys[CG_NUM_STOPWORDS], const char *w, size_t len);

#endif
