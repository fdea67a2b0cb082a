/* svm_model.c - reading a libsvm model file safely, its binary cache, and its collapsed linear form.
 *
 * libsvm's svm_load_model trusts its input (a huge total_sv is a huge allocation, a NaN is a
 * NaN) and calls setlocale, which is not safe while other threads run. We parse the same text
 * ourselves (svm_text.c), check everything, and build both the collapsed linear weights and
 * libsvm's struct.
 *
 * Reading hundreds of thousands of numbers as text is most of the cost of opening a model, so a
 * bundle may also hold the support vectors in binary (cg_svm_write_cache): bound to the exact bytes
 * of the text it was made from by their hash, with a checksum of its own, and checked as strictly
 * as the text. The text stays the source of truth: its header is always read from it, and a cache
 * that is missing, stale, corrupt or from another version is ignored. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include "svm_model.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "read_file.h"
#include "svm_text.h"

/* Model files larger than this are refused before reading. */
#define MAX_MODEL_FILE_BYTES (1024L * 1024 * 1024)

double *cg_svm_alloc_weights(int max_index)
{
    size_t bytes = ((size_t)max_index + 1) * CG_WEIGHT_STRIDE * sizeof(double);
    double *w = cg_alloc_big(bytes);
    if (w)
        memset(w, 0, bytes);
    return w;
}

/* w_p for pair p = (i, j): class i's vectors weighted by sv_coef[j-1], class j's by sv_coef[i],
 * exactly the sums svm_predict_values forms. */
static cg_status collapse(cg_svm_parser *ps, cg_svm *svm)
{
    const struct svm_model *m = svm->libsvm;
    if (!(svm->weights = cg_svm_alloc_weights(svm->max_index)))
        return cg_svm_fail(ps, "out of memory for %d weights", svm->max_index);
    int start[CG_NUM_CLASSES];
    start[0] = 0;
    for (int i = 1; i < CG_NUM_CLASSES; i++)
        start[i] = start[i - 1] + m->nSV[i - 1];
    int p = 0;
    for (int i = 0; i < CG_NUM_CLASSES; i++)
        for (int j = i + 1; j < CG_NUM_CLASSES; j++, p++) {
            for (int k = start[i]; k < start[i] + m->nSV[i]; k++)
                for (const struct svm_node *x = m->SV[k]; x->index != -1; x++)
                    svm->weights[(size_t)x->index * CG_WEIGHT_STRIDE + p] += m->sv_coef[j - 1][k] * x->value;
            for (int k = start[j]; k < start[j] + m->nSV[j]; k++)
                for (const struct svm_node *x = m->SV[k]; x->index != -1; x++)
                    svm->weights[(size_t)x->index * CG_WEIGHT_STRIDE + p] += m->sv_coef[i][k] * x->value;
        }
    for (size_t f = 0; f < ((size_t)svm->max_index + 1) * CG_WEIGHT_STRIDE; f++)
        if (!isfinite(svm->weights[f]))
            return cg_svm_fail(ps, "collapsed weights overflow");
    return CG_OK;
}

/* ---- the binary cache ---- */

#define CACHE_MAGIC "CGSVMBIN"
#define CACHE_VERSION 1u
#define CACHE_BYTE_ORDER 0x01020304u

/* The cache file: this header, then sv_coef[0][0..l) and sv_coef[1][0..l) (doubles), the node
 * count of each vector (uint32, padded with zeros to a multiple of 8 bytes), every node's index
 * (int32, padded likewise), every node's value (double); terminators are not stored. Numbers are
 * in the byte order of the machine that wrote it (byte_order tells), so the file is read in place. */
typedef struct cache_header {
    char magic[8];
    uint32_t version;
    uint32_t byte_order;
    uint64_t source_hash; /* XXH64 (seed 0) of model.svm's bytes */
    uint64_t source_size;
    uint64_t total_sv;
    uint64_t n_nodes;
    uint64_t payload_hash; /* XXH64 (seed 0) of everything after this cg_svm_header */
    uint32_t max_index;    /* the largest feature index of any vector */
    uint32_t reserved;     /* 0 */
} cache_header;

_Static_assert(sizeof(cache_header) == 64, "the cache header is 64 bytes");

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* The payload size for l vectors and n nodes, or 0 if it would overflow. */
static size_t payload_size(uint64_t l, uint64_t n)
{
    if (l > SIZE_MAX / 64 || n > SIZE_MAX / 64)
        return 0;
    return 2 * (size_t)l * sizeof(double) + pad8((size_t)l * sizeof(uint32_t)) + pad8((size_t)n * sizeof(int32_t)) +
           (size_t)n * sizeof(double);
}

/* A cache file read into memory, checked against the text it claims to come from. */
typedef struct cache_view {
    const cache_header *h;
    const double *coef[CG_NUM_CLASSES - 1];
    const uint32_t *counts;
    const int32_t *index;
    const double *value;
} cache_view;

static int open_cache(const void *data, size_t size, const char *text, size_t len, cache_view *v)
{
    const cache_header *h = data;
    if (size < sizeof *h || memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->version != CACHE_VERSION ||
        h->byte_order != CACHE_BYTE_ORDER || h->reserved != 0 || h->source_size != len ||
        h->total_sv == 0 || h->total_sv > INT_MAX)
        return 0;
    size_t payload = payload_size(h->total_sv, h->n_nodes);
    if (payload == 0 || payload != size - sizeof *h)
        return 0;
    const unsigned char *p = (const unsigned char *)data + sizeof *h;
    if (XXH64(p, payload, 0) != h->payload_hash || XXH64(text, len, 0) != h->source_hash)
        return 0;
    size_t l = (size_t)h->total_sv;
    v->h = h;
    v->coef[0] = (const double *)p;
    v->coef[1] = (const double *)p + l;
    p += 2 * l * sizeof(double);
    v->counts = (const uint32_t *)p;
    p += pad8(l * sizeof(uint32_t));
    v->index = (const int32_t *)p;
    p += pad8((size_t)h->n_nodes * sizeof(int32_t));
    v->value = (const double *)p;
    return 1;
}

/* The support vectors from the cache, checked as read_vectors checks the text. */
static cg_status cached_vectors(cg_svm_parser *ps, const cg_svm_header *h, struct svm_model *m, int max_index, const cache_view *v)
{
    long l = h->total_sv;
    if ((uint64_t)l != v->h->total_sv || v->h->max_index > (uint32_t)max_index)
        return cg_svm_fail(ps, "the cache does not match the model");
    size_t n_nodes = (size_t)v->h->n_nodes, used = 0, from = 0;
    struct svm_node *space = cg_svm_alloc_vectors(m, l, n_nodes);
    if (!space)
        return cg_svm_fail(ps, "out of memory for %ld support vectors", l);
    for (long i = 0; i < l; i++) {
        for (int k = 0; k < CG_NUM_CLASSES - 1; k++) {
            m->sv_coef[k][i] = v->coef[k][i];
            if (!isfinite(m->sv_coef[k][i]))
                return cg_svm_fail(ps, "cache: support vector %ld has a coefficient that is not finite", i + 1);
        }
        uint32_t count = v->counts[i];
        if (count > n_nodes - from)
            return cg_svm_fail(ps, "cache: node counts exceed the nodes");
        m->SV[i] = space + used;
        int last = 0;
        for (uint32_t j = 0; j < count; j++, from++) {
            int32_t index = v->index[from];
            double value = v->value[from];
            if (index <= last || index > max_index || !isfinite(value))
                return cg_svm_fail(ps, "cache: support vector %ld: bad node", i + 1);
            last = index;
            space[used].index = index;
            space[used++].value = value;
        }
        space[used].index = -1;
        space[used++].value = 0;
    }
    return from == n_nodes ? CG_OK : cg_svm_fail(ps, "cache: node counts fall short of the nodes");
}

/* Parse the model text; with a cache, its support vectors are taken from the cache instead. */
static cg_status parse_model(const char *text, size_t len, const char *name, int max_index, const cache_view *cache,
                             cg_svm *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->max_index = max_index;
    cg_svm_parser ps = {text, text + len, name, 1, newlocale(LC_ALL_MASK, "C", (locale_t)0), err, errlen};
    if (!ps.c_locale)
        return cg_svm_fail(&ps, "cannot create the C locale");
    cg_svm_header h = {0};
    cg_status st = cg_svm_read_header(&ps, &h, out);
    if (st == CG_OK)
        st = cg_svm_check_header(&ps, &h, out);
    if (st == CG_OK)
        st = cg_svm_build_libsvm(&ps, &h, out);
    if (st == CG_OK)
        st = cache ? cached_vectors(&ps, &h, out->libsvm, max_index, cache)
                   : cg_svm_read_vectors(&ps, &h, out->libsvm, max_index);
    if (st == CG_OK && out->kernel_type == LINEAR)
        st = collapse(&ps, out);
    freelocale(ps.c_locale);
    if (st != CG_OK)
        cg_svm_destroy(out);
    return st;
}

cg_status cg_svm_parse(const char *text, size_t len, const char *name, int max_index, cg_svm *out, char *err,
                       size_t errlen)
{
    return parse_model(text, len, name, max_index, NULL, out, err, errlen);
}

cg_status cg_svm_load(const char *path, int max_index, cg_svm *out, char *err, size_t errlen)
{
    return cg_svm_load_cached(path, NULL, max_index, out, NULL, err, errlen);
}

cg_status cg_svm_load_cached(const char *path, const char *cache_path, int max_index, cg_svm *out, int *used_cache,
                             char *err, size_t errlen)
{
    char *text, *cache = NULL;
    size_t len, cache_len = 0;
    if (used_cache)
        *used_cache = 0;
    cg_status st = cg_read_file(path, MAX_MODEL_FILE_BYTES, &text, &len, err, errlen);
    if (st != CG_OK) {
        if (st == CG_ERR_FORMAT && err)
            snprintf(err, errlen, "%s: larger than 1 GiB", path);
        memset(out, 0, sizeof *out);
        return st;
    }
    cache_view view;
    if (cache_path && cg_read_file(cache_path, MAX_MODEL_FILE_BYTES, &cache, &cache_len, NULL, 0) == CG_OK &&
        open_cache(cache, cache_len, text, len, &view) &&
        parse_model(text, len, path, max_index, &view, out, err, errlen) == CG_OK) {
        if (used_cache)
            *used_cache = 1;
        st = CG_OK;
    } else {
        st = parse_model(text, len, path, max_index, NULL, out, err, errlen);
    }
    free(cache);
    free(text);
    return st;
}

static int write_all(FILE *f, const void *p, size_t n)
{
    static const unsigned char zeros[8];
    return fwrite(p, 1, n, f) == n && fwrite(zeros, 1, pad8(n) - n, f) == pad8(n) - n;
}

cg_status cg_svm_write_cache(const char *path, const char *cache_path, int max_index, char *err, size_t errlen)
{
    char *text;
    size_t len;
    cg_status st = cg_read_file(path, MAX_MODEL_FILE_BYTES, &text, &len, err, errlen);
    if (st != CG_OK)
        return st;
    cg_svm svm;
    st = parse_model(text, len, path, max_index, NULL, &svm, err, errlen);
    if (st != CG_OK) {
        free(text);
        return st;
    }
    const struct svm_model *m = svm.libsvm;
    size_t l = (size_t)m->l, n_nodes = 0;
    uint32_t *counts = malloc(l * sizeof *counts);
    int max_seen = 0;
    for (size_t i = 0; counts && i < l; i++) {
        const struct svm_node *x = m->SV[i];
        for (counts[i] = 0; x[counts[i]].index != -1; counts[i]++)
            if (x[counts[i]].index > max_seen)
                max_seen = x[counts[i]].index;
        n_nodes += counts[i];
    }
    int32_t *index = malloc((n_nodes + 1) * sizeof *index);
    double *value = malloc((n_nodes + 1) * sizeof *value);
    size_t tmp_len = strlen(cache_path) + 5;
    char *tmp = malloc(tmp_len);
    if (!counts || !index || !value || !tmp) {
        st = CG_ERR_NOMEM;
        if (err)
            snprintf(err, errlen, "out of memory writing %s", cache_path);
    } else {
        size_t k = 0;
        for (size_t i = 0; i < l; i++)
            for (const struct svm_node *x = m->SV[i]; x->index != -1; x++, k++) {
                index[k] = x->index;
                value[k] = x->value;
            }
        cache_header h = {.version = CACHE_VERSION,
                          .byte_order = CACHE_BYTE_ORDER,
                          .source_hash = XXH64(text, len, 0),
                          .source_size = len,
                          .total_sv = l,
                          .n_nodes = n_nodes,
                          .max_index = (uint32_t)max_seen};
        memcpy(h.magic, CACHE_MAGIC, 8);
        /* The payload hash is computed over the bytes as they will be written. */
        XXH64_state_t *hs = XXH64_createState();
        static const unsigned char zeros[8];
        if (hs && XXH64_reset(hs, 0) != XXH_ERROR) {
            XXH64_update(hs, m->sv_coef[0], l * sizeof(double));
            XXH64_update(hs, m->sv_coef[1], l * sizeof(double));
            XXH64_update(hs, counts, l * sizeof *counts);
            XXH64_update(hs, zeros, pad8(l * sizeof *counts) - l * sizeof *counts);
            XXH64_update(hs, index, n_nodes * sizeof *index);
            XXH64_update(hs, zeros, pad8(n_nodes * sizeof *index) - n_nodes * sizeof *index);
            XXH64_update(hs, value, n_nodes * sizeof *value);
            h.payload_hash = XXH64_digest(hs);
        }
        snprintf(tmp, tmp_len, "%s.tmp", cache_path);
        FILE *f = hs ? fopen(tmp, "wb") : NULL;
        int ok = f && fwrite(&h, sizeof h, 1, f) == 1 && write_all(f, m->sv_coef[0], l * sizeof(double)) &&
                 write_all(f, m->sv_coef[1], l * sizeof(double)) && write_all(f, counts, l * sizeof *counts) &&
                 write_all(f, index, n_nodes * sizeof *index) && write_all(f, value, n_nodes * sizeof *value);
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok || rename(tmp, cache_path) != 0) {
            if (err)
                snprintf(err, errlen, "%s: cannot write: %s", cache_path, hs ? strerror(errno) : "out of memory");
            if (f)
                unlink(tmp);
            st = CG_ERR_IO;
        }
        XXH64_freeState(hs);
    }
    free(tmp);
    free(value);
    free(index);
    free(counts);
    cg_svm_destroy(&svm);
    free(text);
    return st;
}

void cg_svm_destroy(cg_svm *svm)
{
    struct svm_model *m = svm->libsvm;
    if (m) {
        if (m->SV)
            free(m->SV[0]);
        free(m->SV);
        if (m->sv_coef)
            for (int k = 0; k < CG_NUM_CLASSES - 1; k++)
                free(m->sv_coef[k]);
        free(m->sv_coef);
        free(m->rho);
        free(m->probA);
        free(m->probB);
        free(m->label);
        free(m->nSV);
        free(m);
    }
    free(svm->weights);
    memset(svm, 0, sizeof *svm);
}

void cg_svm_fold_class_weights(cg_svm *svm, const double weight[CG_NUM_CLASSES])
{
    for (int i = 0, p = 0; i < CG_NUM_CLASSES; i++)
        for (int j = i + 1; j < CG_NUM_CLASSES; j++, p++) {
            double shift = log(weight[svm->label[i]] / weight[svm->label[j]]);
            svm->prob_b[p] -= shift;
            if (svm->libsvm && svm->libsvm->probB)
                svm->libsvm->probB[p] -= shift;
        }
}
