/*
 * test_differential.c - the extractor's output must not change when its code is made faster
 * (issue 25): the feature vectors of a few thousand generated inputs are compared, bit for bit,
 * with vectors recorded from the extractor as it was (fixtures/differential/vectors.txt: one line
 * per input and setting, the number of nodes and an XXH64 of every node's index and value bits).
 *
 * The inputs are generated (differential_inputs.h) by a fixed pseudo-random sequence from
 * fragments: plain ASCII prose, mixed Unicode (accents, other scripts, look-alikes, full-width and
 * styled letters, emoji, invisible characters), obfuscated words (leetspeak, masks, letters set
 * apart, elongations), markup, links and numbers, invalid UTF-8 and NUL bytes, and huge texts (runs
 * of one letter or digit, a megabyte of prose). Each is extracted with three settings: the defaults with a lexicon
 * that has unmarked words, the same against an article, and a small hashed space with word
 * trigrams and other character n-gram lengths. What scoring sums instead of a vector
 * (cg_extract_sums: the hashed block unsorted) must be the sorted vector's sums within rounding, and
 * score as `commentguard score` prints it exactly as the sorted vector does.
 *
 * A deliberate change of the extractor's output (a new feature definition) re-records the file:
 *   CG_RECORD_VECTORS=tests/fixtures/differential/vectors.txt build/tests/test_differential
 * and says so in its commit message.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "bundle.h"
#include "differential_inputs.h"
#include "extract.h"
#include "lexicon.h"
#include "relevance.h"
#include "workspace.h"

#define RECORDED CG_FIXTURES "/differential/vectors.txt"
#define N_SETTINGS 3

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

/* Made-up weights of a linear model over every feature index of the settings (CG_WEIGHT_STRIDE a
 * feature, each of the pairs in [-1, 1]), for the sums that scoring takes (cg_extract_sums). */
static double *made_up_weights(void)
{
    size_t dim = (size_t)cg_feature_dim(&extractors[0].config) + 1;
    cr_assert_geq(dim, (size_t)cg_feature_dim(&extractors[1].config) + 1);
    double *w = malloc(dim * CG_WEIGHT_STRIDE * sizeof *w);
    cr_assert_not_null(w);
    for (size_t k = 0; k < dim * CG_WEIGHT_STRIDE; k++)
        w[k] = (double)(XXH3_64bits(&k, sizeof k) % 2001) / 1000.0 - 1.0;
    return w;
}

/* How far cg_extract_sums' sums may lie from those over the sorted vector of n features, whose terms'
 * magnitudes add up to `magnitude`: each sum is taken in another order (the hashed block in the order
 * its slots were first touched, and scaled after the sum, not before), and rounding moves a sum of n
 * terms by at most about n units of the last place of that magnitude. */
static double sums_tolerance(size_t n, double magnitude)
{
    return 2.0 * (double)(n + 2) * 0x1p-52 * magnitude;
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
    double *weights = made_up_weights(), worst = 0;
    for (size_t i = 0; i < N_SMALL + N_HUGE; i++) {
        make_input(&b, i);
        for (int s = 0; s < N_SETTINGS; s++) {
            const cg_extractor *ex = &extractors[s == 2];
            double sums[CG_PAIRS];
            cr_assert_eq(cg_extract_sums(ex, ws, b.data ? b.data : "", b.len, s == 1 ? article : NULL, weights, sums),
                         CG_OK, "input %zu: %s", i, cg_workspace_error(ws));
            cr_assert_eq(cg_extract(ex, ws, b.data ? b.data : "", b.len, s == 1 ? article : NULL), CG_OK,
                         "input %zu: %s", i, cg_workspace_error(ws));
            /* Scoring's sums, without the vector, are the sorted vector's within rounding. */
            for (int p = 0; p < CG_PAIRS; p++) {
                double sum = 0, magnitude = 0;
                for (size_t k = 0; k < ws->n_nodes; k++) {
                    double term = weights[(size_t)ws->nodes[k].index * CG_WEIGHT_STRIDE + p] * ws->nodes[k].value;
                    sum += term;
                    magnitude += fabs(term);
                }
                double apart = fabs(sums[p] - sum), tolerance = sums_tolerance(ws->n_nodes, magnitude);
                worst = tolerance > 0 ? fmax(worst, apart / tolerance) : worst;
                cr_assert(apart <= tolerance, "input %zu setting %d pair %d: %.17g summed, %.17g over the vector", i,
                          s, p, sums[p], sum);
            }
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
    free(weights);
    cg_article_destroy(article);
    cg_workspace_free(ws);
    cr_log_info("scoring's sums at most %.3g of their rounding bound from the sorted vectors'", worst);
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

/* A bundle opened for scoring the generated inputs: its workspace and the article under which each
 * input is scored a second time. */
typedef struct {
    cg_model *model;
    cg_workspace *ws;
    cg_article *article;
} scorer;

static scorer scorer_open(const char *dir)
{
    scorer sc;
    char err[512] = "";
    cr_assert_eq(cg_model_open(dir, &sc.model, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_workspace_new(sc.model, &sc.ws), CG_OK);
    cr_assert_eq(cg_article_new(sc.model, sc.ws, article_text, strlen(article_text), &sc.article), CG_OK);
    return sc;
}

static void scorer_close(scorer *sc)
{
    cg_article_free(sc->article);
    cg_workspace_free(sc->ws);
    cg_model_free(sc->model);
}

Test(differential, pinned_bundle_keeps_its_scores, .timeout = 240)
{
    const char *record = getenv("CG_RECORD_SCORES");
    FILE *out = NULL;
    char *expected = NULL, *line = NULL;
    if (record && *record) {
        out = fopen(record, "w");
        cr_assert_not_null(out, "cannot write %s", record);
    } else {
        expected = cgt_read_file(PINNED_SCORES, NULL);
        line = expected;
    }
    scorer sc = scorer_open(PINNED_DIR);
    cg_model *model = sc.model;
    cg_workspace *ws = sc.ws;
    cg_article *article = sc.article;
    ws->sorted_nodes = 1; /* the scores of sorted vectors, bit for bit; scoring's own sums: the next test */
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
    scorer_close(&sc);
    if (out) {
        cr_assert_eq(fclose(out), 0);
        return;
    }
    cr_expect(line == NULL || *line == '\0', "%s has lines beyond the inputs", PINNED_SCORES);
    free(expected);
    cr_expect_eq(compared, (size_t)N_PINNED * 2);
    cr_expect_eq(mismatches, 0, "%zu of %zu scores differ from the recorded ones", mismatches, compared);
}

/* A score as `commentguard score` prints it: the label and the probabilities to 6 decimals. */
static void score_line(char *out, size_t size, const cg_result *r)
{
    snprintf(out, size, "%d %.6f %.6f %.6f", (int)r->label, r->prob[0], r->prob[1], r->prob[2]);
}

/*
 * cg_classify scores a linear model from the sums of cg_extract_sums, the hashed block unsorted:
 * its probabilities differ from the sorted vectors' in rounding only. The pinned bundle's recorded scores hold through
 * them as `score` prints them: the same label, the probabilities within 1e-12 and the same to 6
 * decimals.
 */
Test(differential, pinned_scores_hold_on_the_scoring_path, .timeout = 240)
{
    char *expected = cgt_read_file(PINNED_SCORES, NULL), *line = expected;
    scorer sc = scorer_open(PINNED_DIR);
    cr_assert_not_null(sc.model->svm.weights, "the pinned bundle is linear");
    buffer b = {0};
    double worst = 0;
    for (size_t i = 0; i < N_PINNED; i++) {
        make_input(&b, i);
        for (int s = 0; s < 2; s++) {
            cg_result r, want;
            cr_assert_eq(cg_classify(sc.model, sc.ws, b.data ? b.data : "", b.len, s ? sc.article : NULL, &r), CG_OK,
                         "input %zu: %s", i, cg_workspace_error(sc.ws));
            size_t want_i;
            int want_s, want_label;
            cr_assert(line && sscanf(line, "%zu %d %d %la %la %la", &want_i, &want_s, &want_label, &want.prob[0],
                                     &want.prob[1], &want.prob[2]) == 6 && want_i == i && want_s == s,
                      "%s out of step at input %zu", PINNED_SCORES, i);
            want.label = (cg_label)want_label;
            char got_line[96], want_line[96];
            score_line(got_line, sizeof got_line, &r);
            score_line(want_line, sizeof want_line, &want);
            cr_assert_str_eq(got_line, want_line, "input %zu with%s the article", i, s ? "" : "out");
            for (int k = 0; k < CG_NUM_CLASSES; k++)
                worst = fmax(worst, fabs(r.prob[k] - want.prob[k]));
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
    }
    cr_log_info("pinned bundle, scoring path: probabilities at most %.3g from the recorded ones", worst);
    cr_expect(worst <= 1e-12, "probabilities %.3g from the recorded ones", worst);
    free(b.data);
    free(expected);
    scorer_close(&sc);
}

/* The shipped model scores every generated input alike from its sums and from sorted vectors, as `score`
 * prints it; the largest difference of their decision values is logged (tools/order_check.c measures
 * it on the corpora). */
Test(differential, default_model_scores_alike_both_ways, .timeout = 240)
{
    scorer sc = scorer_open(CG_MODEL_DIR);
    cr_assert_not_null(sc.model->svm.weights, "the default model is linear");
    buffer b = {0};
    double worst = 0;
    for (size_t i = 0; i < N_SMALL + N_HUGE; i++) {
        make_input(&b, i);
        for (int s = 0; s < 2; s++) {
            const char *text = b.data ? b.data : "";
            const cg_article *a = s ? sc.article : NULL;
            cg_result r[2];
            char line[2][96];
            double dec[2][CG_PAIRS];
            for (int sorted = 0; sorted < 2; sorted++) {
                sc.ws->sorted_nodes = sorted;
                cr_assert_eq(cg_classify(sc.model, sc.ws, text, b.len, a, &r[sorted]), CG_OK, "input %zu: %s", i,
                             cg_workspace_error(sc.ws));
                score_line(line[sorted], sizeof line[sorted], &r[sorted]);
                if (sorted) {
                    cr_assert_eq(cg_extract(&sc.model->extractor, sc.ws, text, b.len, a), CG_OK);
                    cg_svm_decision_values(&sc.model->svm, sc.ws->nodes, dec[1]);
                } else {
                    cr_assert_eq(
                        cg_extract_sums(&sc.model->extractor, sc.ws, text, b.len, a, sc.model->svm.weights, dec[0]),
                        CG_OK);
                    for (int p = 0; p < CG_PAIRS; p++)
                        dec[0][p] -= sc.model->svm.rho[p];
                }
            }
            cr_assert_str_eq(line[0], line[1], "input %zu with%s the article", i, s ? "" : "out");
            for (int p = 0; p < CG_PAIRS; p++)
                worst = fmax(worst, fabs(dec[0][p] - dec[1][p]));
        }
    }
    cr_log_info("default model, %d inputs alone and with the article: decision values at most %.3g apart",
                N_SMALL + N_HUGE, worst);
    cr_expect(worst <= 1e-12, "decision values %.3g apart", worst);
    free(b.data);
    scorer_close(&sc);
}
