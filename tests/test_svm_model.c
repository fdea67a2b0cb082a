/*
 * test_svm_model.c - the safe libsvm model reader and the collapsed linear form (src/svm_model.c,
 * src/predict.c): a hand-written model whose collapsed weights and decision values are worked out
 * by hand, agreement with libsvm's own prediction on the same struct, label orders other than
 * 0 1 2, a non-linear kernel, and every kind of malformed or hostile file, each refused with
 * CG_ERR_FORMAT (CG_ERR_IO for a missing file) and a message saying why.
 *
 * Well-formed models are fixtures (fixtures/models/, readable by libsvm's svm-predict too); the
 * hostile variants are made here from the tiny model's text.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "svm_model.h"

#define MODEL(name) CG_FIXTURES "/models/" name

/* The text of fixtures/models/tiny_linear.svm, to derive variants from. */
static const char tiny[] = "svm_type c_svc\n"
                           "kernel_type linear\n"
                           "nr_class 3\n"
                           "total_sv 4\n"
                           "rho 0.5 -0.25 1\n"
                           "label 0 1 2\n"
                           "probA -2 -1.5 -1\n"
                           "probB 0.1 -0.2 0.3\n"
                           "nr_sv 2 1 1\n"
                           "SV\n"
                           "1 0 1:1 3:2 \n"
                           "0 1 2:-1 \n"
                           "0.5 0.25 1:4 4:0.5 \n"
                           "-0.75 -1 3:1 5:2 \n";

#define TINY_MAX_INDEX 5

/* The collapsed weight of feature f in pair p, read through the public decision function (the
 * layout of cg_svm.weights is its own business): w_p(f) = dec_p({f: 1}) + rho_p. */
static double weight(const cg_svm *s, int f, int p)
{
    struct svm_node x[] = {{f, 1}, {-1, 0}};
    double dec[CG_PAIRS];
    cg_svm_decision_values(s, x, dec);
    return dec[p] + s->rho[p];
}

static cg_svm svm;
static char err[512];
static char tmp[64];

static void setup(void)
{
    memset(&svm, 0, sizeof svm);
    err[0] = '\0';
    tmp[0] = '\0';
}

static void teardown(void)
{
    cg_svm_destroy(&svm);
    cgt_remove_tree(tmp);
}

TestSuite(svm_model, .init = setup, .fini = teardown);

static cg_status parse(const char *text, int max_index)
{
    cg_svm_destroy(&svm);
    err[0] = '\0';
    return cg_svm_parse(text, strlen(text), "m.svm", max_index, &svm, err, sizeof err);
}

/* The tiny model with the first occurrence of `from` replaced by `to` (static buffer). */
static const char *variant(const char *from, const char *to)
{
    static char buf[4096];
    const char *at = strstr(tiny, from);
    cr_assert_not_null(at, "\"%s\" is not in the tiny model", from);
    size_t head = (size_t)(at - tiny);
    cr_assert_lt(strlen(tiny) - strlen(from) + strlen(to), sizeof buf);
    memcpy(buf, tiny, head);
    strcpy(buf + head, to);
    strcat(buf, at + strlen(from));
    return buf;
}

/* Expect text to be refused with CG_ERR_FORMAT and a message containing fragment; after a
 * failure the struct must be empty (nothing to free, nothing half-built). */
static void expect_refused_(const char *text, int max_index, const char *fragment, int line)
{
    cg_status st = parse(text, max_index);
    cr_expect_eq(st, CG_ERR_FORMAT, "(line %d) expected CG_ERR_FORMAT, got %d", line, st);
    cr_expect(strstr(err, fragment) != NULL, "(line %d) message \"%s\" lacks \"%s\"", line, err, fragment);
    cr_expect(strncmp(err, "m.svm:", 6) == 0, "(line %d) message \"%s\" should start with the name", line, err);
    cr_expect_null(svm.libsvm);
    cr_expect_null(svm.weights);
}

#define expect_refused(text, fragment) expect_refused_(text, TINY_MAX_INDEX, fragment, __LINE__)

/* ---- a well-formed model ---- */

Test(svm_model, tiny_model_header_is_read)
{
    cr_assert_eq(cg_svm_load(MODEL("tiny_linear.svm"), TINY_MAX_INDEX, &svm, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(svm.kernel_type, LINEAR);
    cr_expect_eq(svm.max_index, TINY_MAX_INDEX);
    const int labels[3] = {0, 1, 2};
    const double rho[3] = {0.5, -0.25, 1}, a[3] = {-2, -1.5, -1}, b[3] = {0.1, -0.2, 0.3};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(svm.label[i], labels[i]);
        cr_expect_eq(svm.rho[i], rho[i]);
        cr_expect_eq(svm.prob_a[i], a[i]);
        cr_expect_eq(svm.prob_b[i], b[i]);
    }
    cr_assert_not_null(svm.libsvm);
    cr_expect_eq(svm.libsvm->l, 4);
    cr_expect_eq(svm.libsvm->nr_class, 3);
    cr_expect_eq(svm.libsvm->nSV[0], 2);
    cr_expect_eq(svm_check_probability_model(svm.libsvm), 1);
}

/*
 * By hand, pair (i, j) sums class i's vectors times sv_coef[j-1] and class j's times sv_coef[i]:
 *   w01 = 1*(1:1 3:2) + 0*(2:-1) + 0.5*(1:4 4:0.5)        = 1:3 3:2 4:0.25
 *   w02 = 0*(1:1 3:2) + 1*(2:-1) + -0.75*(3:1 5:2)        = 2:-1 3:-0.75 5:-1.5
 *   w12 = 0.25*(1:4 4:0.5) + -1*(3:1 5:2)                 = 1:1 3:-1 4:0.125 5:-2
 */
Test(svm_model, collapsed_weights_match_hand_computation)
{
    cr_assert_eq(parse(tiny, TINY_MAX_INDEX), CG_OK, "%s", err);
    cr_assert_not_null(svm.weights);
    static const double w[6][3] = {
        {0, 0, 0}, {3, 0, 1}, {0, -1, 0}, {2, -0.75, -1}, {0.25, 0, 0.125}, {0, -1.5, -2},
    };
    for (int f = 1; f <= TINY_MAX_INDEX; f++)
        for (int p = 0; p < CG_PAIRS; p++)
            cr_expect_eq(weight(&svm, f, p), w[f][p], "w[%d][pair %d] = %g, expected %g", f, p, weight(&svm, f, p),
                         w[f][p]);
}

Test(svm_model, decision_values_match_hand_computation_and_libsvm)
{
    cr_assert_eq(parse(tiny, TINY_MAX_INDEX), CG_OK, "%s", err);
    struct svm_node x[] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {-1, 0}};
    double dec[CG_PAIRS], ref[CG_PAIRS];
    cg_svm_decision_values(&svm, x, dec);
    /* 3+6+1-0.5; -2-2.25-7.5+0.25; 1-3+0.5-10-1 */
    cr_expect_float_eq(dec[0], 9.5, 1e-12);
    cr_expect_float_eq(dec[1], -11.5, 1e-12);
    cr_expect_float_eq(dec[2], -12.5, 1e-12);
    svm_predict_values(svm.libsvm, x, ref);
    for (int p = 0; p < CG_PAIRS; p++)
        cr_expect_float_eq(dec[p], ref[p], 1e-12);
    /* The empty vector: minus rho. */
    struct svm_node empty[] = {{-1, 0}};
    cg_svm_decision_values(&svm, empty, dec);
    cr_expect_eq(dec[0], -0.5);
    cr_expect_eq(dec[1], 0.25);
    cr_expect_eq(dec[2], -1);
}

/* Compare the collapsed path with svm_predict_probability on several vectors. */
static void expect_probabilities_match_libsvm(void)
{
    static const struct svm_node xs[][6] = {
        {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {-1, 0}},
        {{1, -1}, {3, 0.5}, {-1, 0}},
        {{2, 0.25}, {4, -3}, {-1, 0}},
        {{5, 0.01}, {-1, 0}},
        {{-1, 0}},
    };
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        double dec[CG_PAIRS], prob[CG_NUM_CLASSES], ref[CG_NUM_CLASSES], by_class[CG_NUM_CLASSES];
        cg_svm_decision_values(&svm, xs[k], dec);
        cg_svm_probabilities(&svm, dec, prob);
        cg_svm_probabilities_libsvm(&svm, xs[k], ref);
        double predicted = svm_predict_probability(svm.libsvm, xs[k], by_class);
        double sum = 0;
        for (int c = 0; c < CG_NUM_CLASSES; c++) {
            cr_expect_float_eq(prob[c], ref[c], 1e-12, "x%zu class %d: %.17g vs libsvm %.17g", k, c, prob[c], ref[c]);
            cr_expect_eq(ref[svm.label[c]], by_class[c], "cg_svm_probabilities_libsvm must index by cg_label");
            sum += prob[c];
        }
        cr_expect_float_eq(sum, 1.0, 1e-9);
        cr_expect_eq((double)cg_svm_best(prob, &svm), predicted, "x%zu: best class", k);
    }
}

Test(svm_model, probabilities_match_libsvm)
{
    cr_assert_eq(parse(tiny, TINY_MAX_INDEX), CG_OK, "%s", err);
    expect_probabilities_match_libsvm();
}

Test(svm_model, other_label_orders_are_mapped_to_cg_labels)
{
    cr_assert_eq(cg_svm_load(MODEL("tiny_permuted.svm"), TINY_MAX_INDEX, &svm, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(svm.label[0], 2);
    cr_expect_eq(svm.label[1], 0);
    cr_expect_eq(svm.label[2], 1);
    expect_probabilities_match_libsvm();
    /* The class libsvm ranks first (index 0) is abusive: its probability lands in prob[CG_ABUSIVE]. */
    struct svm_node x[] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {-1, 0}};
    double by_class[3], prob[3];
    svm_predict_probability(svm.libsvm, x, by_class);
    cg_svm_probabilities_libsvm(&svm, x, prob);
    cr_expect_eq(prob[CG_ABUSIVE], by_class[0]);
    cr_expect_eq(prob[CG_ON_TOPIC], by_class[1]);
    cr_expect_eq(prob[CG_OFF_TOPIC], by_class[2]);
}

Test(svm_model, rbf_model_is_read_without_collapsing)
{
    cr_assert_eq(cg_svm_load(MODEL("tiny_rbf.svm"), TINY_MAX_INDEX, &svm, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(svm.kernel_type, RBF);
    cr_expect_null(svm.weights, "only a linear model collapses");
    cr_expect_eq(svm.libsvm->param.gamma, 0.5);
    struct svm_node x[] = {{1, 1}, {3, 1}, {-1, 0}};
    double prob[3], by_class[3];
    cg_svm_probabilities_libsvm(&svm, x, prob);
    svm_predict_probability(svm.libsvm, x, by_class);
    double sum = 0;
    for (int c = 0; c < 3; c++) {
        cr_expect_eq(prob[c], by_class[c]);
        cr_expect(prob[c] > 0 && prob[c] < 1);
        sum += prob[c];
    }
    cr_expect_float_eq(sum, 1.0, 1e-9);
}

Test(svm_model, crlf_line_ends_are_accepted)
{
    char text[2048];
    size_t n = 0;
    for (const char *p = tiny; *p; p++) {
        if (*p == '\n')
            text[n++] = '\r';
        text[n++] = *p;
    }
    text[n] = '\0';
    cr_assert_eq(parse(text, TINY_MAX_INDEX), CG_OK, "%s", err);
    cr_expect_eq(weight(&svm, 1, 0), 3);
}

Test(svm_model, blank_lines_in_the_header_are_skipped)
{
    cr_assert_eq(parse(variant("nr_class 3\n", "\nnr_class 3\n\n"), TINY_MAX_INDEX), CG_OK, "%s", err);
}

Test(svm_model, model_of_minimal_support_vector_lines_is_accepted)
{
    /* Six support vectors with no features, "0 0" each: 4 bytes a line (libsvm reads this file). */
    static const char text[] = "svm_type c_svc\nkernel_type linear\nnr_class 3\ntotal_sv 6\nrho 0 0 0\n"
                               "label 0 1 2\nprobA -1 -1 -1\nprobB 0 0 0\nnr_sv 2 2 2\nSV\n"
                               "0 0\n0 0\n0 0\n0 0\n0 0\n0 0\n";
    cr_expect_eq(parse(text, TINY_MAX_INDEX), CG_OK, "a valid model was refused: %s", err);
}

Test(svm_model, parse_works_in_a_comma_decimal_locale)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8"};
    const char *used = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !used; i++)
        if (setlocale(LC_NUMERIC, names[i]) && strcmp(localeconv()->decimal_point, ",") == 0)
            used = names[i];
    if (!used) {
        setlocale(LC_NUMERIC, "C");
        cr_skip_test("no locale with a decimal comma is installed");
    }
    /* The locale is in force: plain strtod would stop at the '.'. */
    cr_assert_eq(strtod("0.5", NULL), 0.0, "%s should not read \"0.5\" as one half", used);
    cg_status st = cg_svm_load(MODEL("tiny_linear.svm"), TINY_MAX_INDEX, &svm, err, sizeof err);
    setlocale(LC_NUMERIC, "C");
    cr_assert_eq(st, CG_OK, "in %s: %s", used, err);
    cr_expect_eq(svm.rho[0], 0.5);
    cr_expect_eq(svm.prob_a[1], -1.5);
    cr_expect_eq(svm.prob_b[0], 0.1);
    cr_expect_eq(weight(&svm, 4, 0), 0.25);
}

/* ---- files ---- */

Test(svm_model, missing_file_is_an_io_error)
{
    cr_expect_eq(cg_svm_load("/nonexistent/cg/model.svm", 5, &svm, err, sizeof err), CG_ERR_IO);
    cr_expect(strstr(err, "/nonexistent/cg/model.svm") != NULL, "message \"%s\" should name the file", err);
    cr_expect_null(svm.libsvm);
}

Test(svm_model, truncated_file_is_refused)
{
    cgt_make_tmpdir(tmp, "svm");
    size_t cut = (size_t)(strstr(tiny, "0.5 0.25") - tiny);
    char *path = cgt_write_file(tmp, "cut.svm", tiny, cut);
    cr_expect_eq(cg_svm_load(path, TINY_MAX_INDEX, &svm, err, sizeof err), CG_ERR_FORMAT);
    cr_expect(strstr(err, "support vector 3") != NULL, "message \"%s\"", err);
    cr_expect(strstr(err, path) != NULL, "message \"%s\" should name the file", err);
    free(path);
}

Test(svm_model, file_larger_than_a_gibibyte_is_refused_unread)
{
    cgt_make_tmpdir(tmp, "svm");
    char *path = cgt_write_file(tmp, "huge.svm", tiny, strlen(tiny));
    int fd = open(path, O_WRONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)(1L << 30) + 1), 0); /* sparse: takes no room */
    close(fd);
    cr_expect_eq(cg_svm_load(path, TINY_MAX_INDEX, &svm, err, sizeof err), CG_ERR_FORMAT);
    cr_expect(strstr(err, "1 GiB") != NULL, "message \"%s\"", err);
    free(path);
}

/* ---- malformed and hostile text ---- */

Test(svm_model, truncated_text_is_refused)
{
    expect_refused("", "ends before the SV section");
    size_t sv = (size_t)(strstr(tiny, "SV\n") - tiny);
    char buf[1024];
    memcpy(buf, tiny, sv);
    buf[sv] = '\0';
    expect_refused(buf, "ends before the SV section");
    /* Cut inside the support vectors: in a coefficient, in a node, before the last line. */
    size_t at = (size_t)(strstr(tiny, "1:4") - tiny);
    memcpy(buf, tiny, at + 2);
    buf[at + 2] = '\0';
    expect_refused(buf, "support vector 3");
    size_t last = (size_t)(strstr(tiny, "-0.75") - tiny);
    memcpy(buf, tiny, last);
    buf[last] = '\0';
    expect_refused(buf, "support vector 4 needs 2 finite coefficients");
}

Test(svm_model, wrong_svm_type_is_refused)
{
    expect_refused(variant("c_svc", "nu_svc"), "svm_type must be c_svc");
    expect_refused(variant("c_svc", "one_class"), "svm_type must be c_svc");
    expect_refused(variant("c_svc", "epsilon_svr"), "svm_type must be c_svc");
    expect_refused(variant("svm_type c_svc", "svm_type"), "svm_type must be c_svc");
    expect_refused(variant("svm_type c_svc", "svm_type c_svc extra"), "text after svm_type");
}

Test(svm_model, unsupported_kernels_are_refused)
{
    expect_refused(variant("kernel_type linear", "kernel_type precomputed"), "kernel_type must be");
    expect_refused(variant("kernel_type linear", "kernel_type quantum"), "kernel_type must be");
    expect_refused(variant("kernel_type linear\n", ""), "no kernel_type");
}

Test(svm_model, other_numbers_of_classes_are_refused)
{
    expect_refused(variant("nr_class 3", "nr_class 2"), "nr_class");
    expect_refused(variant("nr_class 3", "nr_class 4"), "nr_class");
    expect_refused(variant("nr_class 3", "nr_class 3 3"), "nr_class has more than 1 values");
    expect_refused(variant("nr_class 3", "nr_class three"), "nr_class");
}

static void limit_address_space(void)
{
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    /* 512 MiB: a parser that believed total_sv would fail to allocate and say "out of memory". */
    struct rlimit rl = {512L << 20, 512L << 20};
    cr_assert_eq(setrlimit(RLIMIT_AS, &rl), 0);
#endif
}

Test(svm_model, huge_total_sv_in_a_tiny_file_is_refused_before_allocating)
{
    limit_address_space();
    static const char hostile[] = "svm_type c_svc\nkernel_type linear\nnr_class 3\ntotal_sv 2000000000\n"
                                  "rho 0 0 0\nlabel 0 1 2\nprobA -1 -1 -1\nprobB 0 0 0\n"
                                  "nr_sv 1000000000 500000000 500000000\nSV\n1 0 1:1\n0 1 2:1\n";
    expect_refused(hostile, "total_sv 2000000000 is more than the file can hold");
    cr_expect(strstr(err, "out of memory") == NULL);
    const char *text = variant("total_sv 4\n", "total_sv 2000000000\n");
    /* The same count with nr_sv left alone. */
    expect_refused(text, "nr_sv adds up to 4, not total_sv 2000000000");
    /* Beyond what an int holds. */
    expect_refused(variant("total_sv 4", "total_sv 99999999999"), "total_sv needs 1 integers");
    expect_refused(variant("total_sv 4", "total_sv -4"), "total_sv needs 1 integers");
    expect_refused(variant("total_sv 4", "total_sv 0"), "total_sv needs 1 integers");
}

Test(svm_model, nr_sv_must_add_up_to_total_sv)
{
    expect_refused(variant("nr_sv 2 1 1", "nr_sv 2 1 2"), "nr_sv adds up to 5, not total_sv 4");
    expect_refused(variant("nr_sv 2 1 1", "nr_sv 1 1 1"), "nr_sv adds up to 3, not total_sv 4");
    expect_refused(variant("nr_sv 2 1 1", "nr_sv 2 2"), "nr_sv needs 3 integers");
    expect_refused(variant("nr_sv 2 1 1", "nr_sv 3 0 1"), "nr_sv needs 3 integers");
    expect_refused(variant("nr_sv 2 1 1", "nr_sv 2 1 1 0"), "nr_sv has more than 3 values");
}

Test(svm_model, non_finite_numbers_are_refused)
{
    expect_refused(variant("1 0 1:1", "nan 0 1:1"), "support vector 1 needs 2 finite coefficients");
    expect_refused(variant("0 1 2:-1", "0 inf 2:-1"), "support vector 2 needs 2 finite coefficients");
    expect_refused(variant("0 1 2:-1", "0 -infinity 2:-1"), "support vector 2 needs 2 finite coefficients");
    expect_refused(variant("0 1 2:-1", "0 1e999 2:-1"), "support vector 2 needs 2 finite coefficients");
    expect_refused(variant("3:1 5:2", "3:nan 5:2"), "support vector 4: expected index:value");
    expect_refused(variant("3:1 5:2", "3:1 5:inf"), "support vector 4: expected index:value");
    expect_refused(variant("rho 0.5", "rho nan"), "rho needs 3 finite numbers");
    expect_refused(variant("probA -2", "probA -inf"), "probA needs 3 finite numbers");
    expect_refused(variant("probB 0.1", "probB NAN"), "probB needs 3 finite numbers");
}

Test(svm_model, collapsed_weights_that_overflow_are_refused)
{
    expect_refused(variant("1 0 1:1 3:2", "1e300 0 1:1e300 3:2"), "collapsed weights overflow");
    /* Each product finite, the sum not. */
    expect_refused(variant("1 0 1:1 3:2 \n0 1 2:-1 \n0.5 0.25 1:4", "1 0 1:1.5e308 3:2 \n0 1 2:-1 \n1 0.25 1:1.5e308"),
                   "collapsed weights overflow");
}

Test(svm_model, feature_index_out_of_range_is_refused)
{
    expect_refused(variant("5:2", "6:2"), "index in 1..5");
    expect_refused(variant("3:1 5:2", "0:1 5:2"), "index in 1..5");
    expect_refused(variant("3:1 5:2", "-3:1 5:2"), "index in 1..5");
    expect_refused(variant("5:2", "99999999999999999999:2"), "index in 1..5");
    /* The same file is fine with a larger dimension. */
    cr_expect_eq(parse(variant("5:2", "6:2"), 6), CG_OK, "%s", err);
}

Test(svm_model, error_messages_give_the_line)
{
    expect_refused(variant("5:2", "6:2"), "m.svm:14: support vector 4");
    expect_refused(variant("c_svc", "nu_svc"), "m.svm:1: ");
    expect_refused(variant("probB", "probC"), "m.svm:8: unknown header line 'probC'");
}

Test(svm_model, indices_must_ascend)
{
    expect_refused(variant("1:1 3:2", "3:2 1:1"), "support vector 1: indices must ascend");
    expect_refused(variant("1:1 3:2", "1:1 1:2"), "support vector 1: indices must ascend");
}

Test(svm_model, malformed_nodes_are_refused)
{
    expect_refused(variant("2:-1", "2=-1"), "support vector 2: expected index:value");
    expect_refused(variant("2:-1", "x:-1"), "support vector 2: expected index:value");
    expect_refused(variant("2:-1", "2:"), "support vector 2: expected index:value");
    expect_refused(variant("2:-1", ":-1"), "support vector 2: expected index:value");
    expect_refused(variant("2:-1", "2:-1:3"), "support vector 2: expected index:value");
    expect_refused(variant("2:-1", "2:0x1p3junk"), "support vector 2: expected index:value");
    expect_refused(variant("0 1 2:-1", "0 2:-1"), "support vector 2 needs 2 finite coefficients");
}

Test(svm_model, missing_probability_information_is_refused)
{
    expect_refused(variant("probA -2 -1.5 -1\n", ""), "no probability information");
    expect_refused(variant("probB 0.1 -0.2 0.3\n", ""), "no probability information");
    expect_refused(variant("probA -2 -1.5 -1", "probA -2 -1.5"), "probA needs 3 finite numbers");
    expect_refused(variant("probA -2 -1.5 -1", "probA -2 -1.5 -1 7"), "probA has more than 3 values");
}

Test(svm_model, missing_header_lines_are_refused)
{
    expect_refused(variant("rho 0.5 -0.25 1\n", ""), "header lacks");
    expect_refused(variant("label 0 1 2\n", ""), "header lacks");
    expect_refused(variant("nr_sv 2 1 1\n", ""), "header lacks");
    expect_refused(variant("total_sv 4\n", ""), "header lacks");
}

Test(svm_model, labels_must_be_0_1_2)
{
    expect_refused(variant("label 0 1 2", "label 0 1 3"), "label needs 3 integers in 0..2");
    expect_refused(variant("label 0 1 2", "label -1 1 2"), "label needs 3 integers in 0..2");
    expect_refused(variant("label 0 1 2", "label 0 1 1"), "labels must be 0, 1 and 2, each once");
    expect_refused(variant("label 0 1 2", "label 0 1"), "label needs 3 integers");
    expect_refused(variant("label 0 1 2", "label 1 2 3"), "label needs 3 integers in 0..2");
}

Test(svm_model, unknown_header_lines_are_refused)
{
    expect_refused(variant("nr_class 3\n", "nr_class 3\nfoo bar\n"), "unknown header line 'foo'");
    expect_refused(variant("nr_class 3\n", "nr_class 3\n#comment\n"), "unknown header line");
}

Test(svm_model, garbage_after_the_support_vectors_is_refused)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%sgarbage\n", tiny);
    expect_refused(buf, "text after the last support vector");
    snprintf(buf, sizeof buf, "%s0 0 1:1\n", tiny);
    expect_refused(buf, "text after the last support vector");
    expect_refused(variant("SV\n", "SV 1\n"), "text after SV");
    /* Trailing blank lines are fine. */
    snprintf(buf, sizeof buf, "%s\n\n  \n", tiny);
    cr_expect_eq(parse(buf, TINY_MAX_INDEX), CG_OK, "%s", err);
}

Test(svm_model, overlong_numbers_are_refused)
{
    char coef[128];
    memset(coef, '1', 100);
    strcpy(coef + 100, " 0 1:1");
    expect_refused(variant("1 0 1:1", coef), "support vector 1 needs 2 finite coefficients");
}

Test(svm_model, destroy_is_idempotent)
{
    cr_assert_eq(parse(tiny, TINY_MAX_INDEX), CG_OK);
    cg_svm_destroy(&svm);
    cr_expect_null(svm.libsvm);
    cr_expect_null(svm.weights);
    cg_svm_destroy(&svm);
}
