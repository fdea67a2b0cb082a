/* analyse.h - the extractor (its settings, stored in every bundle, and the feature index layout),
 * and text analysed into hashed slots (analyse.c): the common first step of a comment's vector
 * (extract.h) and an article (relevance.h). */
#ifndef CG_ANALYSE_H
#define CG_ANALYSE_H

#include "stopwords.h"
#include "tokenize.h"
#include "workspace.h"

/* Dense signals that follow the hashed block; their order is part of the model format. (There is
 * deliberately no "obfuscation undone" signal: spam in the training data is often obfuscated, so such
 * a signal taught the model that a disguised insult is spam, undoing the folding; measured with
 * tools/adversarial.py.) */
enum {
    CG_SIG_LENGTH,      /* log length */
    CG_SIG_UPPER,       /* share of capitals among letters */
    CG_SIG_DIGITS,      /* share of digits */
    CG_SIG_URLS,        /* URL tokens */
    CG_SIG_EMAILS,      /* e-mail addresses */
    CG_SIG_MENTIONS,    /* @mentions */
    CG_SIG_PHONES,      /* phone numbers */
    CG_SIG_MONEY,       /* money amounts */
    CG_SIG_IMAGES,      /* <img> tags */
    CG_SIG_ANCHORS,     /* <a href> tags */
    CG_SIG_ELONGATIONS, /* "stuuupid" */
    CG_SIG_EXCLAIMS,    /* '!' and '?' */
    CG_SIG_INVALID,     /* invalid UTF-8 and NUL bytes */
    CG_NUM_SIGNALS
};

/* Reserved for relevance.c: comment-versus-article features. */
#define CG_NUM_RELEVANCE 24

/* Signals from the bundle's lexicon (lexicon.h), after the relevance features; a bundle without a
 * lexicon never sets them, so bundles from before them read the same. */
enum {
    CG_LEX_HITS,      /* occurrences of lexicon entries */
    CG_NUM_LEXICON
};

/* What a key of the lexicon's table is (cg_extractor.lexicon_kind). CG_LEXICON_UNMARKED: a word of
 * the lexicon's [unmarked] section (lexicon.h), left out of the n-gram features (or "<group>" in
 * them: group_placeholder); CG_LEXICON_PROMOTION:
 * an entry of its [promotion] section, a phrase of a promotional call to action, and
 * CG_LEXICON_PROMOTION_PAIR_START the first word of such a phrase of two words. */
enum {
    CG_LEXICON_ENTRY = 1,
    CG_LEXICON_PAIR_START = 2,
    CG_LEXICON_UNMARKED = 4,
    CG_LEXICON_PROMOTION = 8,
    CG_LEXICON_PROMOTION_PAIR_START = 16
};

/* The extractor settings; stored in every model bundle (bundle.c) so that a model is always used
 * with the extractor it was trained with. */
typedef struct cg_extractor_config {
    unsigned hash_bits;   /* the hashed block has 2^hash_bits slots (10..24) */
    uint64_t seed;        /* of xxHash */
    unsigned word_ngrams; /* 1: unigrams, 2: and bigrams, 3: and trigrams */
    unsigned char_min;    /* character n-grams within words, from char_min to char_max code points */
    unsigned char_max;    /* (0 and 0: none) */
    double char_weight;   /* weight of a character n-gram relative to a word n-gram */
    double signal_weight; /* scale of the dense signals relative to the unit-length hashed block */
    unsigned length_signal; /* 1: the log-length signal among them (the default); 0: left out, so that
                               length alone is never evidence (a source of long spam teaches it) */
    unsigned group_placeholder; /* 1: an unmarked word (lexicon.h) stands in the word bigrams and trigrams as
                                   the one token "<group>"; 0 (the default, and bundles from before it): it is
                                   left out of them */
    double relevance_weight; /* scale of the relevance features */
    double relevance_center[CG_NUM_RELEVANCE]; /* subtracted from each relevance feature */
    char lexicon[4096]; /* the lexicon file's path, "" for none; read by cg_lexicon_load, not by
                           cg_extractor_init (a bundle names its copy, bundle.c) */
} cg_extractor_config;

/* The defaults used by `commentguard train` when no option overrides them. */
void cg_extractor_config_default(cg_extractor_config *config);

/* NULL if the settings are usable, else why not (static string). */
const char *cg_extractor_config_check(const cg_extractor_config *config);

typedef struct cg_extractor {
    cg_extractor_config config;
    cg_patterns *patterns;
    uint64_t stopwords[CG_NUM_STOPWORDS]; /* cg_stopwords_pack: packed function words, ascending */
    /* cg_lexicon_load: the lexicon as an open-addressing hash set, NULL if there is none. It holds the
     * key of each entry (cg_lexicon_key) and the unigram hash of the first word of each two-word entry,
     * lexicon_kind telling which (CG_LEXICON_* bits); a key's probe starts at key & lexicon_mask, and a
     * slot holding 0 is empty. */
    uint64_t *lexicon_keys;
    unsigned char *lexicon_kind;
    size_t lexicon_mask;
    size_t n_lexicon;  /* entries */
    size_t n_unmarked; /* unmarked words */
    size_t n_promotion; /* promotional phrases */
} cg_extractor;

/* The CG_LEXICON_* bits of key in the extractor's lexicon table (which must exist), 0 if it is not there. */
static inline unsigned cg_lexicon_kind(const cg_extractor *ex, uint64_t key)
{
    for (size_t s = key & ex->lexicon_mask; ex->lexicon_keys[s] != 0; s = (s + 1) & ex->lexicon_mask)
        if (ex->lexicon_keys[s] == key)
            return ex->lexicon_kind[s];
    return 0;
}

cg_status cg_extractor_init(cg_extractor *ex, const cg_extractor_config *config, char *err, size_t errlen);
void cg_extractor_destroy(cg_extractor *ex);

/* Feature index layout (libsvm indices start at 1). */
static inline int cg_signal_base(const cg_extractor_config *c) { return (1 << c->hash_bits) + 1; }
static inline int cg_relevance_base(const cg_extractor_config *c) { return cg_signal_base(c) + CG_NUM_SIGNALS; }
static inline int cg_lexicon_base(const cg_extractor_config *c) { return cg_relevance_base(c) + CG_NUM_RELEVANCE; }
static inline int cg_feature_dim(const cg_extractor_config *c) { return cg_lexicon_base(c) + CG_NUM_LEXICON - 1; }

/* The hash of a link or e-mail domain, as it enters the hashed block. */
uint64_t cg_domain_hash(const cg_extractor_config *c, const char *domain, size_t len);

/* The hash of the word bigram of two word hashes, as in the hashed block and the lexicon. */
uint64_t cg_bigram_hash(const cg_extractor_config *c, uint64_t first, uint64_t second);

/* Whether word token i of the text last analysed into ws ends a phrase of the lexicon's [promotion]
 * section: is one, or is the second word of one (the "<promotion>" feature's occurrences). Inline:
 * asked for every word, and answered from its bits and its neighbour's but for a rare pair (only a
 * word has lexicon bits). */
static inline int cg_ends_promotion(const cg_extractor *ex, const cg_workspace *ws, size_t i)
{
    if (ws->token_lexicon[i] & CG_LEXICON_PROMOTION)
        return 1;
    return i > 0 && (ws->token_lexicon[i - 1] & CG_LEXICON_PROMOTION_PAIR_START) &&
           (cg_lexicon_kind(ex, cg_bigram_hash(&ex->config, ws->token_hash[i - 1], ws->token_hash[i])) &
            CG_LEXICON_PROMOTION);
}

/* The first half of cg_extract (extract.h): normalise, tokenise and hash text into ws
 * (ws->token_hash and the touched slots of ws->acc, not yet weighted). Used for articles too. */
cg_status cg_analyse(const cg_extractor *ex, cg_workspace *ws, const char *text, size_t len);

/* The hashed slots (0-based; the feature index is slot + 1) that token i of the text last analysed
 * into ws contributes to, with the weight each adds (1, or char_weight for a character n-gram), in
 * slot[] and weight[] of room cg_token_slot_bound(config); returns how many. For explanations. */
size_t cg_token_slots(const cg_extractor *ex, cg_workspace *ws, size_t i, uint32_t *slot, float *weight);
size_t cg_token_slot_bound(const cg_extractor_config *c);

/* The key under which a lexicon entry of the text last analysed into ws is kept: that of its one or
 * two word tokens as a unigram or bigram. */
uint64_t cg_lexicon_key(const cg_extractor *ex, const cg_workspace *ws);

/* Reset the slots of ws->acc that cg_analyse touched, for a caller that stops after it. */
void cg_clear_accumulator(cg_workspace *ws);

#endif
