/*
 * test_extract.c - cg_extract (src/analyse.c, src/extract.c, src/relevance.c): exact feature
 * vectors for small inputs, recomputed here independently with XXH3_64bits_withSeed from the
 * scheme documented in analyse.c; the dense signals and the lexicon signal; relevance features against an article; and
 * properties that must hold for any text (ascending indices, unit-length hashed block, index
 * ranges, determinism, invariance under case and width).
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "dataset.h"
#include "extract.h"
#include "lexicon.h"
#include "relevance.h"
#include "workspace.h"

/*
 * The salts analyse.c mixes into the seed for each kind of n-gram. They are private to analyse.c
 * but part of the model format (a change silently invalidates every trained model), so they are
 * pinned here.
 */
#define SEED_UNIGRAM 0x9E3779B97F4A7C15ull
#define SEED_BIGRAM 0xC2B2AE3D27D4EB4Full
#define SEED_TRIGRAM 0x165667B19E3779F9ull
#define SEED_CHAR 0xD6E8FEB86659FD93ull
#define SEED_DOMAIN 0xFF51AFD7ED558CCDull

static cg_workspace *ws;
static cg_extractor ex;
static int ex_ready;

static void setup(void)
{
    cr_assert_eq(cg_workspace_create(&ws), CG_OK);
}

static void teardown(void)
{
    if (ex_ready)
        cg_extractor_destroy(&ex);
    ex_ready = 0;
    cg_workspace_free(ws);
}

TestSuite(extract, .init = setup, .fini = teardown);

/* The defaults, on a zeroed struct (see default_config_sets_every_field). */
static cg_extractor_config defaults(void)
{
    cg_extractor_config c;
    memset(&c, 0, sizeof c);
    cg_extractor_config_default(&c);
    return c;
}

/* A config with the defaults, then the given n-gram settings and no dense signals. */
static cg_extractor_config config(unsigned word_ngrams, unsigned char_min, unsigned char_max)
{
    cg_extractor_config c = defaults();
    c.word_ngrams = word_ngrams;
    c.char_min = char_min;
    c.char_max = char_max;
    c.signal_weight = 0;
    return c;
}

static void init(const cg_extractor_config *c)
{
    char err[256] = "";
    if (ex_ready)
        cg_extractor_destroy(&ex);
    cr_assert_eq(cg_extractor_init(&ex, c, err, sizeof err), CG_OK, "%s", err);
    ex_ready = 1;
}

static void extract(const char *text)
{
    cr_assert_eq(cg_extract(&ex, ws, text, strlen(text), NULL), CG_OK, "%s", ws->error);
    cr_assert_eq(ws->nodes[ws->n_nodes].index, -1, "the vector must end with index -1");
}

/* Node arrays are equal index by index and value by value (svm_node has padding: no memcmp). */
static int same_nodes(const struct svm_node *a, const struct svm_node *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].index != b[i].index || a[i].value != b[i].value)
            return 0;
    return 1;
}

/* ---- the reference: what the hashed block should be ---- */

typedef struct ref {
    uint64_t hash[256];
    double weight[256];
    size_t n;
} ref;

static uint64_t h_unigram(const cg_extractor_config *c, const char *s)
{
    return XXH3_64bits_withSeed(s, strlen(s), c->seed ^ SEED_UNIGRAM);
}

static uint64_t h_pair(uint64_t a, uint64_t b, uint64_t seed)
{
    uint64_t pair[2] = {a, b};
    return XXH3_64bits_withSeed(pair, sizeof pair, seed);
}

static void add(ref *r, uint64_t hash, double weight)
{
    cr_assert_lt(r->n, 256);
    r->hash[r->n] = hash;
    r->weight[r->n++] = weight;
}

static void add_char(ref *r, const cg_extractor_config *c, const char *gram)
{
    add(r, XXH3_64bits_withSeed(gram, strlen(gram), c->seed ^ SEED_CHAR), c->char_weight);
}

static void add_domain(ref *r, const cg_extractor_config *c, const char *domain)
{
    add(r, XXH3_64bits_withSeed(domain, strlen(domain), c->seed ^ SEED_DOMAIN), 1.0);
}

/* Word n-grams of a token sequence (class tokens given by their class names). */
static void add_words(ref *r, const cg_extractor_config *c, const char *const *tokens, size_t n)
{
    uint64_t h[64];
    for (size_t i = 0; i < n; i++) {
        h[i] = h_unigram(c, tokens[i]);
        add(r, h[i], 1.0);
        if (c->word_ngrams >= 2 && i >= 1)
            add(r, h_pair(h[i - 1], h[i], c->seed ^ SEED_BIGRAM), 1.0);
        if (c->word_ngrams >= 3 && i >= 2)
            add(r, h_pair(h_pair(h[i - 2], h[i - 1], c->seed ^ SEED_TRIGRAM), h[i], c->seed ^ SEED_TRIGRAM), 1.0);
    }
}

/* Slots with summed weights, sublinear tf, unit length: the nodes the hashed block should hold. */
static size_t reference_nodes(const ref *r, const cg_extractor_config *c, struct svm_node *out)
{
    uint32_t mask = (1u << c->hash_bits) - 1;
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        int index = (int)(r->hash[i] & mask) + 1;
        size_t k = 0;
        while (k < n && out[k].index != index)
            k++;
        if (k == n)
            out[n++] = (struct svm_node){index, 0};
        out[k].value += r->weight[i];
    }
    for (size_t i = 1; i < n; i++) /* insertion sort by index */
        for (size_t j = i; j > 0 && out[j - 1].index > out[j].index; j--) {
            struct svm_node t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    double norm2 = 0;
    for (size_t i = 0; i < n; i++) {
        out[i].value = out[i].value >= 1.0 ? 1.0 + log(out[i].value) : out[i].value;
        norm2 += out[i].value * out[i].value;
    }
    for (size_t i = 0; i < n; i++)
        out[i].value /= sqrt(norm2);
    return n;
}

/* Nodes of ws->nodes within the hashed block. */
static size_t hashed_count(void)
{
    size_t n = 0;
    while (n < ws->n_nodes && ws->nodes[n].index < cg_signal_base(&ex.config))
        n++;
    return n;
}

static void expect_hashed_block(const ref *r)
{
    struct svm_node want[256];
    size_t n = reference_nodes(r, &ex.config, want);
    cr_assert_eq(hashed_count(), n, "hashed block has %zu nodes, expected %zu", hashed_count(), n);
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(ws->nodes[i].index, want[i].index, "node %zu: index %d, expected %d", i, ws->nodes[i].index,
                     want[i].index);
        cr_expect_float_eq(ws->nodes[i].value, want[i].value, 1e-12, "node %zu: value %.17g, expected %.17g", i,
                           ws->nodes[i].value, want[i].value);
    }
}

static int distinct_slots(const ref *r, const cg_extractor_config *c)
{
    uint32_t mask = (1u << c->hash_bits) - 1;
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = i + 1; j < r->n; j++)
            if ((r->hash[i] & mask) == (r->hash[j] & mask) && r->hash[i] != r->hash[j])
                return 0;
    return 1;
}

/* ---- exact vectors ---- */

Test(extract, one_word_with_char_bigrams_gives_four_slots_of_one_half)
{
    cg_extractor_config c = config(1, 2, 2);
    c.char_weight = 1.0; /* character n-grams count as much as words here */
    init(&c);
    extract("ab");
    ref r = {.n = 0};
    add(&r, h_unigram(&c, "ab"), 1);
    add_char(&r, &c, " a");
    add_char(&r, &c, "ab");
    add_char(&r, &c, "b ");
    cr_assert(distinct_slots(&r, &c), "the four hashes collide in 2^18 slots: pick another example");
    cr_assert_eq(ws->n_nodes, 4);
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(ws->nodes[i].value, 0.5, "node %zu is %.17g", i, ws->nodes[i].value);
    expect_hashed_block(&r);
}

/* Character n-grams of every length the settings allow (1 to 8 bytes) hash as XXH3_64bits_withSeed
 * does, whichever way analyse.c computes them. */
Test(extract, char_ngrams_of_every_length_hash_as_xxh3)
{
    cg_extractor_config c = config(1, 1, 8);
    init(&c);
    const char *word = "zqxjkvbwy";
    extract(word);
    ref r = {.n = 0};
    add(&r, h_unigram(&c, word), 1);
    char padded[16], gram[16];
    size_t len = (size_t)snprintf(padded, sizeof padded, " %s ", word);
    for (size_t n = 1; n <= 8; n++)
        for (size_t start = 0; start + n <= len; start++) {
            memcpy(gram, padded + start, n);
            gram[n] = '\0';
            add_char(&r, &c, gram);
        }
    cr_assert(distinct_slots(&r, &c), "the hashes collide in 2^18 slots: pick another example");
    expect_hashed_block(&r);
}

Test(extract, word_unigrams_and_bigrams_with_repeats)
{
    cg_extractor_config c = config(2, 0, 0);
    init(&c);
    extract("The cat saw the CAT.");
    ref r = {.n = 0};
    static const char *const tokens[] = {"the", "cat", "saw", "the", "cat"};
    add_words(&r, &c, tokens, 5);
    expect_hashed_block(&r);
    /* "the", "cat" and "the cat" occur twice: 6 distinct n-grams. */
    cr_assert(distinct_slots(&r, &c));
    cr_expect_eq(ws->n_nodes, 6);
}

Test(extract, word_trigrams)
{
    cg_extractor_config c = config(3, 0, 0);
    init(&c);
    extract("big red bus stops");
    ref r = {.n = 0};
    static const char *const tokens[] = {"big", "red", "bus", "stops"};
    add_words(&r, &c, tokens, 4);
    expect_hashed_block(&r);
    cr_assert(distinct_slots(&r, &c));
    cr_expect_eq(ws->n_nodes, 4 + 3 + 2);
}

Test(extract, class_tokens_and_domains)
{
    cg_extractor_config c = config(2, 2, 3);
    init(&c);
    extract("see http://www.Example.com/x");
    ref r = {.n = 0};
    static const char *const tokens[] = {"see", "<url>"};
    add_words(&r, &c, tokens, 2);
    add_domain(&r, &c, "example.com");
    static const char *const grams[] = {" s", "se", "ee", "e ", " se", "see", "ee "};
    for (size_t i = 0; i < sizeof grams / sizeof grams[0]; i++)
        add_char(&r, &c, grams[i]);
    expect_hashed_block(&r);
    cr_expect_eq(cg_domain_hash(&c, "example.com", 11), XXH3_64bits_withSeed("example.com", 11, c.seed ^ SEED_DOMAIN));
}

Test(extract, email_domain_and_other_classes)
{
    cg_extractor_config c = config(1, 0, 0);
    init(&c);
    extract("sales@cheap.biz +44 7911 123456 $5 @bob 42 !!");
    ref r = {.n = 0};
    static const char *const tokens[] = {"<email>", "<phone>", "<money>", "<mention>", "<number>", "<punct>"};
    add_words(&r, &c, tokens, 6);
    add_domain(&r, &c, "cheap.biz");
    expect_hashed_block(&r);
}

Test(extract, repeated_char_ngram_uses_sublinear_tf)
{
    cg_extractor_config c = config(1, 2, 2);
    init(&c);
    extract("abab");
    ref r = {.n = 0};
    add(&r, h_unigram(&c, "abab"), 1);
    static const char *const grams[] = {" a", "ab", "ba", "ab", "b "};
    for (size_t i = 0; i < 5; i++)
        add_char(&r, &c, grams[i]);
    expect_hashed_block(&r);
}

Test(extract, char_weight_scales_char_ngrams)
{
    cg_extractor_config c = config(1, 2, 2);
    c.char_weight = 0.5;
    init(&c);
    extract("ab");
    ref r = {.n = 0};
    add(&r, h_unigram(&c, "ab"), 1);
    add_char(&r, &c, " a");
    add_char(&r, &c, "ab");
    add_char(&r, &c, "b ");
    cr_assert(distinct_slots(&r, &c));
    expect_hashed_block(&r);
    /* The word slot is 1, each char slot 0.5, before scaling by 1/sqrt(1.75). */
    double word = 1 / sqrt(1.75), chr = 0.5 / sqrt(1.75);
    int n_word = 0, n_char = 0;
    for (size_t i = 0; i < ws->n_nodes; i++) {
        n_word += fabs(ws->nodes[i].value - word) < 1e-12;
        n_char += fabs(ws->nodes[i].value - chr) < 1e-12;
    }
    cr_expect_eq(n_word, 1);
    cr_expect_eq(n_char, 3);
}

/* A char_weight that is no multiple of a half leaves counts that the log table does not hold
 * (cg_sublinear_acc's other path): "ab" three times is 2.25, "ba" twice 1.5, " a" 0.75. */
Test(extract, char_weight_off_the_halves_gives_the_same_sublinear_tf)
{
    cg_extractor_config c = config(1, 2, 2);
    c.char_weight = 0.75;
    init(&c);
    extract("ababab");
    ref r = {.n = 0};
    add(&r, h_unigram(&c, "ababab"), 1);
    static const char *const grams[] = {" a", "ab", "ba", "ab", "ba", "ab", "b "};
    for (size_t i = 0; i < 7; i++)
        add_char(&r, &c, grams[i]);
    expect_hashed_block(&r);
}

Test(extract, char_ngrams_use_code_points_not_bytes)
{
    cg_extractor_config c = config(1, 2, 2);
    init(&c);
    extract("\xD0\xB6\xD1\x88"); /* "жш": two code points, four bytes */
    ref r = {.n = 0};
    add(&r, h_unigram(&c, "\xD0\xB6\xD1\x88"), 1);
    add_char(&r, &c, " \xD0\xB6");
    add_char(&r, &c, "\xD0\xB6\xD1\x88");
    add_char(&r, &c, "\xD1\x88 ");
    expect_hashed_block(&r);
}

Test(extract, a_masked_word_is_one_word_with_its_asterisks)
{
    /* "us*d", which the folding does not read, is one word: its unigram, the bigram with the word
     * before and its character n-grams with the asterisk; no "us" or "d" of their own. */
    cg_extractor_config c = config(2, 2, 3);
    init(&c);
    extract("a US*D bike");
    ref r = {.n = 0};
    static const char *const tokens[] = {"a", "us*d", "bike"};
    add_words(&r, &c, tokens, 3);
    static const char *const grams[] = {" a", "a ", " a ", " u", "us", "s*", "*d", "d ", " us", "us*", "s*d",
                                        "*d ", " b", "bi", "ik", "ke", "e ", " bi", "bik", "ike", "ke "};
    for (size_t i = 0; i < sizeof grams / sizeof grams[0]; i++)
        add_char(&r, &c, grams[i]);
    expect_hashed_block(&r);
}

Test(extract, elongated_words_hash_like_the_plain_word)
{
    cg_extractor_config c = config(2, 2, 4);
    init(&c);
    extract("so stuuuupid");
    struct svm_node a[512];
    size_t na = hashed_count();
    cr_assert_lt(na, 512);
    memcpy(a, ws->nodes, na * sizeof *a);
    extract("so stupid");
    cr_assert_eq(hashed_count(), na);
    for (size_t i = 0; i < na; i++) {
        cr_expect_eq(ws->nodes[i].index, a[i].index);
        cr_expect_eq(ws->nodes[i].value, a[i].value);
    }
}

/* ---- signals ---- */

static double node_value(int index)
{
    for (size_t i = 0; i < ws->n_nodes; i++)
        if (ws->nodes[i].index == index)
            return ws->nodes[i].value;
    return 0.0;
}

Test(extract, signals_length_and_capitals)
{
    cg_extractor_config c = config(1, 0, 0);
    c.signal_weight = 0.5;
    init(&c);
    extract("Hello");
    int base = cg_signal_base(&c);
    cr_expect_float_eq(node_value(base + CG_SIG_LENGTH), 0.5 * log1p(5.0) / log1p(5000.0), 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_UPPER), 0.5 * 0.2, 1e-12);
    /* Nothing else: only two signals are non-zero. */
    cr_expect_eq(ws->n_nodes, hashed_count() + 2);
    /* Fewer than five letters: no share of capitals. */
    extract("HI");
    cr_expect_eq(node_value(base + CG_SIG_UPPER), 0.0);
}

Test(extract, length_signal_can_be_left_out_and_nothing_else_changes)
{
    cg_extractor_config c = config(1, 0, 0);
    c.signal_weight = 0.5;
    cr_expect_eq(c.length_signal, 1, "on by default");
    c.length_signal = 0;
    init(&c);
    extract("Hello");
    int base = cg_signal_base(&c);
    cr_expect_eq(node_value(base + CG_SIG_LENGTH), 0.0);
    cr_expect_float_eq(node_value(base + CG_SIG_UPPER), 0.5 * 0.2, 1e-12);
    cr_expect_eq(ws->n_nodes, hashed_count() + 1, "only the capitals signal");
    c.length_signal = 2;
    cr_expect_str_eq(cg_extractor_config_check(&c), "length_signal must be 0 or 1");
}

Test(extract, signals_count_classed_tokens_and_markup)
{
    cg_extractor_config c = config(1, 0, 0);
    c.signal_weight = 1.0;
    init(&c);
    extract("Call 09061701461 or see www.x.com, email a@b.org, @bob $5 <img src=x> <a href=y.com>z</a>!! "
            "\xFF stuuupid \xD0\xB0");
    int base = cg_signal_base(&c);
    cr_expect_float_eq(node_value(base + CG_SIG_URLS), 2 / 4.0, 1e-12);      /* www.x.com and y.com */
    cr_expect_float_eq(node_value(base + CG_SIG_EMAILS), 1 / 2.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_MENTIONS), 1 / 4.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_PHONES), 1 / 2.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_MONEY), 1 / 2.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_IMAGES), 1 / 4.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_ANCHORS), 1 / 4.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_EXCLAIMS), 2 / 10.0, 1e-12);
    cr_expect_float_eq(node_value(base + CG_SIG_INVALID), 1 / 4.0, 1e-12);
    /* "stuuupid", and "www" (a run of one letter three times, as documented). */
    cr_expect_float_eq(node_value(base + CG_SIG_ELONGATIONS), 2 / 4.0, 1e-12);
    cr_expect_gt(node_value(base + CG_SIG_DIGITS), 0.0);
}

Test(extract, signals_are_capped_at_one)
{
    cg_extractor_config c = config(1, 0, 0);
    c.signal_weight = 1.0;
    init(&c);
    extract("a.com b.com c.com d.com e.com f.com ?!?!?!?!?!?!");
    int base = cg_signal_base(&c);
    cr_expect_eq(node_value(base + CG_SIG_URLS), 1.0);
    cr_expect_eq(node_value(base + CG_SIG_EXCLAIMS), 1.0);
}

Test(extract, zero_signal_weight_gives_no_signals)
{
    cg_extractor_config c = config(1, 0, 0);
    init(&c);
    extract("HELLO WORLD!!! http://x.com");
    cr_expect_eq(ws->n_nodes, hashed_count());
}

/* ---- properties ---- */

static void check_vector_properties(const char *what, int with_relevance)
{
    const cg_extractor_config *c = &ex.config;
    int signal_base = cg_signal_base(c), rel_base = cg_relevance_base(c), dim = cg_feature_dim(c);
    double norm2 = 0;
    size_t hashed = 0;
    for (size_t i = 0; i < ws->n_nodes; i++) {
        int index = ws->nodes[i].index;
        cr_assert_geq(index, 1, "%s: node %zu index %d", what, i, index);
        cr_assert_leq(index, dim, "%s: node %zu index %d beyond %d", what, i, index, dim);
        if (i > 0)
            cr_assert_gt(index, ws->nodes[i - 1].index, "%s: indices not strictly ascending at %zu", what, i);
        cr_assert(isfinite(ws->nodes[i].value), "%s: node %zu not finite", what, i);
        cr_assert_neq(ws->nodes[i].value, 0.0, "%s: node %zu is a stored zero", what, i);
        if (index < signal_base) {
            norm2 += ws->nodes[i].value * ws->nodes[i].value;
            hashed++;
        } else if (index >= rel_base) {
            cr_assert(with_relevance, "%s: relevance feature %d without an article", what, index);
            cr_assert_lt(index, rel_base + CG_REL_COUNT, "%s: relevance index %d unused by relevance.c", what, index);
        } else {
            cr_assert_geq(ws->nodes[i].value, 0.0);
            cr_assert_leq(ws->nodes[i].value, c->signal_weight + 1e-12, "%s: signal above its weight", what);
        }
    }
    cr_assert_eq(ws->nodes[ws->n_nodes].index, -1);
    if (hashed > 0)
        cr_assert_float_eq(norm2, 1.0, 1e-12, "%s: hashed block has squared norm %.17g", what, norm2);
}

Test(extract, fixture_vectors_are_well_formed_and_deterministic)
{
    cg_extractor_config c = defaults();
    init(&c);
    cg_dataset ds;
    char err[256] = "";
    cr_assert_eq(cg_dataset_load(CG_TRAIN_FIXTURE, &ds, err, sizeof err), CG_OK, "%s", err);
    cg_workspace *other;
    cr_assert_eq(cg_workspace_create(&other), CG_OK);
    for (size_t r = 0; r < ds.n; r++) {
        const cg_example *e = &ds.rows[r];
        cr_assert_eq(cg_extract(&ex, ws, e->text, e->text_len, NULL), CG_OK);
        check_vector_properties(e->text, 0);
        cr_assert_gt(ws->n_nodes, 0);
        /* Another workspace (and this one again) gives the very same vector. */
        cr_assert_eq(cg_extract(&ex, other, e->text, e->text_len, NULL), CG_OK);
        cr_assert_eq(other->n_nodes, ws->n_nodes, "row %zu: node counts differ between workspaces", r);
        cr_assert(same_nodes(other->nodes, ws->nodes, ws->n_nodes + 1), "row %zu differs", r);
    }
    /* After a pass, a row extracts exactly as it did in a fresh workspace (nothing left over). */
    cr_assert_eq(cg_extract(&ex, ws, ds.rows[0].text, ds.rows[0].text_len, NULL), CG_OK);
    cg_workspace *fresh;
    cr_assert_eq(cg_workspace_create(&fresh), CG_OK);
    cr_assert_eq(cg_extract(&ex, fresh, ds.rows[0].text, ds.rows[0].text_len, NULL), CG_OK);
    cr_assert_eq(fresh->n_nodes, ws->n_nodes);
    cr_expect(same_nodes(fresh->nodes, ws->nodes, ws->n_nodes + 1));
    cg_workspace_free(fresh);
    cg_workspace_free(other);
    cg_dataset_free(&ds);
}

/* The i-th text of 60 words out of 30,000 distinct ones of 1 to 20 letters (the word cache holds
 * 16,384 of up to 15 bytes), drawn by an LCG so that some recur. */
static void cache_text(unsigned i, char *out, size_t size)
{
    uint64_t x = 0x9E3779B97F4A7C15ull * (i + 1);
    size_t len = 0;
    for (int w = 0; w < 60; w++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned word = (unsigned)(x >> 33) % 30000, letters = 1 + word % 20;
        for (unsigned k = 0; k < letters && len + 2 < size; k++, word = word / 7 + k)
            out[len++] = (char)('a' + word % 26);
        out[len++] = ' ';
    }
    out[len] = '\0';
}

/* Through a word cache filled, evicted and refilled (two ways a set), each text extracts as it does
 * in a workspace whose cache met the texts in the other order first. */
Test(extract, word_cache_hits_and_evictions_give_the_words_own_features)
{
    cg_extractor_config c = defaults();
    init(&c);
    enum { TEXTS = 800 };
    char text[60 * 21 + 1];
    cg_workspace *other;
    cr_assert_eq(cg_workspace_create(&other), CG_OK);
    for (unsigned i = TEXTS; i-- > 0;) {
        cache_text(i, text, sizeof text);
        cr_assert_eq(cg_extract(&ex, other, text, strlen(text), NULL), CG_OK);
    }
    for (unsigned i = 0; i < TEXTS; i++) {
        cache_text(i, text, sizeof text);
        cr_assert_eq(cg_extract(&ex, ws, text, strlen(text), NULL), CG_OK);
        cr_assert_eq(cg_extract(&ex, other, text, strlen(text), NULL), CG_OK);
        cr_assert_eq(other->n_nodes, ws->n_nodes, "text %u: node counts differ", i);
        cr_assert(same_nodes(other->nodes, ws->nodes, ws->n_nodes + 1), "text %u differs", i);
    }
    cg_workspace_free(other);
}

Test(extract, accumulator_is_clear_after_extraction)
{
    cg_extractor_config c = defaults();
    init(&c);
    extract("some words, http://x.com and more words");
    cr_assert_eq(ws->acc_dim, (size_t)1 << c.hash_bits);
    for (size_t i = 0; i < ws->acc_dim; i++)
        cr_assert_eq(ws->acc[i], 0.0f, "acc[%zu] left at %g", i, ws->acc[i]);
}

static void copy_nodes(struct svm_node *dst, size_t *n)
{
    cr_assert_lt(ws->n_nodes, 4096);
    *n = ws->n_nodes;
    memcpy(dst, ws->nodes, (*n + 1) * sizeof *dst);
}

Test(extract, case_variants_give_the_same_hashed_block)
{
    cg_extractor_config c = defaults();
    init(&c);
    static struct svm_node a[4096];
    size_t na;
    extract("hello world, nice weather");
    copy_nodes(a, &na);
    extract("HELLO World, NICE Weather");
    check_vector_properties("upper case", 0);
    size_t n = hashed_count();
    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(ws->nodes[i].index, a[i].index);
        cr_assert_eq(ws->nodes[i].value, a[i].value);
    }
    /* The capitals show, in the share-of-capitals signal only. */
    cr_expect_eq(ws->n_nodes, na + 1);
}

Test(extract, width_variants_give_the_same_vector)
{
    cg_extractor_config c = defaults();
    init(&c);
    static struct svm_node a[4096];
    size_t na;
    extract("hello world 42");
    copy_nodes(a, &na);
    /* ｈｅｌｌｏ ｗｏｒｌｄ ４２ */
    extract("\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F \xEF\xBD\x97\xEF\xBD\x8F\xEF\xBD\x92"
            "\xEF\xBD\x8C\xEF\xBD\x84 \xEF\xBC\x94\xEF\xBC\x92");
    cr_assert_eq(ws->n_nodes, na);
    cr_expect(same_nodes(ws->nodes, a, na + 1));
}

Test(extract, empty_text_has_no_hashed_nodes)
{
    cg_extractor_config c = defaults();
    init(&c);
    cr_assert_eq(cg_extract(&ex, ws, "", 0, NULL), CG_OK);
    cr_expect_eq(hashed_count(), 0);
    cr_expect_eq(ws->n_nodes, 0);
    cr_expect_eq(ws->nodes[0].index, -1);
    extract("<b></b> <!-- nothing -->");
    cr_expect_eq(hashed_count(), 0);
}

Test(extract, workspace_adapts_to_another_extractor)
{
    cg_extractor_config small = config(2, 2, 4), big = config(2, 2, 4);
    small.hash_bits = 10;
    big.hash_bits = 20;
    cg_extractor ex_small;
    char err[256];
    cr_assert_eq(cg_extractor_init(&ex_small, &small, err, sizeof err), CG_OK);
    init(&big);
    static struct svm_node a[4096];
    size_t na;
    extract("switching between models");
    copy_nodes(a, &na);
    cr_assert_eq(cg_extract(&ex_small, ws, "switching between models", 24, NULL), CG_OK);
    for (size_t i = 0; i < ws->n_nodes; i++)
        cr_assert_leq(ws->nodes[i].index, 1 << 10);
    extract("switching between models");
    cr_assert_eq(ws->n_nodes, na);
    cr_expect(same_nodes(ws->nodes, a, na + 1));
    cg_extractor_destroy(&ex_small);
}

/* ---- relevance ---- */

/* Analyse article, then extract comment against it; returns the article, which the caller destroys. */
static struct cg_article *extract_against(const char *article, const char *comment)
{
    struct cg_article *a = NULL;
    cr_assert_eq(cg_article_build(&ex, ws, article, strlen(article), &a), CG_OK);
    cr_assert_eq(cg_extract(&ex, ws, comment, strlen(comment), a), CG_OK);
    return a;
}

Test(extract, relevance_features_against_the_same_text)
{
    cg_extractor_config c = defaults();
    init(&c);
    const char *text = "The council votes to extend the tram line to the harbour";
    struct cg_article *a = extract_against(text, text);
    check_vector_properties("same text", 1);
    int rel = cg_relevance_base(&c);
    cr_expect_float_eq(node_value(rel + CG_REL_WORD_COSINE), 1.0, 1e-6);
    cr_expect_float_eq(node_value(rel + CG_REL_NGRAM_COSINE), 1.0, 1e-6);
    cr_expect_float_eq(node_value(rel + CG_REL_COVERAGE), 1.0, 1e-12);
    cr_expect_gt(node_value(rel + CG_REL_WEIGHTED_COVERAGE), 0.0);
    cr_expect_eq(node_value(rel + CG_REL_FOREIGN_LINKS), 0.0);
    cg_article_destroy(a);
}

Test(extract, relevance_features_against_an_unrelated_article)
{
    cg_extractor_config c = defaults();
    init(&c);
    const char *article = "Review: the new camera handles low light well";
    const char *comment = "Buy cheap watches http://spam.biz http://more-spam.top";
    struct cg_article *a = extract_against(article, comment);
    check_vector_properties("unrelated", 1);
    int rel = cg_relevance_base(&c);
    cr_expect_eq(node_value(rel + CG_REL_WORD_COSINE), 0.0);
    cr_expect_eq(node_value(rel + CG_REL_COVERAGE), 0.0);
    cr_expect_eq(node_value(rel + CG_REL_FOREIGN_LINKS), 1.0, "two links to domains the article never mentions");
    /* The comment's hashed block and signals are the same with or without the article. */
    size_t n = hashed_count();
    static struct svm_node with[4096];
    size_t n_with;
    copy_nodes(with, &n_with);
    extract(comment);
    check_vector_properties("no article", 0);
    cr_assert_eq(hashed_count(), n);
    cr_expect(same_nodes(ws->nodes, with, n));
    cg_article_destroy(a);
}

Test(extract, relevance_ignores_function_words)
{
    cg_extractor_config c = defaults();
    init(&c);
    /* "because" and "through" are function words (the longest: 7 bytes); "becauses" is not one. */
    const char *article = "harbour news";
    const char *comment = "because the harbour and through the tram becauses";
    struct cg_article *a = extract_against(article, comment);
    int rel = cg_relevance_base(&c);
    cr_expect_float_eq(node_value(rel + CG_REL_COVERAGE), 1.0 / 3.0, 1e-12, "harbour of harbour, tram, becauses");
    /* Article words of unit-length weight 1/sqrt(2); the comment's three content words 1/sqrt(3). */
    cr_expect_float_eq(node_value(rel + CG_REL_WORD_COSINE), 1.0 / sqrt(6.0), 1e-6);
    cg_article_destroy(a);
}

Test(extract, relevance_against_a_long_article)
{
    cg_extractor_config c = defaults();
    init(&c);
    /* 2,000 distinct words: the article's tables grow well past their first size. */
    static char article[2000 * 10 + 1];
    size_t len = 0;
    for (int i = 0; i < 2000; i++)
        len += (size_t)sprintf(article + len, "word%04d ", i);
    const char *comment = "word0005 word1999 harbour tram";
    struct cg_article *a = extract_against(article, comment);
    int rel = cg_relevance_base(&c);
    cr_expect_float_eq(node_value(rel + CG_REL_COVERAGE), 0.5, 1e-12);
    /* Two shared words of weight 1/sqrt(2000) each, against a comment vector of four ones. */
    cr_expect_float_eq(node_value(rel + CG_REL_WORD_COSINE), 2.0 / sqrt(2000.0) / 2.0, 1e-6);
    cr_expect_float_eq(node_value(rel + CG_REL_WEIGHTED_COVERAGE), 2.0 / sqrt(2000.0) / 4.0, 1e-6);
    cg_article_destroy(a);
}

Test(extract, relevance_is_centred)
{
    cg_extractor_config c = defaults();
    c.relevance_center[CG_REL_COVERAGE] = 0.25;
    init(&c);
    const char *text = "harbour tram extension";
    struct cg_article *a = extract_against(text, text);
    cr_expect_float_eq(node_value(cg_relevance_base(&c) + CG_REL_COVERAGE), 0.75, 1e-12);
    /* Without an article, relevance features are all zero: no centring applies. */
    extract(text);
    check_vector_properties("no article", 0);
    cg_article_destroy(a);
}

/* ---- settings ---- */

static void expect_bad_config(cg_extractor_config c, const char *fragment)
{
    cr_expect_not_null(cg_extractor_config_check(&c), "expected refusal: %s", fragment);
    char err[256] = "";
    cg_extractor e;
    cr_expect_eq(cg_extractor_init(&e, &c, err, sizeof err), CG_ERR_FORMAT);
    cr_expect(strstr(err, fragment) != NULL, "message \"%s\" lacks \"%s\"", err, fragment);
}

Test(extract, settings_are_checked)
{
    cg_extractor_config good = defaults();
    cr_expect_null(cg_extractor_config_check(&good));
    cg_extractor_config c = good;
    c.hash_bits = 9;
    expect_bad_config(c, "hash_bits");
    c.hash_bits = 25;
    expect_bad_config(c, "hash_bits");
    c = good;
    c.word_ngrams = 0;
    expect_bad_config(c, "word_ngrams");
    c.word_ngrams = 4;
    expect_bad_config(c, "word_ngrams");
    c = good;
    c.char_min = 3;
    c.char_max = 2;
    expect_bad_config(c, "char n-gram");
    c.char_min = 0;
    c.char_max = 2;
    expect_bad_config(c, "char n-gram");
    c.char_min = 1;
    c.char_max = 9;
    expect_bad_config(c, "char n-gram");
    c = good;
    c.char_weight = 0;
    expect_bad_config(c, "weights");
    c = good;
    c.signal_weight = NAN;
    expect_bad_config(c, "weights");
    c = good;
    c.relevance_weight = 11;
    expect_bad_config(c, "weights");
    c = good;
    c.group_placeholder = 2;
    expect_bad_config(c, "group_placeholder");
    c = good;
    c.char_min = c.char_max = 0;
    cr_expect_null(cg_extractor_config_check(&c), "no char n-grams is a valid setting");
}

/*
 * cg_extractor_config_default is how callers (and `commentguard train`) start a config. It must
 * set every field: relevance_center left as stack garbage becomes NaN relevance features.
 */
Test(extract, default_config_sets_every_field)
{
    cg_extractor_config c;
    memset(&c, 0xFF, sizeof c); /* every double a NaN */
    cg_extractor_config_default(&c);
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        cr_expect_eq(c.relevance_center[k], 0.0, "relevance_center[%d] is %g after cg_extractor_config_default", k,
                     c.relevance_center[k]);
    cr_expect_str_empty(c.lexicon);
    cr_expect_null(cg_extractor_config_check(&c));
}

/* ---- the lexicon signal (loading a lexicon: test_lexicon.c) ---- */

#define INSULTS CG_FIXTURES "/lexicon/insults.txt"

/* init with c, its dense signals at `signal_weight` and the lexicon at `path` ("": none). */
static void init_listed(cg_extractor_config c, double signal_weight, const char *path)
{
    c.signal_weight = signal_weight;
    snprintf(c.lexicon, sizeof c.lexicon, "%s", path);
    init(&c);
    char err[512] = "";
    cr_assert_eq(cg_lexicon_load(&ex, err, sizeof err), CG_OK, "%s", err);
}

/* The value of the lexicon signal for text (0 when the vector has no such node). */
static double lexicon_signal(const char *text)
{
    extract(text);
    return node_value(cg_lexicon_base(&ex.config) + CG_LEX_HITS);
}

Test(extract, lexicon_hits_are_counted_however_a_comment_spells_them)
{
    init_listed(defaults(), 1, INSULTS);
    /* capped at 2 hits: one hit is 0.5 */
    cr_expect_float_eq(lexicon_signal("what an idiot"), 0.5, 1e-12);
    cr_expect_float_eq(lexicon_signal("What an IDI0T"), 0.5, 1e-12);
    cr_expect_float_eq(lexicon_signal("the author is a PAID SHILL and a m0r0n"), 1.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("idiot idiot idiot idiot"), 1.0, 1e-12);
    /* the two words of a phrase must be adjacent words; parts of words do not count */
    cr_expect_float_eq(lexicon_signal("I paid for the shill's book"), 0.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("idiotic and moronic ideas"), 0.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("Thanks, a clear and useful post."), 0.0, 1e-12);
}

Test(extract, lexicon_signal_takes_the_signal_weight_and_changes_nothing_else)
{
    const char *text = "You are an idiot, see http://example.com";
    struct svm_node without[4096];
    size_t n;
    init_listed(defaults(), 0.5, "");
    extract(text);
    copy_nodes(without, &n);

    init_listed(defaults(), 0.5, INSULTS);
    extract(text);
    cr_assert_eq(ws->n_nodes, n + 1, "one node more: the lexicon signal");
    cr_expect(same_nodes(ws->nodes, without, n), "the other nodes are the same");
    cr_expect_eq(ws->nodes[n].index, cg_lexicon_base(&ex.config) + CG_LEX_HITS);
    cr_expect_eq(ws->nodes[n].index, cg_feature_dim(&ex.config), "the lexicon is the last block");
    cr_expect_float_eq(ws->nodes[n].value, 0.25, 1e-12, "one hit of two, at signal weight 0.5");

    init_listed(defaults(), 0, INSULTS);
    cr_expect_float_eq(lexicon_signal(text), 0.0, 1e-12, "signal weight 0: no dense signals at all");
}

Test(extract, lexicon_lines_may_end_in_crlf_and_the_last_without_newline)
{
    char dir[64];
    cgt_make_tmpdir(dir, "extract");
    char *path = cgt_write_file(dir, "crlf.txt", "idiot\r\nmoron", 12);
    init_listed(defaults(), 1, path);
    cr_expect_eq(ex.n_lexicon, 2);
    cr_expect_float_eq(lexicon_signal("moron"), 0.5, 1e-12);
    free(path);
    cgt_remove_tree(dir);
}

#define UNMARKED CG_FIXTURES "/lexicon/unmarked.txt"

/* The vector of text, copied out. */
static size_t vector_of(const char *text, struct svm_node *out)
{
    size_t n;
    extract(text);
    copy_nodes(out, &n);
    return n;
}

Test(extract, unmarked_words_leave_no_ngrams_and_their_neighbours_join)
{
    struct svm_node with[4096], without[4096];
    init_listed(config(3, 2, 4), 0, UNMARKED);
    cr_assert_eq(ex.n_unmarked, 2);
    cr_assert_eq(ex.n_lexicon, 1, "unmarked words are not lexicon entries");
    size_t n = vector_of("our neighbours are kind", without);
    const char *spellings[] = {"our Muslims neighbours are kind", "our MUSLIMS neighbours are kind",
                               "Gay our neighbours are gay kind gay"};
    for (size_t k = 0; k < sizeof spellings / sizeof *spellings; k++) {
        size_t m = vector_of(spellings[k], with);
        cr_expect(m == n && same_nodes(with, without, n), "\"%s\" has the vector of \"our neighbours are kind\"",
                  spellings[k]);
    }
    /* a word that only contains one is not unmarked */
    cr_expect_neq(vector_of("our gayest neighbours are kind", with), n);
}

Test(extract, with_group_placeholder_unmarked_words_are_one_token_in_bigrams_and_trigrams)
{
    cg_extractor_config c = config(3, 0, 0);
    cr_expect_eq(c.group_placeholder, 0, "off by default");
    c.group_placeholder = 1;
    init_listed(c, 0, UNMARKED);
    extract("hate Gay MUSLIMS are kind");
    const cg_extractor_config *x = &ex.config;
    uint64_t hate = h_unigram(x, "hate"), group = h_unigram(x, "<group>"), are = h_unigram(x, "are"),
             kind = h_unigram(x, "kind");
    uint64_t bigram = x->seed ^ SEED_BIGRAM, trigram = x->seed ^ SEED_TRIGRAM;
    ref r = {.n = 0};
    /* no unigram "<group>": only the words around the names, and the n-grams joining them */
    add(&r, hate, 1);
    add(&r, are, 1);
    add(&r, kind, 1);
    add(&r, h_pair(hate, group, bigram), 1);
    add(&r, h_pair(group, group, bigram), 1);
    add(&r, h_pair(group, are, bigram), 1);
    add(&r, h_pair(are, kind, bigram), 1);
    add(&r, h_pair(h_pair(hate, group, trigram), group, trigram), 1);
    add(&r, h_pair(h_pair(group, group, trigram), are, trigram), 1);
    add(&r, h_pair(h_pair(group, are, trigram), kind, trigram), 1);
    expect_hashed_block(&r);
}

Test(extract, with_group_placeholder_every_group_reads_alike_and_has_no_character_ngrams)
{
    struct svm_node gay[4096], muslims[4096], none[4096], off[4096];
    cg_extractor_config c = config(3, 2, 4);
    init_listed(c, 0, UNMARKED);
    size_t n_off = vector_of("our gay neighbours are kind", off);
    c.group_placeholder = 1;
    init_listed(c, 0, UNMARKED);
    size_t n = vector_of("our gay neighbours are kind", gay);
    cr_expect(n == vector_of("our Muslims neighbours are kind", muslims) && same_nodes(gay, muslims, n),
              "one group's name reads as another's");
    cr_expect_neq(vector_of("our neighbours are kind", none), n, "the name is not left out");
    cr_expect(n != n_off || !same_nodes(gay, off, n), "the setting changes the vector");
    /* "our <group>", "<group> neighbours", "our <group> neighbours" and "<group> neighbours are" in place
     * of "our neighbours" and "our neighbours are": no unigram, no character n-gram of the name */
    cr_expect_eq(n, n_off + 2);
}

#define PROMOTION CG_FIXTURES "/lexicon/promotion.txt"

Test(extract, promotional_phrases_add_one_shared_feature)
{
    cg_extractor_config c = config(2, 0, 0);
    init_listed(c, 1, PROMOTION);
    cr_assert_eq(ex.n_lexicon, 1);
    cr_assert_eq(ex.n_promotion, 3);
    /* "visit my" ends at "my", "my blog" at "blog": two "<promotion>" beside the word n-grams */
    extract("Visit MY blog, friends");
    ref r = {.n = 0};
    static const char *const tokens[] = {"visit", "my", "blog", "friends"};
    add_words(&r, &ex.config, tokens, 4);
    add(&r, h_unigram(&ex.config, "<promotion>"), 1);
    add(&r, h_unigram(&ex.config, "<promotion>"), 1);
    expect_hashed_block(&r);
    /* a one-word entry, however spelled; the words of a phrase in another order are none */
    extract("pls SUBSCR1BE");
    r.n = 0;
    static const char *const one[] = {"pls", "subscribe"};
    add_words(&r, &ex.config, one, 2);
    add(&r, h_unigram(&ex.config, "<promotion>"), 1);
    expect_hashed_block(&r);
    extract("my visit");
    r.n = 0;
    static const char *const none[] = {"my", "visit"};
    add_words(&r, &ex.config, none, 2);
    expect_hashed_block(&r);
    /* promotional phrases are not insults: the lexicon signal counts only the insult */
    cr_expect_float_eq(lexicon_signal("visit my blog"), 0.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("visit my blog, idiot"), 0.5, 1e-12);
}

Test(extract, only_a_lexicon_with_promotion_gives_the_promotion_feature)
{
    struct svm_node plain[2][4096], listed[2][4096];
    const char *texts[] = {"visit my blog", "what an idiot, thanks"};
    size_t n[2], m[2];
    init_listed(defaults(), 1, INSULTS);
    cr_assert_eq(ex.n_promotion, 0);
    for (int k = 0; k < 2; k++)
        n[k] = vector_of(texts[k], plain[k]);
    init_listed(defaults(), 1, PROMOTION);
    for (int k = 0; k < 2; k++)
        m[k] = vector_of(texts[k], listed[k]);
    cr_expect_eq(m[0], n[0] + 1, "the promotion lexicon adds one slot to \"visit my blog\"");
    cr_expect(m[1] == n[1] && same_nodes(plain[1], listed[1], n[1]),
              "a comment without promotional phrases: the same vector");
}

Test(extract, unmarked_words_still_count_for_the_lexicon_and_change_nothing_without_them)
{
    struct svm_node plain[4096], listed[4096];
    init_listed(defaults(), 1, INSULTS);
    size_t n = vector_of("what an idiot, thanks", plain);
    init_listed(defaults(), 1, UNMARKED);
    size_t m = vector_of("what an idiot, thanks", listed);
    cr_expect(m == n && same_nodes(plain, listed, n), "a comment without unmarked words: the same vector");
    cr_expect_float_eq(lexicon_signal("the gay idiot"), 0.5, 1e-12, "the insult still counts");
}
