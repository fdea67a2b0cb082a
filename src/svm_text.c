/* svm_text.c - the libsvm model text (what svm_save_model writes), parsed without trusting it:
 * the header checked for what commentguard uses (three classes, probabilities), every number read
 * in the C locale and checked, the support vectors allocated once after counting them.
 * svm_model.c puts the pieces together. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include "svm_text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_file.h"


cg_status cg_svm_fail(cg_svm_parser *ps, const char *fmt, ...)
{
    if (ps->err && ps->errlen) {
        int n = snprintf(ps->err, ps->errlen, "%s:%ld: ", ps->name, ps->line);
        if (n >= 0 && (size_t)n < ps->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return CG_ERR_FORMAT;
}

/* The next space-separated word of the current line, or NULL at the end of the line. */
static const char *word(cg_svm_parser *ps, size_t *len)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
        ps->p++;
    if (ps->p >= ps->end || *ps->p == '\n')
        return NULL;
    const char *start = ps->p;
    while (ps->p < ps->end && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '\r' && *ps->p != '\n')
        ps->p++;
    *len = (size_t)(ps->p - start);
    return start;
}

static int end_of_line(cg_svm_parser *ps)
{
    size_t len;
    if (word(ps, &len))
        return 0;
    if (ps->p < ps->end)
        ps->p++;
    ps->line++;
    return 1;
}

static int parse_double(cg_svm_parser *ps, const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *endp;
    errno = 0;
    double v = strtod_l(buf, &endp, ps->c_locale);
    if (*endp != '\0' || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static int parse_int(const char *s, size_t len, long lo, long hi, long *out)
{
    char buf[24];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *endp;
    errno = 0;
    long v = strtol(buf, &endp, 10);
    if (*endp != '\0' || errno == ERANGE || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

static int is_key(const char *w, size_t len, const char *key)
{
    return strlen(key) == len && memcmp(w, key, len) == 0;
}

/* Read exactly n doubles that follow the key on this line. */
static cg_status read_doubles(cg_svm_parser *ps, const char *key, double *v, int n)
{
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *w = word(ps, &len);
        if (!w || !parse_double(ps, w, len, &v[i]))
            return cg_svm_fail(ps, "%s needs %d finite numbers", key, n);
    }
    return end_of_line(ps) ? CG_OK : cg_svm_fail(ps, "%s has more than %d values", key, n);
}

static cg_status read_ints(cg_svm_parser *ps, const char *key, long *v, int n, long lo, long hi)
{
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *w = word(ps, &len);
        if (!w || !parse_int(w, len, lo, hi, &v[i]))
            return cg_svm_fail(ps, "%s needs %d integers in %ld..%ld", key, n, lo, hi);
    }
    return end_of_line(ps) ? CG_OK : cg_svm_fail(ps, "%s has more than %d values", key, n);
}


cg_status cg_svm_read_header(cg_svm_parser *ps, cg_svm_header *h, cg_svm *svm)
{
    static const char *const kernels[] = {"linear", "polynomial", "rbf", "sigmoid"};
    h->kernel_type = -1;
    for (;;) {
        size_t len, vlen;
        const char *key = word(ps, &len);
        if (!key) {
            if (ps->p >= ps->end)
                return cg_svm_fail(ps, "ends before the SV section");
            end_of_line(ps);
            continue;
        }
        cg_status st = CG_OK;
        if (is_key(key, len, "SV")) {
            return end_of_line(ps) ? CG_OK : cg_svm_fail(ps, "text after SV");
        } else if (is_key(key, len, "svm_type")) {
            const char *v = word(ps, &vlen);
            if (!v || !is_key(v, vlen, "c_svc"))
                return cg_svm_fail(ps, "svm_type must be c_svc");
            st = end_of_line(ps) ? CG_OK : cg_svm_fail(ps, "text after svm_type");
        } else if (is_key(key, len, "kernel_type")) {
            const char *v = word(ps, &vlen);
            for (int k = 0; v && k < 4; k++)
                if (is_key(v, vlen, kernels[k]))
                    h->kernel_type = k;
            if (h->kernel_type < 0)
                return cg_svm_fail(ps, "kernel_type must be linear, polynomial, rbf or sigmoid");
            st = end_of_line(ps) ? CG_OK : cg_svm_fail(ps, "text after kernel_type");
        } else if (is_key(key, len, "degree")) {
            st = read_ints(ps, "degree", &h->degree, 1, 1, 100);
        } else if (is_key(key, len, "gamma")) {
            st = read_doubles(ps, "gamma", &h->gamma, 1);
        } else if (is_key(key, len, "coef0")) {
            st = read_doubles(ps, "coef0", &h->coef0, 1);
        } else if (is_key(key, len, "nr_class")) {
            long n;
            st = read_ints(ps, "nr_class", &n, 1, CG_NUM_CLASSES, CG_NUM_CLASSES);
        } else if (is_key(key, len, "total_sv")) {
            st = read_ints(ps, "total_sv", &h->total_sv, 1, 1, INT_MAX);
            h->seen_total = 1;
        } else if (is_key(key, len, "rho")) {
            st = read_doubles(ps, "rho", svm->rho, CG_PAIRS);
            h->seen_rho = 1;
        } else if (is_key(key, len, "label")) {
            st = read_ints(ps, "label", h->labels, CG_NUM_CLASSES, 0, CG_NUM_CLASSES - 1);
            h->seen_label = 1;
        } else if (is_key(key, len, "probA")) {
            st = read_doubles(ps, "probA", svm->prob_a, CG_PAIRS);
            h->seen_prob_a = 1;
        } else if (is_key(key, len, "probB")) {
            st = read_doubles(ps, "probB", svm->prob_b, CG_PAIRS);
            h->seen_prob_b = 1;
        } else if (is_key(key, len, "nr_sv")) {
            st = read_ints(ps, "nr_sv", h->nr_sv, CG_NUM_CLASSES, 1, INT_MAX);
            h->seen_nr_sv = 1;
        } else {
            return cg_svm_fail(ps, "unknown header line '%.*s'", (int)(len > 40 ? 40 : len), key);
        }
        if (st != CG_OK)
            return st;
    }
}

cg_status cg_svm_check_header(cg_svm_parser *ps, const cg_svm_header *h, cg_svm *svm)
{
    if (h->kernel_type < 0)
        return cg_svm_fail(ps, "no kernel_type");
    if (!h->seen_total || !h->seen_rho || !h->seen_label || !h->seen_nr_sv)
        return cg_svm_fail(ps, "header lacks total_sv, rho, label or nr_sv");
    if (!h->seen_prob_a || !h->seen_prob_b)
        return cg_svm_fail(ps, "model has no probability information (train with probability estimates)");
    int seen[CG_NUM_CLASSES] = {0};
    long sum = 0;
    for (int i = 0; i < CG_NUM_CLASSES; i++) {
        if (seen[h->labels[i]]++)
            return cg_svm_fail(ps, "labels must be 0, 1 and 2, each once");
        svm->label[i] = (int)h->labels[i];
        sum += h->nr_sv[i];
    }
    if (sum != h->total_sv)
        return cg_svm_fail(ps, "nr_sv adds up to %ld, not total_sv %ld", sum, h->total_sv);
    /* Each support vector takes at least "0 0\n" (4 bytes): bound counts by the bytes left. */
    if (h->total_sv > (ps->end - ps->p) / 4 + 1)
        return cg_svm_fail(ps, "total_sv %ld is more than the file can hold", h->total_sv);
    svm->kernel_type = h->kernel_type;
    return CG_OK;
}

/* Count the nodes of the SV section, to allocate once. */
static size_t count_nodes(const char *p, const char *end)
{
    size_t n = 0;
    for (; p < end; p++)
        n += *p == ':';
    return n;
}

/* Room in m for l support vectors of n_nodes nodes in all (plus their terminators). */
struct svm_node *cg_svm_alloc_vectors(struct svm_model *m, long l, size_t n_nodes)
{
    m->SV = calloc((size_t)l, sizeof *m->SV);
    struct svm_node *space = cg_alloc_big((n_nodes + (size_t)l) * sizeof *space);
    m->sv_coef = calloc(CG_NUM_CLASSES - 1, sizeof *m->sv_coef);
    if (!m->SV || !space || !m->sv_coef) {
        free(space);
        return NULL;
    }
    m->SV[0] = space; /* libsvm frees SV[0] as the block of all nodes */
    for (int k = 0; k < CG_NUM_CLASSES - 1; k++)
        if (!(m->sv_coef[k] = malloc((size_t)l * sizeof **m->sv_coef)))
            return NULL;
    return space;
}

cg_status cg_svm_read_vectors(cg_svm_parser *ps, const cg_svm_header *h, struct svm_model *m, int max_index)
{
    size_t n_nodes = count_nodes(ps->p, ps->end);
    long l = h->total_sv;
    struct svm_node *space = cg_svm_alloc_vectors(m, l, n_nodes);
    if (!space)
        return cg_svm_fail(ps, "out of memory for %ld support vectors", l);
    size_t used = 0;
    for (long i = 0; i < l; i++) {
        m->SV[i] = space + used;
        for (int k = 0; k < CG_NUM_CLASSES - 1; k++) {
            size_t len;
            const char *w = word(ps, &len);
            if (!w || !parse_double(ps, w, len, &m->sv_coef[k][i]))
                return cg_svm_fail(ps, "support vector %ld needs %d finite coefficients", i + 1, CG_NUM_CLASSES - 1);
        }
        int last = 0;
        size_t len;
        const char *w;
        while ((w = word(ps, &len))) {
            const char *colon = memchr(w, ':', len);
            long index;
            double value;
            if (!colon || !parse_int(w, (size_t)(colon - w), 1, max_index, &index) ||
                !parse_double(ps, colon + 1, len - (size_t)(colon - w) - 1, &value))
                return cg_svm_fail(ps, "support vector %ld: expected index:value with index in 1..%d and a finite value",
                            i + 1, max_index);
            if (index <= last)
                return cg_svm_fail(ps, "support vector %ld: indices must ascend", i + 1);
            last = (int)index;
            space[used].index = (int)index;
            space[used++].value = value;
        }
        space[used].index = -1;
        space[used++].value = 0;
        if (!end_of_line(ps))
            return cg_svm_fail(ps, "support vector %ld: malformed line", i + 1);
    }
    while (ps->p < ps->end && (*ps->p == '\n' || *ps->p == ' ' || *ps->p == '\r'))
        ps->p++;
    if (ps->p < ps->end)
        return cg_svm_fail(ps, "text after the last support vector");
    return CG_OK;
}

cg_status cg_svm_build_libsvm(cg_svm_parser *ps, const cg_svm_header *h, cg_svm *svm)
{
    struct svm_model *m = calloc(1, sizeof *m);
    if (!m)
        return cg_svm_fail(ps, "out of memory");
    svm->libsvm = m;
    m->param.svm_type = C_SVC;
    m->param.kernel_type = h->kernel_type;
    m->param.degree = (int)h->degree;
    m->param.gamma = h->gamma;
    m->param.coef0 = h->coef0;
    m->nr_class = CG_NUM_CLASSES;
    m->l = (int)h->total_sv;
    m->free_sv = 1;
    m->rho = malloc(CG_PAIRS * sizeof *m->rho);
    m->probA = malloc(CG_PAIRS * sizeof *m->probA);
    m->probB = malloc(CG_PAIRS * sizeof *m->probB);
    m->label = malloc(CG_NUM_CLASSES * sizeof *m->label);
    m->nSV = malloc(CG_NUM_CLASSES * sizeof *m->nSV);
    if (!m->rho || !m->probA || !m->probB || !m->label || !m->nSV)
        return cg_svm_fail(ps, "out of memory");
    memcpy(m->rho, svm->rho, sizeof svm->rho);
    memcpy(m->probA, svm->prob_a, sizeof svm->prob_a);
    memcpy(m->probB, svm->prob_b, sizeof svm->prob_b);
    for (int i = 0; i < CG_NUM_CLASSES; i++) {
        m->label[i] = svm->label[i];
        m->nSV[i] = (int)h->nr_sv[i];
    }
    return CG_OK;
}
