/* relevance.h - how well a comment fits the article it answers. */
#ifndef CG_RELEVANCE_H
#define CG_RELEVANCE_H

#include "analyse.h"

/* An analysed article: what relevance features compare a comment with. Read-only once built.
 * Words and slots are in open-addressing hash tables (at most a quarter full, a weight of 0 marks an
 * empty place: every present weight is positive), because each comment looks up hundreds of slots
 * and nearly all of them are missing: an empty place ends a lookup after one or two probes. */
struct cg_article {
    const void *owner;   /* the extractor it was analysed with */
    uint64_t *word_key;  /* distinct content-word hashes */
    float *word_weight;  /* their sublinear tf, the vector of unit length; 0: empty place */
    size_t word_mask;    /* table size - 1 (a power of two) */
    struct cg_article_slot {
        uint32_t slot;   /* one of the article's hashed feature slots */
        float weight;    /* its value, the vector of unit length; 0: empty place */
    } *slots;            /* side by side: a lookup reads one cache line */
    size_t slot_mask;
    uint64_t *domains;   /* hashes of link and e-mail domains, ascending */
    size_t n_domains;
    /* topicality.h: the distinct stems of the article, ascending, with their IDF (NULL unless the
     * model has a topicality stage) */
    uint64_t *topic_stems;
    float *topic_idf;
    size_t n_topic_stems;
    double topic_norm;
    double topic_mass; /* summed IDF of those stems */
};

/* Analyse article text with ex (using ws as scratch) into a new article. */
cg_status cg_article_build(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len,
                           struct cg_article **out);
void cg_article_destroy(struct cg_article *article);

#define CG_REL_BIN_EDGES 3
#define CG_REL_BINS (CG_REL_BIN_EDGES + 1)

/* The relevance features; their order is part of the model format. "Content words" are word
 * tokens of two or more bytes that are not function words. */
enum {
    CG_REL_WORD_COSINE,       /* cosine of the content-word vectors */
    CG_REL_NGRAM_COSINE,      /* cosine of the whole hashed vectors (words and character n-grams) */
    CG_REL_COVERAGE,          /* share of the comment's distinct content words found in the article */
    CG_REL_WEIGHTED_COVERAGE, /* their mean weight in the article's content-word vector */
    CG_REL_FOREIGN_LINKS,     /* link and e-mail domains the article does not mention */
    CG_REL_WORD_COSINE_BINS,  /* the first three again, one-hot in CG_REL_BINS bins each */
    CG_REL_NGRAM_COSINE_BINS = CG_REL_WORD_COSINE_BINS + CG_REL_BINS,
    CG_REL_COVERAGE_BINS = CG_REL_NGRAM_COSINE_BINS + CG_REL_BINS,
    CG_REL_COUNT = CG_REL_COVERAGE_BINS + CG_REL_BINS
};
_Static_assert(CG_REL_COUNT <= CG_NUM_RELEVANCE, "relevance features overflow their index range");

/* The weight of a hashed feature slot in the article's unit-length block, 0 if the article lacks it.
 * Inline: cg_extract looks up every slot of a comment. The keys are hashes already (slots are
 * hashed n-grams), so their low bits index the table directly. */
static inline float cg_article_slot_weight(const struct cg_article *a, uint32_t slot)
{
    for (size_t i = (size_t)slot & a->slot_mask;; i = (i + 1) & a->slot_mask) {
        if (a->slots[i].weight == 0.0f || a->slots[i].slot == slot)
            return a->slots[i].weight;
    }
}

/*
 * Fill rel[0..CG_NUM_RELEVANCE) for the comment just analysed into ws (cg_analyse) against
 * article, given the cosine of the comment's and the article's hashed blocks (cg_extract computes
 * it while building the comment's block). The values are before centring: the caller subtracts
 * config.relevance_center, the mean of each feature over the training rows that had an article,
 * so that 0 means "as related as an average comment with an article": a comment without an
 * article gets all zeros, and the model cannot learn "an article is present" from these
 * features. Uses ws->tokens, ws->token_hash and ws->rel_scratch.
 */
void cg_relevance(const cg_extractor *ex, cg_workspace *ws, const struct cg_article *a, double ngram_cosine,
                  double *rel);

#endif
