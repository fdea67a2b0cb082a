/* explain_units.h - the units an explanation is made of (a word, a signal, the article, the
 * author...), gathered by the base model's part (explain.c) and the site model's part of an adapted
 * bundle (explain_site.c), then ranked into cg_reason entries. */
#ifndef CG_EXPLAIN_UNITS_H
#define CG_EXPLAIN_UNITS_H

#include "bundle.h"

/* Units that are not words: the dense signals (CG_SIG_*, below CG_NUM_SIGNALS), then these. */
enum {
    CG_UNIT_ARTICLE = CG_NUM_SIGNALS, /* the relevance features together */
    CG_UNIT_LEXICON,                  /* the lexicon signals together */
    CG_UNIT_TOPICALITY,               /* the topicality stage: the comment is about something else */
    CG_UNIT_BELONGS,                  /* the topicality stage's way back: it shares the article's subject */
    CG_UNIT_WRITING,                  /* site model: character n-grams of spaces, punctuation, markup */
    CG_UNIT_AUTHOR_NAME,              /* site model: the author's fields, in cg_comment's order */
    CG_UNIT_AUTHOR_URL,
    CG_UNIT_AUTHOR_EMAIL,
    CG_UNIT_KINDS
};

struct cg_unit {
    double weight;   /* its push toward the label */
    int signal;      /* -1 for a word, else one of the kinds above */
    size_t text, len; /* a word: its text at ws->reason_text + text, len bytes and a NUL */
    long start, end; /* a word: its bytes in the comment, or -1 and -1 while not known */
};

/* The units gathered so far: ws->units[0..n), their word texts in ws->reason_text[0..text_used),
 * the words indexed by ws->word_units (n_words of them), the other kinds by kind_unit (unit + 1, 0
 * while there is none). Start with {ws} and nothing else. */
typedef struct cg_explanation {
    cg_workspace *ws;
    size_t n, n_words;
    size_t text_used;
    size_t kind_unit[CG_UNIT_KINDS];
} cg_explanation;

/* The weight of feature `index` toward class `label`: its terms in the label's one-against-one
 * decision values, with the sign that favours the label. */
double cg_feature_push(const cg_svm *svm, int index, int label);

/* The value of feature `index` in the vector ws->nodes holds (sorted by index; 0 if absent). */
double cg_feature_value(const cg_workspace *ws, int index);

/* Add `weight` to the unit of that kind (not a word), making it if needed. */
cg_status cg_unit_add(cg_explanation *e, int signal, double weight);

/* Add `weight` to the word word[0..len) (compared byte for byte), making its unit if needed; a new
 * unit takes [start, end) (-1, -1 if unknown), a known one keeps the first span it was given. */
cg_status cg_unit_add_word(cg_explanation *e, const char *word, size_t len, double weight, long start, long end);

/*
 * The words of the comment last extracted into ws by ex (ws->tokens, ws->norm, and its vector in
 * ws->nodes, read by svm): each token's share of the hashed features' push toward label, times
 * scale. A slot shared by several tokens is split by their share of its raw count; a word's push is
 * its unigram, its character n-grams and the bigram it ends.
 */
cg_status cg_unit_add_tokens(cg_explanation *e, const cg_extractor *ex, const cg_svm *svm, int label, double scale);

/* The dense features of that vector, times scale: each signal, the relevance features together
 * (CG_UNIT_ARTICLE) and the lexicon's together (CG_UNIT_LEXICON). */
cg_status cg_unit_add_dense(cg_explanation *e, const cg_extractor_config *c, const cg_svm *svm, int label, double scale);

#endif
