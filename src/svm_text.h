/* svm_text.h - the parts of reading a libsvm model text (svm_text.c), for svm_model.c. */
#ifndef CG_SVM_TEXT_H
#define CG_SVM_TEXT_H

#include <locale.h>
#include <stddef.h>

#include "svm_types.h"

/* The text being read, and where a failure is reported ("name:line: ..."). */
typedef struct cg_svm_parser {
    const char *p, *end;
    const char *name;
    long line;
    locale_t c_locale; /* numbers are always written with '.', whatever the caller's locale */
    char *err;
    size_t errlen;
} cg_svm_parser;

/* What the header says, before it is checked. */
typedef struct cg_svm_header {
    int kernel_type;
    long degree;
    double gamma, coef0;
    long total_sv;
    long labels[CG_NUM_CLASSES];
    long nr_sv[CG_NUM_CLASSES];
    int seen_rho, seen_label, seen_prob_a, seen_prob_b, seen_nr_sv, seen_total;
} cg_svm_header;

/* Report "name:line: message" in ps->err; returns CG_ERR_FORMAT. */
cg_status cg_svm_fail(cg_svm_parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Read the header lines, up to and including "SV", into h and svm. */
cg_status cg_svm_read_header(cg_svm_parser *ps, cg_svm_header *h, cg_svm *svm);

/* Check that the header is complete and one commentguard can use. */
cg_status cg_svm_check_header(cg_svm_parser *ps, const cg_svm_header *h, cg_svm *svm);

/* Room in m for l support vectors of n_nodes nodes in all (plus their terminators); NULL if out of
 * memory. */
struct svm_node *cg_svm_alloc_vectors(struct svm_model *m, long l, size_t n_nodes);

/* Read the support vectors that follow the header into m, each index at most max_index. */
cg_status cg_svm_read_vectors(cg_svm_parser *ps, const cg_svm_header *h, struct svm_model *m, int max_index);

/* Build libsvm's struct svm_model in svm from the header (the support vectors still to come). */
cg_status cg_svm_build_libsvm(cg_svm_parser *ps, const cg_svm_header *h, cg_svm *svm);

#endif
