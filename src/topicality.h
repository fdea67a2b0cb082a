/* topicality.h - whether a comment is about its article or about something else (topicality.c).
 *
 * A stage after the base model, used only when an article is given: a comment that carries content
 * of its own (rare words: a question about a plumber, a football result) and shares none of it with
 * the article is likely misplaced, while a comment that says nothing specific ("Thanks, very
 * helpful!") is fine under any article. Words are compared by their first stem_chars characters
 * ("clustering" and "cluster" meet), weighted by their inverse document frequency from a table of
 * the training data (topic.idf). The stage's probability that the comment is misplaced,
 *
 *     m = strength * gate(A) * sigmoid(b0 + b1 ln(1 + mass) + b2 cosine + b3 ln(1 + A) + b4 cosine ln(1 + A)),
 *     gate(A) = 1 / (1 + (article_mass_half / A)^8)   (1 when article_mass_half is 0),
 *
 * (mass: the summed IDF of the comment's distinct stems; A: the same of the article's; cosine: of
 * the comment's and the article's IDF-weighted stem sets) moves probability to off-topic as
 * "off-topic by the base, or misplaced": P(off-topic) becomes p + (1 - p) m, the other classes
 * shrink by (1 - m). strength bounds how far one comment can move; the gate makes it depend on how
 * much the article says: a title and a line (small A) is weak evidence that a comment sharing none
 * of its words is about something else, a news story or a long thread (large A) is strong.
 *
 * The other way: a comment that shares content with a long article is about it, so the stage also
 * moves a share
 *
 *     r = belong_strength * gate_b(A) * min(1, cosine / belong_cosine),
 *     gate_b(A) = 1 / (1 + (belong_mass_half / A)^8)   (1 when belong_mass_half is 0),
 *
 * of what is left on off-topic back to on-topic (abusive untouched): articles rank comments about
 * them below comments about something else, whatever the model made of their form. Its gate is its
 * own: sharing content with a title and a line already says something, while sharing none says
 * little. A comment that calls readers elsewhere (a promotional phrase of the lexicon, or a link or
 * e-mail address of its own) gets r = 0: spam that echoes the post's words to look relevant is the
 * commonest blog spam, and echoing them is what the way back rewards. A stage without
 * belong_strength (fitted before it) has r = 0; one without belong_mass_half has the gate of m.
 *
 * Stored as bundle.json's "topicality" object (models/README.md) and the table file it names;
 * `commentguard topicality` fits both (training/topicality_fit.c). A stage of 3 coefficients and
 * no article_mass_half (bundles before the gate) has b3 = b4 = 0 and no gate. */
#ifndef CG_TOPICALITY_H
#define CG_TOPICALITY_H

#include "relevance.h"

#define CG_TOPIC_TABLE "topic.idf" /* "documents N", then "stem TAB df" lines */
#define CG_TOPIC_COEFS 5 /* b0, b1 (of ln(1 + mass)), b2 (of the cosine), b3 (of ln(1 + A)), b4 (of cosine ln(1 + A)) */
#define CG_TOPIC_OLD_COEFS 3 /* what a stage without the article's mass lists: b3 = b4 = 0 */
#define CG_TOPIC_GATE_POWER 8.0 /* steep: from ~0 to ~1 between a title and a line and a whole thread */
#define CG_TOPIC_MAX_STEM_CHARS 16

typedef struct cg_topicality {
    unsigned stem_chars;         /* characters a word is cut to */
    double coef[CG_TOPIC_COEFS]; /* b0 .. b4 */
    double strength;             /* 0..1: the largest m */
    double article_mass_half;    /* the article mass A at which the gate is 1/2; 0: no gate */
    double belong_strength;      /* 0..1: the largest r; 0: the stage only raises off-topic */
    double belong_cosine;        /* the cosine from which r is belong_strength * gate_b(A) */
    double belong_mass_half;     /* gate_b's half point; 0: no gate */
    double documents;            /* of the table's data */
    double unknown_idf;          /* a stem the table lacks: as rare as a stem of one document */
    /* the table: stem hashes in an open-addressing set at most half full (a key of 0 is empty),
     * with each stem's IDF */
    uint64_t *keys;
    float *idf;
    size_t mask;
    size_t n_stems;
} cg_topicality;

/* What the stage measures of a comment under an article. */
typedef struct cg_topic_measure {
    double mass;   /* summed IDF of the comment's distinct stems */
    double cosine; /* of the comment's and the article's IDF-weighted stem sets */
    double article_mass; /* summed IDF of the article's distinct stems */
    int calls_elsewhere; /* the comment has a promotional phrase, a link or an e-mail address */
} cg_topic_measure;

/* The length in bytes of token i's stem in ws (cut to stem_chars characters), or 0 if the token is
 * no content word (a word token of two or more bytes that is not a function word). */
size_t cg_topic_stem_len(const cg_extractor *ex, const cg_workspace *ws, size_t i, unsigned stem_chars);

/* The hash under which a stem is kept (never 0). */
uint64_t cg_topic_stem_hash(const char *stem, size_t len);

/* Parse a table (the text of topic.idf, from file `path`, for messages) into t's table: t's other
 * fields are left alone. Errors name path:line. */
cg_status cg_topicality_parse_table(cg_topicality *t, const char *text, size_t len, const char *path, char *err,
                                    size_t errlen);

/* Read bundle.json's "topicality" object of bundle dir and its table into *out (NULL when the bundle
 * has none). A bad value or table is CG_ERR_FORMAT with the file (and line) in err. */
cg_status cg_topicality_load(const char *dir, cg_topicality **out, char *err, size_t errlen);

void cg_topicality_free(cg_topicality *t);

/* Keep the article last analysed into ws (its tokens) as its stem set in a. */
cg_status cg_topicality_article(const cg_topicality *t, const cg_extractor *ex, cg_workspace *ws,
                                struct cg_article *a);

/* Measure the comment last analysed into ws against a (whose stem set cg_topicality_article made);
 * uses ws->rel_scratch. CG_ERR_NOMEM if scratch memory ran out. */
cg_status cg_topicality_measure(const cg_topicality *t, const cg_extractor *ex, cg_workspace *ws,
                                const struct cg_article *a, cg_topic_measure *out);

/* The gate's value for an article of mass A (see above). */
double cg_topicality_gate(const cg_topicality *t, double article_mass);

/* The stage's m for a measure. */
double cg_topicality_misplaced(const cg_topicality *t, const cg_topic_measure *measure);

/* The stage's r for a measure: the share of P(off-topic) that goes back to on-topic. */
double cg_topicality_belongs(const cg_topicality *t, const cg_topic_measure *measure);

/* Move probability to off-topic by m, then back to on-topic by r (see above). */
void cg_topicality_apply(double m, double r, double prob[CG_NUM_CLASSES]);

/* The stage applied to prob for a measure: cg_topicality_apply with its m and r. */
void cg_topicality_adjust(const cg_topicality *t, const cg_topic_measure *measure, double prob[CG_NUM_CLASSES]);

#endif
