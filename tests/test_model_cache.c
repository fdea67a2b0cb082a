/*
 * test_model_cache.c - the binary cache of a libsvm model (src/svm_model.c, cg_svm_write_cache and
 * cg_svm_load_cached; src/bundle.c, model.svm.bin): read in place of the text only when it was made
 * from exactly that text and is intact, and then the same model bit for bit; ignored (the text is
 * parsed) when missing, stale, truncated, corrupt, of another version or hostile; never a crash.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "bundle.h"
#include "svm_model.h"

#define MODEL(name) CG_FIXTURES "/models/" name
#define TINY_MAX_INDEX 5

static char tmp[64];
static char *svm_path, *cache_path;
static char err[512];

static void setup(void)
{
    cgt_make_tmpdir(tmp, "model_cache");
    size_t len;
    char *text = cgt_read_file(MODEL("tiny_linear.svm"), &len);
    svm_path = cgt_write_file(tmp, "model.svm", text, len);
    free(text);
    size_t n = strlen(tmp) + sizeof "/model.svm.bin";
    cache_path = malloc(n);
    snprintf(cache_path, n, "%s/model.svm.bin", tmp);
    err[0] = '\0';
}

static void teardown(void)
{
    cgt_remove_tree(tmp);
    free(svm_path);
    free(cache_path);
}

TestSuite(model_cache, .init = setup, .fini = teardown);

/* Load with the cache; expect success, and say whether the cache was used. */
static int load(cg_svm *svm)
{
    int used = -1;
    cr_assert_eq(cg_svm_load_cached(svm_path, cache_path, TINY_MAX_INDEX, svm, &used, err, sizeof err), CG_OK, "%s",
                 err);
    cr_assert(used == 0 || used == 1);
    return used;
}

/* Two loads of one model agree in every number, libsvm's struct included. */
static void expect_same_model(const cg_svm *a, const cg_svm *b)
{
    cr_expect_eq(a->kernel_type, b->kernel_type);
    cr_expect_eq(memcmp(a->rho, b->rho, sizeof a->rho), 0);
    cr_expect_eq(memcmp(a->prob_a, b->prob_a, sizeof a->prob_a), 0);
    cr_expect_eq(memcmp(a->prob_b, b->prob_b, sizeof a->prob_b), 0);
    cr_expect_eq(memcmp(a->label, b->label, sizeof a->label), 0);
    cr_assert_not_null(a->weights);
    cr_assert_not_null(b->weights);
    for (size_t f = 0; f <= (size_t)a->max_index; f++)
        for (int p = 0; p < CG_PAIRS; p++)
            cr_expect_eq(a->weights[f * CG_WEIGHT_STRIDE + p], b->weights[f * CG_WEIGHT_STRIDE + p],
                         "weight of feature %zu, pair %d", f, p);
    const struct svm_model *x = a->libsvm, *y = b->libsvm;
    cr_assert_not_null(x);
    cr_assert_not_null(y);
    cr_assert_eq(x->l, y->l);
    for (int i = 0; i < x->l; i++) {
        for (int k = 0; k < CG_NUM_CLASSES - 1; k++)
            cr_expect_eq(x->sv_coef[k][i], y->sv_coef[k][i]);
        const struct svm_node *u = x->SV[i], *v = y->SV[i];
        for (; u->index != -1 && v->index != -1; u++, v++) {
            cr_expect_eq(u->index, v->index);
            cr_expect_eq(u->value, v->value);
        }
        cr_expect_eq(u->index, -1, "vector %d: the cache has fewer nodes", i);
        cr_expect_eq(v->index, -1, "vector %d: the cache has more nodes", i);
    }
}

Test(model_cache, without_a_cache_the_text_is_read)
{
    cg_svm svm;
    cr_expect_eq(load(&svm), 0);
    cr_expect_not_null(svm.weights);
    cg_svm_destroy(&svm);
}

Test(model_cache, the_cache_gives_the_same_model)
{
    cg_svm text, cached;
    cr_assert_eq(cg_svm_load(svm_path, TINY_MAX_INDEX, &text, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_svm_write_cache(svm_path, cache_path, TINY_MAX_INDEX, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(load(&cached), 1, "a fresh cache must be used");
    expect_same_model(&text, &cached);
    double dec[CG_PAIRS], ref[CG_PAIRS];
    struct svm_node x[] = {{1, 0.5}, {3, -1}, {5, 2}, {-1, 0}};
    cg_svm_decision_values(&cached, x, dec);
    svm_predict_values(cached.libsvm, x, ref);
    for (int p = 0; p < CG_PAIRS; p++)
        cr_expect_float_eq(dec[p], ref[p], 1e-12);
    cg_svm_destroy(&text);
    cg_svm_destroy(&cached);
}

Test(model_cache, a_stale_cache_is_ignored)
{
    cr_assert_eq(cg_svm_write_cache(svm_path, cache_path, TINY_MAX_INDEX, err, sizeof err), CG_OK, "%s", err);
    /* The model changes after the cache was written: one coefficient differs. */
    size_t len;
    char *text = cgt_read_file(svm_path, &len);
    char *at = strstr(text, "0.5 0.25 1:4");
    cr_assert_not_null(at);
    at[2] = '7'; /* 0.7 */
    free(cgt_write_file(tmp, "model.svm", text, len));
    free(text);
    cg_svm svm, ref;
    cr_expect_eq(load(&svm), 0, "a cache of another model.svm must not be used");
    cr_assert_eq(cg_svm_load(svm_path, TINY_MAX_INDEX, &ref, err, sizeof err), CG_OK, "%s", err);
    expect_same_model(&ref, &svm);
    cg_svm_destroy(&svm);
    cg_svm_destroy(&ref);
}

/* Rewrite the cache file through fn, then expect it to be ignored and the text's model loaded. */
static void expect_ignored_after(void (*fn)(unsigned char *data, size_t *len))
{
    cr_assert_eq(cg_svm_write_cache(svm_path, cache_path, TINY_MAX_INDEX, err, sizeof err), CG_OK, "%s", err);
    size_t len;
    unsigned char *data = (unsigned char *)cgt_read_file(cache_path, &len);
    fn(data, &len);
    free(cgt_write_file(tmp, "model.svm.bin", data, len));
    free(data);
    cg_svm svm, ref;
    cr_expect_eq(load(&svm), 0, "a damaged cache must not be used");
    cr_assert_eq(cg_svm_load(svm_path, TINY_MAX_INDEX, &ref, err, sizeof err), CG_OK, "%s", err);
    expect_same_model(&ref, &svm);
    cg_svm_destroy(&svm);
    cg_svm_destroy(&ref);
}

static void truncate_payload(unsigned char *data, size_t *len)
{
    (void)data;
    *len -= 8;
}

static void truncate_header(unsigned char *data, size_t *len)
{
    (void)data;
    *len = 40;
}

static void flip_a_payload_byte(unsigned char *data, size_t *len)
{
    data[*len - 3] ^= 0x10;
}

static void other_version(unsigned char *data, size_t *len)
{
    (void)len;
    data[8] += 1; /* the version follows the 8-byte magic */
}

static void other_magic(unsigned char *data, size_t *len)
{
    (void)len;
    data[0] = 'X';
}

/* A hostile cache whose checksum is right: a node index beyond the model's features. The layout
 * (64-byte header; coefficients; node counts; indices; values) is svm_model.c's. */
static void index_out_of_range(unsigned char *data, size_t *len)
{
    uint64_t l, n;
    memcpy(&l, data + 32, 8);
    memcpy(&n, data + 40, 8);
    size_t counts = 64 + 2 * l * 8, indices = counts + ((l * 4 + 7) & ~(size_t)7);
    int32_t bad = TINY_MAX_INDEX + 1000;
    memcpy(data + indices + 4 * (n - 1), &bad, sizeof bad); /* the last node of the last vector */
    uint64_t h = XXH64(data + 64, *len - 64, 0);
    memcpy(data + 48, &h, 8);
}

/* The same with indices out of order. */
static void indices_descending(unsigned char *data, size_t *len)
{
    uint64_t l;
    memcpy(&l, data + 32, 8);
    size_t indices = 64 + 2 * l * 8 + ((l * 4 + 7) & ~(size_t)7);
    int32_t first[2];
    memcpy(first, data + indices, sizeof first); /* the first vector is "1:1 3:2" */
    int32_t swapped[2] = {first[1], first[0]};
    memcpy(data + indices, swapped, sizeof swapped);
    uint64_t h = XXH64(data + 64, *len - 64, 0);
    memcpy(data + 48, &h, 8);
}

/* The same with more nodes claimed for a vector than there are. */
static void counts_overflow(unsigned char *data, size_t *len)
{
    uint64_t l;
    memcpy(&l, data + 32, 8);
    uint32_t huge = 0xFFFFFFF0u;
    memcpy(data + 64 + 2 * l * 8, &huge, sizeof huge);
    uint64_t h = XXH64(data + 64, *len - 64, 0);
    memcpy(data + 48, &h, 8);
}

Test(model_cache, a_truncated_cache_is_ignored)
{
    expect_ignored_after(truncate_payload);
}

Test(model_cache, a_cache_shorter_than_its_header_is_ignored)
{
    expect_ignored_after(truncate_header);
}

Test(model_cache, a_corrupt_cache_is_ignored)
{
    expect_ignored_after(flip_a_payload_byte);
}

Test(model_cache, a_cache_of_another_version_is_ignored)
{
    expect_ignored_after(other_version);
}

Test(model_cache, a_file_that_is_no_cache_is_ignored)
{
    expect_ignored_after(other_magic);
}

Test(model_cache, a_hostile_cache_is_checked_like_the_text)
{
    expect_ignored_after(index_out_of_range);
}

Test(model_cache, a_cache_with_indices_out_of_order_is_ignored)
{
    expect_ignored_after(indices_descending);
}

Test(model_cache, a_cache_claiming_too_many_nodes_is_ignored)
{
    expect_ignored_after(counts_overflow);
}

Test(model_cache, a_broken_model_stays_an_error_whatever_the_cache)
{
    cr_assert_eq(cg_svm_write_cache(svm_path, cache_path, TINY_MAX_INDEX, err, sizeof err), CG_OK, "%s", err);
    free(cgt_write_file(tmp, "model.svm", "svm_type c_svc\n", 15));
    cg_svm svm;
    cr_expect_eq(cg_svm_load_cached(svm_path, cache_path, TINY_MAX_INDEX, &svm, NULL, err, sizeof err),
                 CG_ERR_FORMAT);
    cr_expect_null(svm.libsvm);
    cr_expect_null(svm.weights);
}

Test(model_cache, writing_a_cache_of_a_broken_model_fails)
{
    free(cgt_write_file(tmp, "model.svm", "svm_type c_svc\n", 15));
    cr_expect_eq(cg_svm_write_cache(svm_path, cache_path, TINY_MAX_INDEX, err, sizeof err), CG_ERR_FORMAT);
    cr_expect_eq(access(cache_path, F_OK), -1, "no cache may be left behind");
}

/* The bundle layer: cg_bundle_write_cache writes model.svm.bin, and a model opened from the bundle
 * classifies exactly as one opened without it. */
Test(model_cache, a_bundle_with_its_cache_classifies_the_same)
{
    char *dir = cgt_train_bundle(tmp, "bundle");
    char bin[256];
    snprintf(bin, sizeof bin, "%s/%s", dir, CG_BUNDLE_SVM_CACHE);
    unlink(bin); /* in case training wrote one */
    cg_model *plain, *cached;
    cr_assert_eq(cg_model_open(dir, &plain, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_bundle_write_cache(dir, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(access(bin, F_OK), 0, "cg_bundle_write_cache wrote no %s", bin);
    cr_assert_eq(cg_model_open(dir, &cached, err, sizeof err), CG_OK, "%s", err);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(plain, &ws), CG_OK);
    static const char *const texts[] = {"What a great article, thanks!", "buy cheap watches at www.spam.biz",
                                        "you are a complete idiot", ""};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cg_result a, b;
        cr_assert_eq(cg_classify(plain, ws, texts[i], strlen(texts[i]), NULL, &a), CG_OK);
        cr_assert_eq(cg_classify(cached, ws, texts[i], strlen(texts[i]), NULL, &b), CG_OK);
        cr_expect_eq(a.label, b.label);
        for (int k = 0; k < CG_NUM_CLASSES; k++)
            cr_expect_eq(a.prob[k], b.prob[k], "\"%s\" class %d", texts[i], k);
    }
    cg_workspace_free(ws);
    cg_model_free(plain);
    cg_model_free(cached);
    free(dir);
}
