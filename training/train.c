/* train.c - rebuilding a model bundle from labelled comments: read, extract, search C by
 * cross-validation, train the final model with probability estimates, write the bundle. */
#define _GNU_SOURCE /* open_memstream */
#include "train.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "dataset.h"
#include "problem.h"
#include "relevance.h"
#include "search.h"
#include "write_bundle.h"

/* The kernel matrix may use at most this share of physical memory; beyond it training falls back
 * to libsvm's own (slower) linear kernel. */
#define KERNEL_MEMORY_SHARE 0.6

/* libsvm reports through one process-wide print hook with no context argument, so what it says
 * can only be gathered here: the number of optimisation iterations, summed over all trainings. */
static atomic_long libsvm_iterations;

static void count_libsvm_output(const char *text)
{
    const char *it = strstr(text, "#iter = ");
    if (it)
        atomic_fetch_add(&libsvm_iterations, strtol(it + 8, NULL, 10));
}

void cg_train_options_default(cg_train_options *opt, const char *data_path, const char *output_dir)
{
    /* Measured on the shared corpus: balanced class weights beat equal ones at every C, and C
     * from 1 to 4 is where cross-validated macro-F1 peaks (smaller underfits, larger costs time). */
    static const double grid[] = {1, 2, 4};
    memset(opt, 0, sizeof *opt);
    opt->data_path = data_path;
    opt->output_dir = output_dir;
    cg_extractor_config_default(&opt->extractor);
    opt->n_c = (int)(sizeof grid / sizeof grid[0]);
    memcpy(opt->c_values, grid, sizeof grid);
    opt->class_weights = 1;
    opt->folds = 3;
    opt->seed = 1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    opt->threads = cores > 0 ? (int)cores : 1;
    opt->article_copies = 1.0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void say(const cg_train_options *opt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const cg_train_options *opt, const char *fmt, ...)
{
    if (!opt->progress)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    opt->progress(opt->progress_ctx, line);
}

static cg_status check_options(const cg_train_options *opt, char *err, size_t errlen)
{
    const char *why = NULL;
    if (!opt->data_path || !opt->output_dir)
        why = "need training data and an output directory";
    else if (opt->n_c < 1 || opt->n_c > CG_TRAIN_MAX_C)
        why = "the C grid needs 1 to 16 values";
    else if (opt->folds == 1 || opt->folds < 0 || opt->folds > 20)
        why = "folds must be 0 (no search) or 2..20";
    else if (opt->folds == 0 && (opt->n_c > 1 || opt->class_weights < 0))
        why = "without cross-validation give one C and a fixed weighting";
    else if (!(opt->article_copies >= 0 && opt->article_copies <= 1))
        why = "article copies must lie in [0, 1]";
    else if (!(opt->mismatched_articles >= 0 && opt->mismatched_articles <= 1))
        why = "mismatched articles must lie in [0, 1]";
    else if (opt->threads < 1 || opt->threads > 256)
        why = "threads must lie in 1..256";
    else
        why = cg_extractor_config_check(&opt->extractor);
    for (int i = 0; !why && i < opt->n_c; i++)
        if (!(opt->c_values[i] > 0 && opt->c_values[i] < 1e6))
            why = "C values must lie in (0, 1e6)";
    if (why && err)
        snprintf(err, errlen, "%s", why);
    return why ? CG_ERR_INPUT : CG_OK;
}

static size_t make_settings(const cg_train_options *opt, cg_setting *settings)
{
    size_t n = 0;
    for (int w = 0; w <= 1; w++) {
        if (opt->class_weights >= 0 && w != opt->class_weights)
            continue;
        for (int i = 0; i < opt->n_c; i++)
            settings[n++] = (cg_setting){opt->c_values[i], w};
    }
    return n;
}

static void write_confusion(FILE *f, const cg_confusion *c)
{
    cg_class_scores s[CG_NUM_CLASSES];
    double macro = cg_confusion_scores(c, s);
    fprintf(f, "| gold \\ predicted | on-topic | off-topic | abusive | precision | recall | F1 |\n");
    fprintf(f, "|---|---|---|---|---|---|---|\n");
    for (int g = 0; g < CG_NUM_CLASSES; g++)
        fprintf(f, "| %s | %zu | %zu | %zu | %.4f | %.4f | %.4f |\n", cg_label_name((cg_label)g), c->n[g][0],
                c->n[g][1], c->n[g][2], s[g].precision, s[g].recall, s[g].f1);
    fprintf(f, "\nAccuracy %.4f, macro-F1 **%.4f**.\n", cg_confusion_accuracy(c), macro);
}

/* CARD.md: everything here is a function of data, options and seed, so that a retraining with
 * the same inputs writes the same bytes. */
static char *card(const cg_train_options *opt, const cg_dataset *ds, const cg_extractor_config *x,
                  const cg_train_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    const char *base = strrchr(opt->data_path, '/');
    fprintf(f, "# Model card\n\n");
    fprintf(f, "A three-class comment classifier (on-topic, off-topic, abusive): a linear C-SVC trained with libsvm %d "
               "on hashed n-gram features, with Platt-calibrated one-vs-one probabilities coupled as libsvm does.\n\n",
            LIBSVM_VERSION);
    if (opt->card_notes)
        fprintf(f, "%s\n\n", opt->card_notes);
    fprintf(f, "## Training data\n\n`%s`: %zu rows (on-topic %zu, off-topic %zu, abusive %zu); %zu training vectors "
               "(rows with an article are also trained without it at a rate of %.2f",
            base ? base + 1 : opt->data_path, ds->n, ds->count[0], ds->count[1], ds->count[2], r->n_vectors,
            opt->article_copies);
    if (opt->mismatched_articles > 0)
        fprintf(f, "; on-topic rows with an article also under another thread's article, as off-topic, at a rate of "
                   "%.2f", opt->mismatched_articles);
    fprintf(f, ").\n\n");
    fprintf(f, "## Parameters\n\n");
    fprintf(f, "- features: 2^%u hashed slots (xxHash seed %016llx); word 1-%u grams; character %u-%u grams within "
               "words (weight %g); %d dense signals (weight %g); %d relevance features against the article "
               "(weight %g)\n",
            x->hash_bits, (unsigned long long)x->seed, x->word_ngrams, x->char_min, x->char_max, x->char_weight,
            CG_NUM_SIGNALS, x->signal_weight, CG_REL_COUNT, x->relevance_weight);
    fprintf(f, "- C = %g, %s class weights, chosen by %d-fold cross-validation (grouped by article) over C in {",
            r->best_c, r->weighted ? "balanced" : "equal", opt->folds);
    for (int i = 0; i < opt->n_c; i++)
        fprintf(f, "%s%g", i ? ", " : "", opt->c_values[i]);
    fprintf(f, "}%s; seed %u\n", opt->class_weights < 0 ? " and both weightings" : "", opt->seed);
    fprintf(f, "- %zu support vectors, collapsed into one weight vector per class pair\n", r->n_sv);
    fprintf(f, "- decision weights (on-topic, off-topic, abusive) %.1f, %.1f, %.1f: the label is the class with the "
               "largest probability times its weight; chosen by cross-validated macro-F1\n\n",
            r->decision_weight[0], r->decision_weight[1], r->decision_weight[2]);
    if (opt->folds >= 2) {
        fprintf(f, "## Cross-validated figures (training data)\n\n");
        write_confusion(f, &r->cv);
        fprintf(f, "\nWith all decision weights 1 (libsvm's own rule): macro-F1 %.4f.\n",
                cg_confusion_scores(&r->cv_plain, NULL));
    }
    fclose(f);
    return text;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static int has_every_class(const cg_dataset *ds, char *err, size_t errlen)
{
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (ds->count[c] == 0) {
            if (err)
                snprintf(err, errlen, "%s: no row is labelled %s: every class needs examples", ds->path,
                         cg_label_name((cg_label)c));
            return 0;
        }
    return 1;
}

cg_status cg_train_run(const cg_train_options *opt, cg_train_report *report, char *err, size_t errlen)
{
    double t0 = now();
    memset(report, 0, sizeof *report);
    cg_status st = check_options(opt, err, errlen);
    if (st != CG_OK)
        return st;
    svm_set_print_string_function(count_libsvm_output);

    cg_dataset ds;
    if ((st = cg_dataset_load(opt->data_path, &ds, err, errlen)) != CG_OK)
        return st;
    if (!has_every_class(&ds, err, errlen)) {
        cg_dataset_free(&ds);
        return CG_ERR_FORMAT;
    }
    report->n_rows = ds.n;
    say(opt, "read %zu rows from %s (on-topic %zu, off-topic %zu, abusive %zu)", ds.n, opt->data_path, ds.count[0],
        ds.count[1], ds.count[2]);

    cg_extractor_config config = opt->extractor;
    cg_problem p;
    double t = now();
    cg_problem_options po = {opt->article_copies, opt->mismatched_articles, opt->seed};
    if ((st = cg_problem_build(&config, &ds, &po, &p, err, errlen)) != CG_OK) {
        cg_dataset_free(&ds);
        return st;
    }
    report->n_vectors = p.n;
    size_t nnz = 0;
    for (size_t i = 0; i < p.n; i++)
        for (const struct svm_node *x = p.x[i]; x->index != -1; x++)
            nnz++;
    say(opt, "extracted %zu vectors, %.1f features each on average, in %.1fs", p.n, (double)nnz / (double)p.n,
        now() - t);

    cg_kernel kernel = {0}, *k = NULL;
    double memory = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    if (cg_kernel_bytes(p.n) <= KERNEL_MEMORY_SHARE * memory) {
        t = now();
        if (cg_kernel_build(&p, opt->threads, &kernel) == CG_OK) {
            k = &kernel;
            say(opt, "kernel matrix %zu x %zu (%.1f GB) in %.1fs", p.n, p.n, cg_kernel_bytes(p.n) / 1e9, now() - t);
        }
    }
    if (!k)
        say(opt, "kernel matrix of %.1f GB does not fit in memory: using libsvm's linear kernel (slower)",
            cg_kernel_bytes(p.n) / 1e9);

    cg_setting settings[2 * CG_TRAIN_MAX_C], best = {opt->c_values[0], opt->class_weights > 0};
    size_t n_settings = make_settings(opt, settings), best_index = 0;
    double *decision = NULL;
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        report->decision_weight[c] = 1.0;
    if (opt->folds >= 2) {
        cg_confusion cv[2 * CG_TRAIN_MAX_C];
        t = now();
        atomic_store(&libsvm_iterations, 0);
        decision = malloc(n_settings * p.n * 3 * sizeof *decision);
        st = decision ? cg_cross_validate(&p, &ds, k, settings, (int)n_settings, opt->folds, opt->seed, opt->threads,
                                          opt->progress, opt->progress_ctx, cv, decision)
                      : CG_ERR_NOMEM;
        if (st != CG_OK && err)
            snprintf(err, errlen, "out of memory during cross-validation");
        double best_f1 = -1;
        for (size_t s = 0; st == CG_OK && s < n_settings; s++) {
            double f1 = cg_confusion_scores(&cv[s], NULL);
            say(opt, "C=%-5g %-8s weights: cross-validated macro-F1 %.4f", settings[s].c,
                settings[s].weighted ? "balanced" : "equal", f1);
            if (f1 > best_f1) {
                best_f1 = f1;
                best = settings[s];
                best_index = s;
            }
        }
        say(opt, "cross-validation: %zu trainings, %ld libsvm iterations, %.1fs", n_settings * (size_t)opt->folds,
            atomic_load(&libsvm_iterations), now() - t);
    }

    struct svm_model *model = NULL;
    if (st == CG_OK) {
        /* With cross-validation done, its held-out decision values calibrate the probabilities;
         * without, libsvm calibrates them by an internal 5-fold cross-validation of its own. */
        int own_calibration = decision == NULL;
        say(opt, "final training: C=%g, %s weights%s", best.c, best.weighted ? "balanced" : "equal",
            own_calibration ? ", with libsvm's probability estimates" : "");
        t = now();
        int labels[3];
        double weights[3];
        struct svm_parameter param;
        struct svm_problem prob = {(int)p.n, p.y, cg_training_vectors(&p, k)};
        cg_setting_parameter(&best, &p, k != NULL, own_calibration, labels, weights, &param);
        srand(opt->seed); /* libsvm shuffles its internal probability folds with rand() */
        model = svm_train(&prob, &param);
        report->n_sv = (size_t)model->l;
        report->best_c = best.c;
        report->weighted = best.weighted;
        say(opt, "final training: %d support vectors in %.1fs", model->l, now() - t);
        const double *held_out = own_calibration ? NULL : decision + best_index * p.n * 3;
        if (held_out && !cg_fit_sigmoids(&p, held_out, model)) {
            st = CG_ERR_NOMEM;
            if (err)
                snprintf(err, errlen, "out of memory calibrating probabilities");
        } else if (held_out) {
            cg_choose_decision_weights(&p, held_out, model, report->decision_weight, &report->cv_plain, &report->cv);
            say(opt, "decision weights %.1f %.1f %.1f: cross-validated macro-F1 %.4f (%.4f without)",
                report->decision_weight[0], report->decision_weight[1], report->decision_weight[2],
                cg_confusion_scores(&report->cv, NULL), cg_confusion_scores(&report->cv_plain, NULL));
        }
    }
    free(decision);
    cg_kernel_free(&kernel);
    if (st == CG_OK) {
        char *text = card(opt, &ds, &config, report);
        st = text ? cg_write_bundle(opt->output_dir, &config, report->decision_weight, model, &p, text, err, errlen)
                  : CG_ERR_NOMEM;
        free(text);
        if (st == CG_OK)
            say(opt, "wrote %s", opt->output_dir);
    }
    svm_free_and_destroy_model(&model);
    cg_problem_free(&p);
    cg_dataset_free(&ds);
    report->seconds = now() - t0;
    report->peak_rss_kb = peak_rss_kb();
    return st;
}
