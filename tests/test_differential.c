/*
 * test_differential.c - the extractor's output must not change when its code is made faster
 * (issue 25): the feature vectors of a few thousand generated inputs are compared, bit for bit,
 * with vectors recorded from the extractor as it was (fixtures/differential/vectors.txt: one line
 * per input and setting, the number of nodes and an XXH64 of every node's index and value bits).
 *
 * The inputs are generated here by a fixed pseudo-random sequence from fragments: plain ASCII
 * prose, mixed Unicode (accents, other scripts, look-alikes, full-width and styled letters, emoji,
 * invisible characters), obfuscated words (leetspeak, masks, letters set apart, elongations),
 * markup, links and numbers, invalid UTF-8 and NUL bytes, and huge texts (runs of one letter or
 * digit, a megabyte of prose). Each is extracted with three settings: the defaults with a lexicon
 * that has unmarked words, the same against an article, and a small hashed space with word
 * trigrams and other character n-gram lengths.
 *
 * A deliberate change of the extractor's output (a new feature definition) re-records the file:
 *   CG_RECORD_VECTORS=tests/fixtures/differential/vectors.txt build/tests/test_differential
 * and says so in its commit message.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "extract.h"
#include "lexicon.h"
#include "relevance.h"
#include "workspace.h"

#define RECORDED CG_FIXTURES "/differential/vectors.txt"
#define N_SMALL 3000
#define N_HUGE 8
#define N_SETTINGS 3

/* ---- the inputs ---- */

static uint64_t rng_state;

static uint32_t next_random(void)
{
    /* xorshift64*: fixed here, so that the inputs never change with the C library */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static size_t pick(size_t n)
{
    return next_random() % n;
}

static const char *const ascii_words[] = {
    "the", "a", "I", "you", "agree", "with", "author", "public", "transport", "needs", "more", "money",
    "great", "article", "thanks", "for", "sharing", "this", "is", "not", "what", "they", "said", "Python",
    "data", "science", "model", "code", "works", "fine", "idiot", "stupid", "loser", "pathetic", "hate",
    "muslims", "gay", "people", "WINNER", "Call", "now", "claim", "cash", "prize", "FREE", "click", "here",
    "buy", "cheap", "pills", "don't", "it's", "can't", "O'Brien", "e.g.", "etc.", "well...", "ok", "lol",
    "x", "u", "r", "i", "www", "http", "https", "covid19", "mp3", "4x4", "3rd", "10am", "self_made",
};

static const char *const unicode_words[] = {
    "caf\xc3\xa9", "na\xc3\xafve", "\xce\xa9mega", "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
    "\xd1\x96" "d\xd1\x96\xd0\xbe" "t",                       /* Cyrillic look-alikes inside Latin */
    "\xce\x97\xce\xb7", "\xef\xbd\x89\xef\xbd\x84\xef\xbd\x89\xef\xbd\x8f\xef\xbd\x94", /* full width */
    "\xf0\x9d\x90\xa2\xf0\x9d\x90\x9d\xf0\x9d\x90\xa2\xf0\x9d\x90\xa8\xf0\x9d\x90\xad", /* bold */
    "\xf0\x9f\x98\x80", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "\xe2\x80\x8b", "\xef\xbb\xbf", "e\xcc\x81",
    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", "stra\xc3\x9f" "e",
    "\xef\xac\x81ne", "\xe2\xa0\x80", "\xe2\x80\x9cquoted\xe2\x80\x9d", "\xe2\x80\x94", "\xc2\xa0",
    "\xe2\x82\xac" "50", "\xc2\xa3" "20", "\xe2\x93\x98\xe2\x93\x93\xe2\x93\x98\xe2\x93\x9e\xe2\x93\xa3",
    "\xe1\x8f\x9a\xe1\x8e\xaa", "\xe2\x80\xae" "abc", "\xc3\x85ngstr\xc3\xb6m", "\xce\x9c\xce\xbc",
};

static const char *const obfuscated_words[] = {
    "f.u.c.k", "s h i t", "sh1t", "1d10t", "@ss", "$hit", "f*ck", "stuuupid", "us*d", "m0r0n", "f-u-c-k",
    "a s s", "f_u_c_k", "f~u~c~k", "sh!t", "b!tch", "tw@t", "5tup1d", "1d1ot", "iiiidiot", "looooser",
    "w h a t a loser", "u r a", "a c . o . m . e", "$25.99", "@sam", "0x1f", "p\xce\xbfrn",
};

static const char *const markup_words[] = {
    "<a href=\"http://spam.ru/x?y=1\">link</a>", "<img src=x.png>", "&amp;", "&#8220;", "&#x27;", "&nbsp;",
    "<!-- hidden -->", "<b>bold</b>", "<p>", "</p>", "a<b", "&bogus;", "https://example.com/path?q=1",
    "www.cheap-pills.biz", "spam.xyz/offer", "mail@example.org", "first.last+tag@mail.co.uk", "@user_1",
    "+44 7911 123456", "555-123-4567", "$1,000,000", "10 dollars", "3.14159", "2024", "!!!", "???", "...",
    "**", "#hashtag", "100%", "(see above)", "\"quote\"", "1.2.3.4.5.6", "&lt;script&gt;",
    /* the tokeniser's fast paths and their edges */
    "life-style", "co-op.com", "a.b.c", "x@", "@@double", "@abcdefghijklmnopqrstuvwxyz0123456789", "&&", "#!",
    "*.*", "..@", "http:no", "https:x", "user.name@", ".net", "ab@cd", "a'b@c.com", "x_y@z.org", "www", "www.",
    "wwwx.com", "e.g.", "i.e.,", "a-b-c-d", "%+", "+%", "?!?!", "!?.", "*#&$%", "&#", "caf\xc3\xa9@x.io",
    "@caf\xc3\xa9", "\xc3\xa9@user", "word:word", "end.", "end.\"", "o'neil.com", "a--b.uk", "x.y.z.w.v.q.com",
    /* numbers, and '-' and '_' before an address or not */
    "5 usd", "5 eur", "5 gbp", "5 qar", "5 qr", "1 dollar", "10 euros", "3 pounds", "5 bucks", "99 \xc2\xa3",
    "42\xe2\x82\xac", "5 $", "5$", "$5", "5k", "5 bn", "12 345 6789", "123 4567890", "123456 78", "1234567",
    "123-4567", "12.345.678", "2019.com", "2019, then", "7.5", "5. 6", "5.x", "5,6", "5, 6", "100%x@y.com", "90's",
    "3rd", "10am", "4x4", "5*", "5/6", "(5)", "5:30", "5_x@y.io", "5+5", "5@x.io", "-x@y.com", "_a@b.io", "--",
    "a - b", "-5", "_x_", "x-y-z", "5 people", "5 days", "5 euro", "5 u", "5\xd9\xa3",
};

static const char *const separators[] = {" ", " ", " ", " ", "", ". ", ", ", "\n", "\t", "  ", "! ", "? ", "-"};

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static void append(buffer *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
        cr_assert_not_null(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void append_str(buffer *b, const char *s)
{
    append(b, s, strlen(s));
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One fragment of the mix `kind` (0 ASCII, 1 mixed Unicode, 2 obfuscated, 3 markup and numbers,
 * 4 invalid UTF-8, 5 everything). */
static void append_fragment(buffer *b, int kind)
{
    int k = kind == 5 ? (int)pick(5) : kind;
    if (k != 0 && pick(3) == 0)
        k = 0; /* every mix keeps some plain words */
    switch (k) {
    case 0: {
        const char *w = ascii_words[pick(COUNT(ascii_words))];
        if (pick(8) == 0) { /* upper case */
            for (const char *p = w; *p; p++) {
                char c = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
                append(b, &c, 1);
            }
        } else {
            append_str(b, w);
        }
        break;
    }
    case 1:
        append_str(b, unicode_words[pick(COUNT(unicode_words))]);
        break;
    case 2:
        append_str(b, obfuscated_words[pick(COUNT(obfuscated_words))]);
        break;
    case 3:
        append_str(b, markup_words[pick(COUNT(markup_words))]);
        break;
    default: {
        size_t n = 1 + pick(4);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)(pick(4) == 0 ? 0 : 0x80 + pick(0x80));
            append(b, &c, 1);
        }
        static const char *const bad[] = {"\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xe2\x82"};
        append_str(b, bad[pick(COUNT(bad))]);
        break;
    }
    }
    append_str(b, separators[pick(COUNT(separators))]);
}

/* Input i (0 <= i < N_SMALL + N_HUGE) into b. */
static void make_input(buffer *b, size_t i)
{
    b->len = 0;
    rng_state = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(i + 1) * 0xD6E8FEB86659FD93ull);
    for (int warm = 0; warm < 4; warm++)
        next_random();
    if (i < N_SMALL) {
        int kind = (int)(i % 6);
        size_t n = pick(8) == 0 ? pick(400) : pick(40);
        for (size_t k = 0; k < n; k++)
            append_fragment(b, kind);
        return;
    }
    static const char runs[] = "a1!.";
    size_t h = i - N_SMALL;
    if (h < 4) { /* 200,000 of one byte */
        for (size_t k = 0; k < 200000; k++)
            append(b, &runs[h], 1);
        return;
    }
    size_t target = h == N_HUGE - 1 ? CG_MAX_COMMENT_BYTES - 64 : 100000 * h;
    while (b->len < target)
        append_fragment(b, (int)(h % 6));
}

/* ---- the settings ---- */

static cg_extractor extractors[2];

static void setup(void)
{
    char err[512];
    cg_extractor_config c;
    memset(&c, 0, sizeof c);
    cg_extractor_config_default(&c);
    snprintf(c.lexicon, sizeof c.lexicon, "%s", CG_FIXTURES "/lexicon/unmarked.txt");
    cr_assert_eq(cg_extractor_init(&extractors[0], &c, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_lexicon_load(&extractors[0], err, sizeof err), CG_OK, "%s", err);
    memset(&c, 0, sizeof c);
    cg_extractor_config_default(&c);
    c.hash_bits = 12;
    c.word_ngrams = 3;
    c.char_min = 1;
    c.char_max = 7;
    c.char_weight = 0.3;
    c.length_signal = 0;
    cr_assert_eq(cg_extractor_init(&extractors[1], &c, err, sizeof err), CG_OK, "%s", err);
}

static void teardown(void)
{
    cg_extractor_destroy(&extractors[0]);
    cg_extractor_destroy(&extractors[1]);
}

TestSuite(differential, .init = setup, .fini = teardown);

static const char article_text[] =
    "Public transport needs more money: the author argues that buses and trains in the city are "
    "underfunded, and that data science could help plan the routes. Python code is on GitHub.";

/* The digest of the vector in ws->nodes: every node's index and the bits of its value. */
static uint64_t vector_digest(const cg_workspace *ws)
{
    XXH3_state_t *state = XXH3_createState();
    cr_assert_not_null(state);
    XXH3_64bits_reset(state);
    for (size_t k = 0; k < ws->n_nodes; k++) {
        int32_t index = ws->nodes[k].index;
        uint64_t bits;
        memcpy(&bits, &ws->nodes[k].value, sizeof bits);
        XXH3_64bits_update(state, &index, sizeof index);
        XXH3_64bits_update(state, &bits, sizeof bits);
    }
    uint64_t h = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return h;
}

Test(differential, vectors_are_the_recorded_ones, .timeout = 240)
{
    const char *record = getenv("CG_RECORD_VECTORS");
    FILE *out = NULL;
    char *expected = NULL, *line = NULL;
    if (record && *record) {
        out = fopen(record, "w");
        cr_assert_not_null(out, "cannot write %s", record);
    } else {
        expected = cgt_read_file(RECORDED, NULL);
        line = expected;
    }
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_create(&ws), CG_OK);
    cg_article *article;
    cr_assert_eq(cg_article_build(&extractors[0], ws, article_text, strlen(article_text), &article), CG_OK);
    buffer b = {0};
    size_t mismatches = 0, compared = 0;
    for (size_t i = 0; i < N_SMALL + N_HUGE; i++) {
        make_input(&b, i);
        for (int s = 0; s < N_SETTINGS; s++) {
            const cg_extractor *ex = &extractors[s == 2];
            cr_assert_eq(cg_extract(ex, ws, b.data ? b.data : "", b.len, s == 1 ? article : NULL), CG_OK,
                         "input %zu: %s", i, cg_workspace_error(ws));
            uint64_t digest = vector_digest(ws);
            if (out) {
                fprintf(out, "%zu %d %zu %016" PRIx64 "\n", i, s, ws->n_nodes, digest);
                continue;
            }
            size_t want_i, want_n;
            int want_s;
            uint64_t want_digest;
            cr_assert(line && sscanf(line, "%zu %d %zu %" SCNx64, &want_i, &want_s, &want_n, &want_digest) == 4,
                      "%s ends before input %zu setting %d", RECORDED, i, s);
            cr_assert(want_i == i && want_s == s, "%s is out of step at input %zu setting %d", RECORDED, i, s);
            compared++;
            if (want_n != ws->n_nodes || want_digest != digest) {
                if (mismatches++ < 10)
                    cr_log_error("input %zu (%zu bytes, mix %zu) setting %d: %zu nodes digest %016" PRIx64
                                 ", recorded %zu nodes %016" PRIx64,
                                 i, b.len, i % 6, s, ws->n_nodes, digest, want_n, want_digest);
            }
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
    }
    free(b.data);
    cg_article_destroy(article);
    cg_workspace_free(ws);
    if (out) {
        cr_assert_eq(fclose(out), 0);
        cr_log_info("recorded %s", record);
        free(expected);
        return;
    }
    cr_expect(line == NULL || *line == '\0', "%s has lines beyond the inputs", RECORDED);
    free(expected);
    cr_expect_eq(compared, (size_t)(N_SMALL + N_HUGE) * N_SETTINGS);
    cr_expect_eq(mismatches, 0, "%zu of %zu vectors differ from the recorded ones", mismatches, compared);
}

/*
 * The pinned bundle (fixtures/pinned: trained once from fixtures/train/comments.jsonl with
 * `commentguard train --hash-bits 12 --c 1 --folds 3 --lexicon fixtures/lexicon/unmarked.txt`, kept
 * as files so that training changes do not move it) keeps its exact scores: label and the three
 * probabilities, bit for bit (fixtures/pinned/scores.txt, hexadecimal floats), of the first
 * N_PINNED generated inputs, alone and against the article. Re-recorded as the vectors are:
 *   CG_RECORD_SCORES=tests/fixtures/pinned/scores.txt build/tests/test_differential
 */
#define PINNED_DIR CG_FIXTURES "/pinned"
#define PINNED_SCORES PINNED_DIR "/scores.txt"
#define N_PINNED 1000

Test(differential, pinned_bundle_keeps_its_scores, .timeout = 240)
{
    const char *record = getenv("CG_RECORD_SCORES");
    FILE *out = NULL;
    char *expected = NULL, *line = NULL, err[512] = "";
    if (record && *record) {
        out = fopen(record, "w");
        cr_assert_not_null(out, "cannot write %s", record);
    } else {
        expected = cgt_read_file(PINNED_SCORES, NULL);
        line = expected;
    }
    cg_model *model;
    cr_assert_eq(cg_model_open(PINNED_DIR, &model, err, sizeof err), CG_OK, "%s", err);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(model, &ws), CG_OK);
    cg_article *article;
    cr_assert_eq(cg_article_new(model, ws, article_text, strlen(article_text), &article), CG_OK);
    buffer b = {0};
    size_t mismatches = 0, compared = 0;
    for (size_t i = 0; i < N_PINNED; i++) {
        make_input(&b, i);
        for (int s = 0; s < 2; s++) {
            cg_result r;
            cr_assert_eq(cg_classify(model, ws, b.data ? b.data : "", b.len, s ? article : NULL, &r), CG_OK,
                         "input %zu: %s", i, cg_workspace_error(ws));
            char got[160];
            snprintf(got, sizeof got, "%zu %d %d %a %a %a", i, s, (int)r.label, r.prob[0], r.prob[1], r.prob[2]);
            if (out) {
                fprintf(out, "%s\n", got);
                continue;
            }
            cr_assert(line && *line, "%s ends before input %zu", PINNED_SCORES, i);
            char *end = strchr(line, '\n');
            size_t n = end ? (size_t)(end - line) : strlen(line);
            compared++;
            if (n != strlen(got) || memcmp(line, got, n) != 0) {
                if (mismatches++ < 10)
                    cr_log_error("input %zu (%zu bytes): %s, recorded %.*s", i, b.len, got, (int)n, line);
            }
            line = end ? end + 1 : NULL;
        }
    }
    free(b.data);
    cg_article_free(article);
    cg_workspace_free(ws);
    cg_model_free(model);
    if (out) {
        cr_assert_eq(fclose(out), 0);
        return;
    }
    cr_expect(line == NULL || *line == '\0', "%s has lines beyond the inputs", PINNED_SCORES);
    free(expected);
    cr_expect_eq(compared, (size_t)N_PINNED * 2);
    cr_expect_eq(mismatches, 0, "%zu of %zu scores differ from the recorded ones", mismatches, compared);
}
