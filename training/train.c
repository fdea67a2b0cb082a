/* train.c - rebuilding a model bundle from labelled comments: read and extract (streaming), search C
 * by cross-validation, train the final pairs, calibrate on the held-out decision values, write the
 * bundle. */
#define _GNU_SOURCE /* open_memstream */
#include "train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "calibrate.h"
#include "problem.h"
#include "relevance.h"
#include "run_stats.h"
#include "search.h"
#include "svm_model.h"
#include "write_bundle.h"

/* One progress line, if opt asks for them. */
#define SAY(opt, ...) cg_progressf((opt)->progress, (opt)->progress_ctx, __VA_ARGS__)

/* Without a C search (folds 0) the probabilities are still calibrated on held-out decision values:
 * those of this many folds, as libsvm's own probability estimates do. */
#define CALIBRATION_FOLDS 5

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
    opt->solver = CG_SOLVER_LIBLINEAR;
    /* liblinear's own default for its dual solvers; measured against libsvm's SMO in the README. */
    opt->eps = 0.1;
    /* With unit-length vectors a bias feature of 1 weighs like one more feature: large enough that
     * regularising the intercept costs little (parity with libsvm's free rho, README). */
    opt->bias = 1.0;
    /* The C search costs (settings x folds) trainings: on a sample of this size it stays a few minutes,
     * whatever the data's size, while the final model learns from every row. */
    opt->search_rows = 100000;
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        opt->decision_weight[c] = 1.0;
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
    else if (!(opt->eps > 0 && opt->eps <= 1))
        why = "the solver's tolerance must lie in (0, 1]";
    else if (!(opt->bias >= 0 && opt->bias <= 100))
        why = "the bias must lie in [0, 100]";
    else if (opt->search_rows < 100)
        why = "the C search needs a sample of at least 100 rows";
    else
        why = cg_extractor_config_check(&opt->extractor);
    for (int i = 0; !why && i < opt->n_c; i++)
        if (!(opt->c_values[i] > 0 && opt->c_values[i] < 1e6))
            why = "C values must lie in (0, 1e6)";
    for (int c = 0; !why && c < CG_NUM_CLASSES; c++)
        if (!(opt->decision_weight[c] > 0 && opt->decision_weight[c] <= 100)) /* what bundle.json accepts */
            why = "class weights must lie in (0, 100]";
        else if (opt->tune_class_weights && opt->decision_weight[c] != 1)
            why = "give class weights or tune them, not both";
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

/* CARD.md: everything here is a function of data, options and seed, so that a retraining with
 * the same inputs writes the same bytes. */
static char *card(const cg_train_options *opt, const cg_extractor_config *x, const cg_train_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    const char *base = strrchr(opt->data_path, '/');
    fprintf(f, "# Model card\n\n");
    fprintf(f, "A three-class comment classifier (on-topic, off-topic, abusive): one linear C-SVC per class pair, "
               "trained with %s on hashed n-gram features, stored as a libsvm %d model, with Platt-calibrated "
               "one-vs-one probabilities coupled as libsvm does.\n\n",
            opt->solver == CG_SOLVER_SMO ? "libsvm's SMO" : "liblinear's dual coordinate descent (L1-loss SVC)",
            LIBSVM_VERSION);
    if (opt->card_notes)
        fprintf(f, "%s\n\n", opt->card_notes);
    fprintf(f, "## Training data\n\n`%s`: %zu rows (on-topic %zu, off-topic %zu, abusive %zu); %zu training vectors "
               "(rows with an article are also trained without it at a rate of %.2f",
            base ? base + 1 : opt->data_path, r->n_rows, r->count[0], r->count[1], r->count[2], r->n_vectors,
            opt->article_copies);
    if (opt->mismatched_articles > 0)
        fprintf(f, "; on-topic rows with an article also under another thread's article, as off-topic, at a rate of "
                   "%.2f", opt->mismatched_articles);
    fprintf(f, ").\n\n");
    fprintf(f, "## Parameters\n\n");
    fprintf(f, "- features: 2^%u hashed slots (xxHash seed %016llx); word 1-%u grams; character %u-%u grams within "
               "words (weight %g); %d dense signals (weight %g%s); %d relevance features against the article "
               "(weight %g)\n",
            x->hash_bits, (unsigned long long)x->seed, x->word_ngrams, x->char_min, x->char_max, x->char_weight,
            CG_NUM_SIGNALS - !x->length_signal, x->signal_weight, x->length_signal ? "" : "; length left out",
            CG_REL_COUNT, x->relevance_weight);
    if (x->lexicon[0]) {
        const char *name = strrchr(x->lexicon, '/');
        fprintf(f, "- lexicon: `%s` (copied into the bundle as `%s`), its entries counted in each comment as a "
                   "signal (weight %g)%s\n",
                name ? name + 1 : x->lexicon, CG_BUNDLE_LEXICON, x->signal_weight,
                x->group_placeholder ? "; its [unmarked] words as one token, `<group>`, in word bigrams and trigrams"
                                     : "");
    }
    fprintf(f, "- C = %g, %s class weights, chosen by %d-fold cross-validation (grouped by article) over C in {",
            r->best_c, r->weighted ? "balanced" : "equal", opt->folds);
    for (int i = 0; i < opt->n_c; i++)
        fprintf(f, "%s%g", i ? ", " : "", opt->c_values[i]);
    fprintf(f, "}%s; seed %u\n", opt->class_weights < 0 ? " and both weightings" : "", opt->seed);
    fprintf(f, "- solver tolerance %g", opt->eps);
    if (opt->solver == CG_SOLVER_LIBLINEAR)
        fprintf(f, ", intercept on a bias feature of %g", opt->bias);
    fprintf(f, "; %zu non-zero weights over the three class pairs\n", r->n_weights);
    int weighted = r->decision_weight[0] != 1 || r->decision_weight[1] != 1 || r->decision_weight[2] != 1;
    if (opt->tune_class_weights || weighted)
        fprintf(f, "- class weights (on-topic, off-topic, abusive) %g, %g, %g, %s and folded into the pairwise "
                   "sigmoids: the label is always the most probable class\n\n",
                r->decision_weight[0], r->decision_weight[1], r->decision_weight[2],
                opt->tune_class_weights ? "chosen by cross-validated macro-F1" : "given (`--decision-weights`)");
    else
        fprintf(f, "- no class weights on the probabilities: the label is the most probable class\n\n");
    if (opt->folds >= 2) {
        fprintf(f, "## Cross-validated figures (training data)\n\n");
        if (r->n_search_rows < r->n_rows)
            fprintf(f, "On the sample of %zu rows (whole threads) that chose C and calibrated the probabilities; the "
                       "final model was trained on all %zu rows.\n\n",
                    r->n_search_rows, r->n_rows);
        cg_confusion_write_markdown(f, &r->cv);
        if (opt->tune_class_weights || weighted)
            fprintf(f, "\nWithout the class weights (libsvm's own calibration): macro-F1 %.4f.\n",
                    cg_confusion_scores(&r->cv_plain, NULL));
    }
    if (r->n_loso > 0) {
        fprintf(f, "\n## Leave-one-source-out (training data)\n\n"
                   "Each source held out in turn: the same setting trained on every other source, judged on it.\n\n"
                   "Macro-F1 as `../shared/peers/evaluate.py` reports it: a source without abusive (or off-topic) "
                   "rows is judged as the bad class against the rest.\n\n"
                   "| source | rows | task | macro-F1 | accuracy |\n|---|---:|---|---:|---:|\n");
        for (int k = 0; k < r->n_loso; k++) {
            int bad;
            double macro = cg_confusion_peer_macro_f1(&r->loso[k].confusion, &bad);
            fprintf(f, "| %s | %zu | %s | %.4f | %.4f |\n", r->loso[k].source, r->loso[k].rows,
                    bad < 0 ? "3-class" : bad == CG_OFF_TOPIC ? "off-topic vs rest" : "abusive vs rest", macro,
                    cg_confusion_accuracy(&r->loso[k].confusion));
        }
    }
    fclose(f);
    return text;
}

static int has_every_class(const cg_train_options *opt, const size_t count[CG_NUM_CLASSES], char *err, size_t errlen)
{
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (count[c] == 0) {
            if (err)
                snprintf(err, errlen, "%s: no row is labelled %s: every class needs examples", opt->data_path,
                         cg_label_name((cg_label)c));
            return 0;
        }
    return 1;
}

/* Reading progress: rows, rate and, from the share of the file read, the time left. */
typedef struct read_progress {
    const cg_train_options *opt;
    double start;
} read_progress;

static void reading(void *ctx, size_t rows, double fraction)
{
    const read_progress *rp = ctx;
    double elapsed = cg_seconds_now() - rp->start;
    if (fraction > 0)
        SAY(rp->opt, "extracting: %zu rows, %.0f rows/s, %.0f%% of the file, about %.0fs left", rows,
            rows / elapsed, 100 * fraction, elapsed * (1 - fraction) / fraction);
    else
        SAY(rp->opt, "extracting: %zu rows, %.0f rows/s", rows, rows / elapsed);
}

/* Choose the setting by cross-validated macro-F1 and keep its held-out decision values; `folds`
 * is opt->folds, or CALIBRATION_FOLDS for calibration alone. */
static cg_status cross_validate(const cg_train_options *opt, const cg_problem *p, const cg_solver_options *so,
                                int folds, cg_setting *best, double **held_out, char *err, size_t errlen)
{
    cg_setting settings[2 * CG_TRAIN_MAX_C];
    cg_confusion cv[2 * CG_TRAIN_MAX_C];
    size_t n_settings = make_settings(opt, settings), best_index = 0;
    double t = cg_seconds_now();
    double *decision = malloc(n_settings * p->n * CG_NUM_PAIRS * sizeof *decision);
    cg_status st = decision ? cg_cross_validate(p, settings, (int)n_settings, folds, so, cv, decision) : CG_ERR_NOMEM;
    if (st != CG_OK) {
        free(decision);
        if (err)
            snprintf(err, errlen, "%s during cross-validation", st == CG_ERR_NOMEM ? "out of memory" : cg_strerror(st));
        return st;
    }
    double best_f1 = -1;
    for (size_t s = 0; s < n_settings; s++) {
        double f1 = cg_confusion_scores(&cv[s], NULL);
        if (opt->folds >= 2)
            SAY(opt, "C=%-5g %-8s weights: cross-validated macro-F1 %.4f", settings[s].c,
                settings[s].weighted ? "balanced" : "equal", f1);
        if (f1 > best_f1) {
            best_f1 = f1;
            best_index = s;
        }
    }
    SAY(opt, "cross-validation: %zu pair trainings in %.1fs", n_settings * (size_t)folds * CG_NUM_PAIRS, cg_seconds_now() - t);
    *best = settings[best_index];
    /* Keep only the chosen setting's values. */
    memmove(decision, decision + best_index * p->n * CG_NUM_PAIRS, p->n * CG_NUM_PAIRS * sizeof *decision);
    *held_out = decision;
    return CG_OK;
}

/* The figures of each source held out, with names that outlive the problem. */
static cg_status leave_one_source_out(const cg_train_options *opt, const cg_problem *p, const cg_setting *best,
                                      const cg_solver_options *so, const cg_linear_model *m, cg_train_report *report,
                                      char *err, size_t errlen)
{
    SAY(opt, "leave-one-source-out: %d sources, %d pair trainings", p->n_sources, p->n_sources * CG_NUM_PAIRS);
    double t = cg_seconds_now();
    report->loso = calloc((size_t)p->n_sources, sizeof *report->loso);
    cg_status st = report->loso ? cg_leave_one_source_out(p, best, so, m, report->loso) : CG_ERR_NOMEM;
    for (int k = 0; st == CG_OK && k < p->n_sources; k++) {
        report->n_loso = k + 1;
        if (!(report->loso[k].source = strdup(p->source_name[k])))
            st = CG_ERR_NOMEM;
    }
    if (st != CG_OK && err)
        snprintf(err, errlen, "out of memory measuring leave-one-source-out");
    SAY(opt, "leave-one-source-out: %.1fs", cg_seconds_now() - t);
    return st;
}

/* Each row's published probabilities from its held-out decision values (the rows as given only). */
static cg_status row_probabilities(const cg_problem *p, const double *decision, const cg_linear_model *m,
                                   cg_train_report *report)
{
    cg_svm sigmoids = cg_linear_sigmoids(m);
    if (!(report->row_prob = calloc(p->n_rows * CG_NUM_CLASSES + 1, sizeof *report->row_prob)))
        return CG_ERR_NOMEM;
    for (size_t i = 0; i < p->n; i++)
        if (!p->is_derived[i])
            cg_svm_probabilities(&sigmoids, decision + i * CG_NUM_PAIRS, report->row_prob + p->row[i] * CG_NUM_CLASSES);
    return CG_OK;
}

void cg_train_report_free(cg_train_report *report)
{
    free(report->row_prob);
    report->row_prob = NULL;
    for (int k = 0; k < report->n_loso; k++)
        free((char *)report->loso[k].source);
    free(report->loso);
    report->loso = NULL;
    report->n_loso = 0;
}

static size_t count_weights(const cg_linear_model *m)
{
    size_t n = 0;
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++)
        for (int f = 1; f <= m->dim; f++)
            n += cg_pair_weights(m, pair)[f] != 0.0;
    return n;
}

cg_status cg_train_run(const cg_train_options *opt, cg_train_report *report, char *err, size_t errlen)
{
    double t0 = cg_seconds_now();
    memset(report, 0, sizeof *report);
    cg_status st = check_options(opt, err, errlen);
    if (st != CG_OK)
        return st;

    cg_extractor_config config = opt->extractor;
    cg_problem p;
    cg_problem_options po = {opt->article_copies, opt->mismatched_articles, opt->seed,
                             opt->solver == CG_SOLVER_LIBLINEAR ? opt->bias : 0, 0};
    read_progress rp = {opt, cg_seconds_now()};
    if ((st = cg_problem_read(&config, opt->data_path, &po, reading, &rp, &p, err, errlen)) != CG_OK)
        return st;
    report->n_rows = p.n_rows;
    report->n_vectors = p.n;
    for (size_t i = 0; i < p.n; i++)
        if (!p.is_derived[i])
            report->count[(int)p.y[i]]++;
    SAY(opt, "read %zu rows (on-topic %zu, off-topic %zu, abusive %zu): %zu vectors, %.1f features each on average, "
        "in %.1fs", p.n_rows, report->count[0], report->count[1], report->count[2], p.n, (double)p.nnz / (double)p.n,
        cg_seconds_now() - rp.start);
    if (!has_every_class(opt, report->count, err, errlen)) {
        cg_problem_free(&p);
        return CG_ERR_FORMAT;
    }

    cg_solver_options so = {opt->solver, opt->eps, opt->threads, opt->seed, opt->progress, opt->progress_ctx};
    cg_setting best;
    double *held_out = NULL;
    cg_problem sample = {0};
    const cg_problem *search = &p;
    if (p.n_rows > opt->search_rows) {
        if ((st = cg_problem_sample(&p, opt->search_rows, opt->seed, &sample)) != CG_OK) {
            cg_problem_free(&p);
            return st;
        }
        search = &sample;
        SAY(opt, "C search and calibration on a sample of %zu rows (%zu vectors)", sample.n_rows, sample.n);
    }
    report->n_search_rows = search->n_rows;
    st = cross_validate(opt, search, &so, opt->folds >= 2 ? opt->folds : CALIBRATION_FOLDS, &best, &held_out, err,
                        errlen);

    cg_linear_model model = {0};
    if (st == CG_OK) {
        SAY(opt, "final training: C=%g, %s weights", best.c, best.weighted ? "balanced" : "equal");
        double t = cg_seconds_now();
        st = cg_train_final(&p, &best, &so, &model);
        if (st != CG_OK && err)
            snprintf(err, errlen, "out of memory in the final training");
        else
            SAY(opt, "final training: %.1fs", cg_seconds_now() - t);
    }
    if (st == CG_OK) {
        report->best_c = best.c;
        report->weighted = best.weighted;
        report->n_weights = count_weights(&model);
        if (!cg_fit_sigmoids(search, held_out, &model)) {
            st = CG_ERR_NOMEM;
            if (err)
                snprintf(err, errlen, "out of memory calibrating probabilities");
        } else {
            const double *given = opt->tune_class_weights ? NULL : opt->decision_weight;
            cg_choose_decision_weights(search, held_out, given, &model, report->decision_weight, &report->cv_plain,
                                       &report->cv);
            SAY(opt, "class weights %.1f %.1f %.1f folded into the probabilities: cross-validated macro-F1 %.4f "
                "(%.4f without)",
                report->decision_weight[0], report->decision_weight[1], report->decision_weight[2],
                cg_confusion_scores(&report->cv, NULL), cg_confusion_scores(&report->cv_plain, NULL));
        }
    }
    if (st == CG_OK && opt->row_probabilities && search == &p)
        st = row_probabilities(&p, held_out, &model, report);
    if (st == CG_OK && opt->loso && p.n_sources >= 2)
        st = leave_one_source_out(opt, &p, &best, &so, &model, report, err, errlen);
    free(held_out);
    cg_problem_free(&sample);
    if (st == CG_OK) {
        char *text = card(opt, &config, report);
        st = text ? cg_write_bundle(opt->output_dir, &config, &model, text, err, errlen)
                  : CG_ERR_NOMEM;
        free(text);
        if (st == CG_OK)
            SAY(opt, "wrote %s", opt->output_dir);
    }
    cg_linear_model_free(&model);
    cg_problem_free(&p);
    report->seconds = cg_seconds_now() - t0;
    report->peak_rss_kb = cg_peak_rss_kb();
    return st;
}
