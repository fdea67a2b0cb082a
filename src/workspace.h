/* workspace.h - per-thread scratch memory shared by the pipeline stages. Private to the library. */
#ifndef CG_WORKSPACE_H
#define CG_WORKSPACE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <svm.h>

#include "commentguard.h"
#include "svm_types.h"

/* Counts gathered while normalising one text; extract.c turns them into dense signals. */
typedef struct cg_text_stats {
    uint32_t chars;       /* code points of visible text, after markup is removed */
    uint32_t letters;     /* letters among them */
    uint32_t upper;       /* upper-case letters as written */
    uint32_t digits;
    uint32_t invalid;     /* invalid UTF-8 sequences and NUL bytes */
    uint32_t images;      /* <img> tags */
    uint32_t anchors;     /* <a href> tags */
    uint32_t elongations; /* runs of one letter repeated three or more times */
    uint32_t exclaims;    /* '!' and '?' */
    uint32_t folded;      /* obfuscations undone (confusables, leetspeak, separated letters) */
} cg_text_stats;

typedef enum cg_token_kind {
    CG_TOK_WORD = 0,
    CG_TOK_URL,
    CG_TOK_EMAIL,
    CG_TOK_MENTION,
    CG_TOK_PHONE,
    CG_TOK_MONEY,
    CG_TOK_NUMBER,
    CG_TOK_PUNCT_RUN,
    CG_TOK_KINDS
} cg_token_kind;

typedef struct cg_token {
    uint32_t start;       /* byte offset into the normalised text */
    uint32_t len;         /* bytes */
    uint8_t kind;         /* cg_token_kind */
    uint16_t cache_entry; /* analyse.c: the first entry of a word's set in the word cache */
} cg_token;

/*
 * analyse.c's cache of what a word token contributes (word_cache.h), by its text: the hash of the
 * word as folded (fold.h), the foldings cg_fold_word counted, and the slots of its character n-grams
 * (in the order they are added, each with analyse.c's flag). Words recur: a hit skips the folding and
 * the hashing. Two-way set-associative, a miss replacing the entry of its set used longer ago (corpus
 * dev: 46,915 misses, 62,677 direct-mapped in the same memory; a miss costs ~1,200 instructions,
 * so 1.6% of `score`'s, measured with tools/profile.py); tied to the extractor settings it was
 * filled with (word_cache_config). It relies on cg_fold_word depending on the word's bytes alone,
 * as its interface says.
 */
#define CG_WORD_CACHE_SIZE 16384 /* entries, a power of two, at most 65536 (cg_token.cache_entry) */
#define CG_WORD_CACHE_WAYS 2     /* entries a word may be in (a set's entries are adjacent) */
#define CG_WORD_CACHE_KEY 15    /* longest token cached, in bytes */
#define CG_WORD_CACHE_SLOTS 58  /* most character n-grams of a cached word */
#define CG_WORD_CACHE_BLOCK 16  /* slots are copied out in whole blocks of this many */

typedef struct cg_word_entry {
    uint64_t unigram;
    uint64_t key[2]; /* the token's bytes, zero-padded to 16 bytes (word_cache.h: cg_word_key) */
    uint8_t len;     /* of the token; 0 for an empty entry */
    uint8_t recent;  /* in a set's first entry: which of its entries was used last */
    uint16_t n_slots, folded;
    /* room for the last block's whole copy */
    uint32_t slots[(CG_WORD_CACHE_SLOTS + CG_WORD_CACHE_BLOCK - 1) / CG_WORD_CACHE_BLOCK * CG_WORD_CACHE_BLOCK];
} cg_word_entry;

/* Bytes that ws->norm has past its terminating NUL, so that a cached word's 16 bytes can be read at
 * once (word_cache.h: cg_word_key) wherever the word starts. */
#define CG_NORM_SLACK 15

/* Whole term counts below this have their sublinear weight looked up rather than computed. */
#define CG_LOG_TABLE 256

struct cg_workspace {
    /* normalize.c */
    uint32_t *cps; /* code points of the text being normalised */
    size_t cps_cap;
    char *norm; /* normalised UTF-8 text, NUL-terminated, with CG_NORM_SLACK bytes' room after */
    size_t norm_len, norm_cap;
    cg_text_stats stats;
    int non_ascii; /* a code point beyond ASCII was read (ASCII text takes shorter paths) */
    int maybe_leet; /* an ASCII character that leetspeak is made of was read (fold.h: cg_fold_ascii) */

    /* tokenize.c */
    cg_token *tokens;
    size_t n_tokens, tokens_cap;
    pcre2_match_data *match;
    pcre2_match_context *match_ctx;

    /* analyse.c: the hash of each token as a unigram (shared by bigrams and relevance.c) */
    uint64_t *token_hash;
    size_t token_hash_cap;
    uint8_t *token_lexicon; /* analyse.c: a word token's CG_LEXICON_* bits (analyse.h), looked up once; 0 for
                               any other token */
    size_t token_lexicon_cap;
    uint64_t *rel_scratch; /* relevance.c: the comment's word hashes, sorted */
    size_t rel_scratch_cap;
    /* analyse.c: a dense accumulator over the hashed space and the list of slots touched */
    float *acc;
    size_t acc_dim;
    uint32_t *touched;
    size_t n_touched, touched_cap;
    cg_word_entry *word_cache; /* analyse.c: CG_WORD_CACHE_SIZE entries, or NULL */
    uint64_t word_cache_config[2]; /* the seed, and hash_bits and the char n-gram range, it holds */
    /* extract.c for cg_analyse (cg_extract_sums): where slot k's weights start, CG_WEIGHT_STRIDE doubles
     * a slot, for their cache lines to be asked for as the slots are added up; NULL: none */
    const double *prefetch_weights;
    uint32_t *sort_tmp; /* extract.c: room to sort the touched slots */
    size_t sort_tmp_cap;
    uint64_t *slot_bits;  /* extract.c: a bitmap of the hashed space, to sort the touched slots (all clear */
    uint64_t *slot_words; /* between comments), and a summary of its words: bit w set if word w is not 0 */
    size_t slot_words_len, slot_bits_dim; /* words of the summary; slots the bitmap covers (0: none yet) */
    uint32_t *site_slots; /* site_features.c: the slots of a text's character n-grams, to sort */
    size_t site_slots_cap;
    struct svm_node *nodes; /* the finished sparse vector, terminated by index -1 */
    size_t n_nodes, nodes_cap;
    double log_table[2 * CG_LOG_TABLE]; /* cg_sublinear: at 2c, the weight of counts c in [0, CG_LOG_TABLE)
                                           that are whole or halves */

    /* explain_units.c: one entry per explained unit (word, signal...), and the text of the reasons */
    struct cg_unit *units;
    size_t units_cap;
    char *reason_text;
    size_t reason_text_cap;
    size_t *word_units; /* explain_units.c: an open-addressing index of the word units (unit + 1, 0 empty) */
    size_t word_units_cap;

    double threshold[CG_NUM_CLASSES];
    /* classify.c: score from sorted vectors (cg_extract) even with a linear model, whose decision
     * values are otherwise summed during extraction (cg_extract_sums, no vector): set by explain.c,
     * which reads the vector, and by the checks that the two agree (tests/test_differential.c,
     * tools/order_check.c). */
    int sorted_nodes;
    char error[256];
};

/* A workspace not tied to any model, for the training tool. */
cg_status cg_workspace_create(cg_workspace **out);

/* Sublinear term frequency: 1 + ln(count) for counts of at least 1. Small counts in steps of a half
 * (a character n-gram counts char_weight, by default 0.5), the usual case, come from the workspace's
 * table of the same values. */
static inline double cg_sublinear(const cg_workspace *ws, double count)
{
    if (count < 1.0)
        return count;
    double twice = count + count; /* exact */
    if (twice < 2 * CG_LOG_TABLE && twice == (double)(unsigned)twice)
        return ws->log_table[(unsigned)twice];
    return 1.0 + log(count);
}

/* cg_sublinear of a count of the accumulator (analyse.c), whose counts below `table_below` are known
 * to be multiples of a half (table_below: CG_LOG_TABLE if every count is, else 0): those go straight
 * to the table, the same values without cg_sublinear's tests (measured with tools/profile.py: 1,500
 * fewer instructions a comment, 2.8% of `score`'s). */
static inline double cg_sublinear_acc(const cg_workspace *ws, float count, float table_below)
{
    if (count < table_below)
        return ws->log_table[(int64_t)(count + count)]; /* a signed 64-bit index: one instruction */
    return cg_sublinear(ws, count);
}

/* The bitmap of slot_bits and its summary for a hashed space of 2^hash_bits slots, all clear. */
cg_status cg_slot_bitmap(cg_workspace *ws, unsigned hash_bits);

/* Make room for at least `n` elements of size `size` in *buf (capacity *cap). */
cg_status cg_grow(void **buf, size_t *cap, size_t n, size_t size);

/* Record an error message in the workspace and return `status`. printf-style. */
cg_status cg_fail(cg_workspace *ws, cg_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
