/*
 * test_parity.c - the collapsed linear path agrees with libsvm (the requirement).
 *
 * A bundle is trained on fixtures/train/comments.jsonl with cg_train_run (no search, one C, no
 * class weights, one thread). For every fixture comment, with and without its article:
 *  - decision values from the collapsed weights (cg_svm_decision_values) equal svm_predict_values
 *    on the same model's libsvm struct to 1e-9, probabilities equal svm_predict_probability to
 *    1e-6, and the label is the same;
 *  - libsvm's own svm_load_model reads the bundle's model.svm (the compact form) and gives the same
 *    probabilities: libsvm's svm-predict can use our file.
 * A full libsvm model is also trained with svm_train on the very same vectors (linear kernel, not
 * collapsed): saved with svm_save_model and read with cg_svm_load, its collapsed weights agree with
 * svm_predict_probability on that full model. Bundles trained pair by pair with libsvm's SMO give
 * its decision values; with liblinear (the default solver), values close to them.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "problem.h"
#include "relevance.h"
#include "search.h"
#include "train.h"

static char tmp[64];
static char *bundle_dir;
static cg_model *model;
static cg_workspace *ws;
static cg_dataset ds;

static void quiet(const char *s)
{
    (void)s;
}

static void setup(void)
{
    svm_set_print_string_function(quiet);
    cgt_make_tmpdir(tmp, "parity");
    bundle_dir = cgt_train_bundle(tmp, "bundle");
    char err[512] = "";
    cr_assert_eq(cg_model_open(bundle_dir, &model, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_workspace_new(model, &ws), CG_OK);
    cr_assert_eq(cg_dataset_load(CG_TRAIN_FIXTURE, &ds, err, sizeof err), CG_OK, "%s", err);
}

static void teardown(void)
{
    cg_dataset_free(&ds);
    cg_workspace_free(ws);
    cg_model_free(model);
    cgt_remove_tree(tmp);
    free(bundle_dir);
}

TestSuite(parity, .init = setup, .fini = teardown);

/* The fixture's comments as the model sees them: every row alone, and rows with an article again
 * with it. Calls fn with ws->nodes holding the vector. */
typedef void (*vector_fn)(const cg_example *e, int with_article, void *ctx);

static size_t for_each_vector(vector_fn fn, void *ctx)
{
    size_t n = 0;
    for (size_t r = 0; r < ds.n; r++) {
        const cg_example *e = &ds.rows[r];
        for (int with = 0; with <= (e->article != NULL); with++) {
            cg_article *a = NULL;
            if (with)
                cr_assert_eq(cg_article_new(model, ws, e->article, e->article_len, &a), CG_OK);
            cr_assert_eq(cg_extract(&model->extractor, ws, e->text, e->text_len, a), CG_OK);
            fn(e, with, ctx);
            cg_article_free(a);
            n++;
        }
    }
    return n;
}

typedef struct worst {
    double dec, prob;
} worst;

static void check_against_own_libsvm(const cg_example *e, int with, void *ctx)
{
    worst *w = ctx;
    double dec[CG_PAIRS], ref_dec[CG_PAIRS], prob[CG_NUM_CLASSES], by_class[CG_NUM_CLASSES];
    cg_svm_decision_values(&model->svm, ws->nodes, dec);
    svm_predict_values(model->svm.libsvm, ws->nodes, ref_dec);
    for (int p = 0; p < CG_PAIRS; p++) {
        cr_expect_float_eq(dec[p], ref_dec[p], 1e-9, "\"%s\" (article %d) pair %d: %.17g vs libsvm %.17g", e->text,
                           with, p, dec[p], ref_dec[p]);
        w->dec = fmax(w->dec, fabs(dec[p] - ref_dec[p]));
    }
    cg_svm_probabilities(&model->svm, dec, prob);
    double predicted = svm_predict_probability(model->svm.libsvm, ws->nodes, by_class);
    for (int i = 0; i < CG_NUM_CLASSES; i++) {
        double ours = prob[model->svm.label[i]];
        cr_expect_float_eq(ours, by_class[i], 1e-6, "\"%s\" (article %d) class %d: %.17g vs libsvm %.17g", e->text,
                           with, model->svm.label[i], ours, by_class[i]);
        w->prob = fmax(w->prob, fabs(ours - by_class[i]));
    }
    cr_expect_eq((double)cg_svm_best(prob, &model->svm), predicted, "\"%s\" (article %d): label", e->text, with);
}

Test(parity, collapsed_weights_match_libsvm_on_the_bundle_model)
{
    cr_assert_eq(model->svm.kernel_type, LINEAR);
    cr_assert_not_null(model->svm.weights, "a linear model must be collapsed");
    worst w = {0, 0};
    size_t n = for_each_vector(check_against_own_libsvm, &w);
    cr_expect_eq(n, 60 + 23, "60 rows, 23 of them also with their article");
    cr_log_info("largest differences: decision %.3g, probability %.3g", w.dec, w.prob);
}

typedef struct classify_ctx {
    struct svm_model *loaded;
    worst w;
} classify_ctx;

/* cg_classify (the public path) against libsvm's own loader reading model.svm. */
static void check_against_svm_load_model(const cg_example *e, int with, void *ctx)
{
    classify_ctx *c = ctx;
    /* The vector for libsvm, before cg_classify reuses the workspace. */
    static struct svm_node x[8192];
    size_t k = 0;
    for (; ws->nodes[k].index != -1; k++) {
        cr_assert_lt(k, 8191);
        x[k] = ws->nodes[k];
    }
    x[k] = ws->nodes[k];
    cg_article *a = NULL;
    if (with)
        cr_assert_eq(cg_article_new(model, ws, e->article, e->article_len, &a), CG_OK);
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, e->text, e->text_len, a, &r), CG_OK, "%s", cg_workspace_error(ws));
    cg_article_free(a);
    double by_class[CG_NUM_CLASSES];
    int labels[CG_NUM_CLASSES];
    svm_get_labels(c->loaded, labels);
    double predicted = svm_predict_probability(c->loaded, x, by_class);
    for (int i = 0; i < CG_NUM_CLASSES; i++) {
        cr_expect_float_eq(r.prob[labels[i]], by_class[i], 1e-6, "\"%s\" (article %d) class %d: %.17g vs %.17g",
                           e->text, with, labels[i], r.prob[labels[i]], by_class[i]);
        c->w.prob = fmax(c->w.prob, fabs(r.prob[labels[i]] - by_class[i]));
    }
    cr_expect_eq((double)r.label, predicted, "\"%s\" (article %d): label", e->text, with);
}

Test(parity, libsvm_svm_load_model_reads_the_bundle_and_agrees)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", bundle_dir, CG_BUNDLE_SVM);
    struct svm_model *loaded = svm_load_model(path);
    cr_assert_not_null(loaded, "libsvm cannot read %s", path);
    cr_expect_eq(svm_get_svm_type(loaded), C_SVC);
    cr_expect_eq(svm_get_nr_class(loaded), 3);
    cr_expect_eq(svm_check_probability_model(loaded), 1);
    cr_expect_eq(loaded->param.kernel_type, LINEAR);
    classify_ctx c = {loaded, {0, 0}};
    for_each_vector(check_against_svm_load_model, &c);
    cr_log_info("largest probability difference with svm_load_model: %.3g", c.w.prob);
    svm_free_and_destroy_model(&loaded);
}

/* ---- a full (not collapsed) libsvm model of the same vectors ---- */

typedef struct full_model {
    cg_problem p;
    cg_extractor_config config;
    struct svm_model *model;
    struct svm_problem prob;
    struct svm_parameter param;
} full_model;

/* Rebuild the training vectors exactly as cg_train_run did for the bundle (same settings, article
 * copies and seed; no bias node, which only liblinear uses) and train libsvm on them directly with
 * its linear kernel, the same C, no class weights, and probability estimates. */
static void train_full(full_model *f)
{
    char err[512] = "";
    cg_train_options opt;
    cgt_train_options(&opt, bundle_dir);
    f->config = opt.extractor;
    cg_problem_options po = {opt.article_copies, opt.mismatched_articles, opt.seed, 0, 0};
    cr_assert_eq(cg_problem_build(&f->config, &ds, &po, &f->p, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(f->p.n, 60 + 23);
    /* The bundle stores the extractor that built these vectors. */
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        cr_assert_eq(f->config.relevance_center[k], model->extractor.config.relevance_center[k]);
    f->param = (struct svm_parameter){.svm_type = C_SVC, .kernel_type = LINEAR, .cache_size = 100, .eps = 1e-3,
                                      .C = CG_TRAIN_C, .shrinking = 1, .probability = 1};
    f->prob = (struct svm_problem){(int)f->p.n, f->p.y, f->p.x};
    cr_assert_null(svm_check_parameter(&f->prob, &f->param));
    srand(opt.seed);
    f->model = svm_train(&f->prob, &f->param);
    cr_assert_not_null(f->model);
    cr_assert_gt(f->model->l, 4, "a full model has many support vectors");
}

static void free_full(full_model *f)
{
    svm_free_and_destroy_model(&f->model);
    cg_problem_free(&f->p);
}

Test(parity, collapsed_weights_of_a_full_libsvm_model_agree_with_it)
{
    full_model f;
    train_full(&f);
    char path[128];
    snprintf(path, sizeof path, "%s/full.svm", tmp);
    cr_assert_eq(svm_save_model(path, f.model), 0);
    cg_svm full;
    char err[512] = "";
    cr_assert_eq(cg_svm_load(path, cg_feature_dim(&f.config), &full, err, sizeof err), CG_OK, "%s", err);
    cr_assert_not_null(full.weights);
    cr_expect_eq(full.libsvm->l, f.model->l);
    double worst_dec_file = 0, worst_dec = 0, worst_prob = 0;
    for (size_t i = 0; i < f.p.n; i++) {
        const struct svm_node *x = f.p.x[i];
        double dec[CG_PAIRS], file_dec[CG_PAIRS], mem_dec[CG_PAIRS], prob[3], by_class[3];
        cg_svm_decision_values(&full, x, dec);
        /* Against the struct parsed from the same file: only summation order differs. */
        svm_predict_values(full.libsvm, x, file_dec);
        /* Against the model in memory: svm_save_model writes support vectors with 8 digits. */
        svm_predict_values(f.model, x, mem_dec);
        for (int p = 0; p < CG_PAIRS; p++) {
            cr_expect_float_eq(dec[p], file_dec[p], 1e-9, "vector %zu pair %d", i, p);
            cr_expect_float_eq(dec[p], mem_dec[p], 1e-6, "vector %zu pair %d", i, p);
            worst_dec_file = fmax(worst_dec_file, fabs(dec[p] - file_dec[p]));
            worst_dec = fmax(worst_dec, fabs(dec[p] - mem_dec[p]));
        }
        cg_svm_probabilities(&full, dec, prob);
        double predicted = svm_predict_probability(f.model, x, by_class);
        for (int c = 0; c < 3; c++) {
            cr_expect_float_eq(prob[f.model->label[c]], by_class[c], 1e-6, "vector %zu class %d: %.17g vs %.17g", i,
                               f.model->label[c], prob[f.model->label[c]], by_class[c]);
            worst_prob = fmax(worst_prob, fabs(prob[f.model->label[c]] - by_class[c]));
        }
        cr_expect_eq((double)cg_svm_best(prob, &full), predicted, "vector %zu: label", i);
    }
    cr_log_info("full model, %d SVs: decision vs file %.3g, vs memory %.3g; probability %.3g", f.model->l,
                worst_dec_file, worst_dec, worst_prob);
    cg_svm_destroy(&full);
    free_full(&f);
}

/* The decision values of a bundle trained with `solver` against the full libsvm model's, pair by
 * pair in the full model's class order: the largest difference, and the share of vectors whose
 * one-against-one vote agrees. */
static void compare_with_full(cg_solver solver, double eps, double *worst_dec, double *agreement)
{
    full_model f;
    train_full(&f);
    char *dir = NULL;
    cg_train_options opt;
    cgt_train_options(&opt, NULL);
    opt.solver = solver;
    opt.eps = eps;
    cr_assert_geq(asprintf(&dir, "%s/%s", tmp, solver == CG_SOLVER_SMO ? "smo" : "liblinear"), 0);
    opt.output_dir = dir;
    cg_train_report report;
    char err[512] = "";
    cr_assert_eq(cg_train_run(&opt, &report, err, sizeof err), CG_OK, "%s", err);
    cg_train_report_free(&report);
    cg_model *m;
    cr_assert_eq(cg_model_open(dir, &m, err, sizeof err), CG_OK, "%s", err);
    size_t agree = 0;
    *worst_dec = 0;
    for (size_t i = 0; i < f.p.n; i++) {
        double ours[CG_PAIRS], theirs[CG_PAIRS], mapped[CG_PAIRS];
        cg_svm_decision_values(&m->svm, f.p.x[i], ours); /* labels 0, 1, 2 in that order */
        svm_predict_values(f.model, f.p.x[i], theirs);
        /* libsvm orders its classes as they first occur in the data: map its pairs onto 0, 1, 2. */
        for (int a = 0, p = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++, p++) {
                int la = f.model->label[a], lb = f.model->label[b];
                int q = la < lb ? (la == 0 ? lb - 1 : 2) : (lb == 0 ? la - 1 : 2);
                mapped[q] = la < lb ? theirs[p] : -theirs[p];
            }
        for (int p = 0; p < CG_PAIRS; p++)
            *worst_dec = fmax(*worst_dec, fabs(ours[p] - mapped[p]));
        agree += cg_vote(ours) == cg_vote(mapped);
    }
    *agreement = (double)agree / (double)f.p.n;
    cg_model_free(m);
    free(dir);
    free_full(&f);
}

Test(parity, smo_bundle_has_the_full_libsvm_models_decision_values)
{
    /* Pair by pair, libsvm's SMO on the pair's vectors is what libsvm's own one-against-one training
     * does: the same optimisation, so the same decision values up to its tolerance. */
    double worst, agreement;
    compare_with_full(CG_SOLVER_SMO, 1e-3, &worst, &agreement);
    cr_log_info("SMO bundle vs full libsvm model: largest decision difference %.3g, votes agree %.3f", worst,
                agreement);
    cr_expect_lt(worst, 1e-2);
    cr_expect_eq(agreement, 1.0);
}

Test(parity, liblinear_bundle_is_close_to_the_full_libsvm_model)
{
    /* liblinear solves the same hinge-loss problem, but regularises the intercept (a bias feature of
     * 1) and stops by another criterion: close, not equal (the README measures it on 5k comments). */
    double worst, agreement;
    compare_with_full(CG_SOLVER_LIBLINEAR, 1e-3, &worst, &agreement);
    cr_log_info("liblinear bundle vs full libsvm model: largest decision difference %.3g, votes agree %.3f", worst,
                agreement);
    cr_expect_lt(worst, 0.1);
    cr_expect_geq(agreement, 0.95);
}
