/* train.h - rebuilding a model bundle from labelled comments. */
#ifndef CG_TRAIN_H
#define CG_TRAIN_H

#include <stddef.h>

#include "extract.h"
#include "metrics.h"
#include "loso.h"
#include "pair_solver.h"

#define CG_TRAIN_MAX_C 16

typedef struct cg_train_options {
    const char *data_path;         /* labelled training data (dataset.h formats) */
    const char *output_dir;        /* the bundle to write; replaced only when training succeeds */
    cg_extractor_config extractor; /* start from cg_extractor_config_default */
    double c_values[CG_TRAIN_MAX_C]; /* the C grid searched by cross-validation */
    int n_c;
    int class_weights;  /* 0: none, 1: balanced (inverse class frequency), -1: choose by CV */
    int folds;          /* k of k-fold cross-validation; 0 skips the search (needs n_c == 1) */
    unsigned seed;      /* fixes fold assignment and the solvers' shuffles: same seed, same bytes */
    int threads;        /* parallel workers for the pair trainings (processes: workers.h) */
    cg_solver solver;   /* liblinear's dual coordinate descent (default) or libsvm's SMO */
    double eps;         /* the solver's stopping tolerance */
    double bias;        /* liblinear: the constant feature that carries the intercept */
    int loso;           /* also measure leave-one-source-out (one more training per source) */
    int row_probabilities; /* keep each row's cross-validated probabilities in the report */
    int tune_class_weights; /* choose class weights by cross-validated macro-F1 (calibrate.h); off by
                               default: on sites the model never saw they cost accuracy */
    double decision_weight[CG_NUM_CLASSES]; /* without tune_class_weights: class weights on the
                               probabilities, folded into them (all 1, the default: libsvm's rule) */
    size_t search_rows; /* more rows than this: the C search, calibration and decision weights use a
                           sample of this many (whole threads), the final model all of them */
    double article_copies; /* share of rows with an article also trained without it (0..1) */
    double mismatched_articles; /* share of on-topic rows with an article also trained under another
                                   thread's article, as off-topic (0..1; 0: none, the default) */
    const char *card_notes; /* extra text for CARD.md (provenance of the data), or NULL */
    /* Called with one line of progress at a time (no newline); may be NULL. */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
} cg_train_options;

/* Default options (grid, folds, seed, threads = number of cores, ...) for data and output. */
void cg_train_options_default(cg_train_options *opt, const char *data_path, const char *output_dir);

typedef struct cg_train_report {
    size_t n_rows;           /* labelled rows read */
    size_t n_vectors;        /* training vectors (rows plus article-less copies) */
    size_t n_search_rows;    /* rows of the C search and calibration (all, or a sample) */
    double best_c;
    int weighted;            /* class weights used */
    size_t count[CG_NUM_CLASSES]; /* rows per label */
    cg_confusion cv;         /* cross-validated confusion matrix of the chosen setting, as published */
    cg_confusion cv_plain;   /* the same without the class weights (libsvm's own calibration) */
    double decision_weight[CG_NUM_CLASSES]; /* class weights given or chosen by cross-validation, folded
                                               into the model's sigmoids (calibrate.h) */
    size_t n_weights;        /* non-zero weights of the final model, over its three pairs */
    double *row_prob;        /* with opt->row_probabilities, when the C search covered every row:
                                each row's cross-validated probabilities as published
                                (row_prob[r * 3 + class], rows in file order), for the training
                                report; else NULL */
    cg_source_figures *loso; /* with opt->loso and two sources or more: one per source (free with
                                cg_train_report_free) */
    int n_loso;
    double seconds;          /* wall time of the whole run */
    long peak_rss_kb;        /* peak resident memory of the largest process (this one or a worker) */
} cg_train_report;

/* Train and write the bundle. Errors carry file:line for bad data. */
cg_status cg_train_run(const cg_train_options *opt, cg_train_report *report, char *err, size_t errlen);

/* Free what a report holds (its source names stay valid until then). */
void cg_train_report_free(cg_train_report *report);

#endif
