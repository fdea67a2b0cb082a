/* train.c - `commentguard train`: turn the command line into cg_train_options, run the training
 * (training/train.c) with progress on stderr, and print a summary of the model built. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "feature_options.h"
#include "import.h"
#include "train.h"
#include "train_base.h"
#include "train_report.h"

static const char usage[] =
    "Usage: commentguard train --data FILE --out DIR [options]\n"
    "       commentguard train --import-weights FILES --features DIR --data FILE --out DIR\n"
    "       commentguard train --base BUNDLE --data SITE.jsonl --out BUNDLE (see train --base --help)\n"
    "Build a model bundle from labelled comments (TSV or JSONL), choosing C and the class\n"
    "weighting by cross-validation; or from linear weights trained elsewhere (liblinear model\n"
    "files, on the vectors `commentguard vectors` wrote to DIR), calibrated on FILE.\n"
    "\n"
    "  --data FILE               the labelled comments\n"
    "  --out DIR                 the bundle to write (replaced only if training succeeds)\n"
    "  --c LIST                  the C values to try (default 1,2,4)\n"
    "  --folds K                 folds of cross-validation, 2..20, default 3 (0: no search, which\n"
    "                            needs a single C and --class-weights none or balanced)\n"
    "  --class-weights MODE      none, balanced (the default), or auto (chosen by cross-validation)\n"
    "  --threads N               parallel workers for the pair trainings (default: the cores)\n"
    "  --solver NAME             liblinear (default: dual coordinate descent, scales to millions of\n"
    "                            comments) or smo (libsvm's SMO: exact, for small sets)\n"
    "  --eps X                   the solver's stopping tolerance (default 0.1)\n"
    "  --bias X                  liblinear: the constant feature carrying the intercept (default 1)\n"
    "  --search-rows N           with more rows than N (default 100000), choose C and calibrate on a\n"
    "                            sample of N rows (whole threads); the final model uses every row\n"
    CLI_FEATURE_OPTIONS_USAGE
    "  --tune-class-weights      choose class weights by cross-validated macro-F1 and fold them into the\n"
    "                            probabilities (off: they help on the training distribution, not on\n"
    "                            other sites)\n"
    "  --decision-weights W,W,W  class weights (on-topic, off-topic, abusive) folded into the\n"
    "                            probabilities as given, e.g. chosen on sites the model never saw\n"
    "                            (default 1,1,1)\n"
    "  --loso                    also measure leave-one-source-out: for each `source`, train on the\n"
    "                            others and judge it (one more training per source; in the card)\n"
    "  --no-report               no cross-validation report (by default BUNDLE/report/index.html,\n"
    "                            linked from the card, when the C search covered every row)\n"
    "  --card-notes FILE         text to put in the model card (e.g. the data's provenance)\n"
    "  --import-weights FILES    liblinear model files: three, one per class pair in the order\n"
    "                            on-topic/off-topic, on-topic/abusive, off-topic/abusive (+1 for\n"
    "                            the first class), or one three-class model; comma-separated\n"
    "  --features DIR            with --import-weights: the directory `vectors` wrote\n"
    "  --quiet                   no progress on stderr\n";

/* Elapsed time for progress lines. */
typedef struct progress {
    double start;
} progress;

static void print_progress(void *ctx, const char *line)
{
    const progress *p = ctx;
    fprintf(stderr, "[%6.1fs] %s\n", cli_now() - p->start, line);
}

/* "0.1,1,10" into value[]: how many, or -1 if it is not a list of 1..max positive numbers. */
static int parse_positive_list(const char *list, double *value, int max)
{
    char item[64];
    int n = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        if (n == max || len == 0 || len >= sizeof item)
            return -1;
        memcpy(item, p, len);
        item[len] = '\0';
        if (cli_parse_double(item, &value[n]) < 0 || !(value[n] > 0))
            return -1;
        n++;
        p += len;
        if (!*p)
            return n;
    }
}

/* The whole of a text file of at most 64 KiB, NUL-terminated; NULL if it cannot be read. */
static char *read_small_file(const char *path)
{
    enum { LIMIT = 64 * 1024 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = malloc(LIMIT + 1);
    size_t n = text ? fread(text, 1, LIMIT + 1, f) : 0;
    int ok = text && !ferror(f) && n <= LIMIT;
    fclose(f);
    if (!ok) {
        free(text);
        return NULL;
    }
    text[n] = '\0';
    return text;
}

/* "a,b,c" into at most `max` pointers into s (which is modified): the count, or -1. */
static int split_list(char *s, const char **item, int max)
{
    int n = 0;
    for (char *p = s;; p++) {
        size_t len = strcspn(p, ",");
        if (n == max || len == 0)
            return -1;
        item[n++] = p;
        p += len;
        if (!*p)
            return n;
        *p = '\0';
    }
}

/* Fill opt (and imp, with --import-weights) from the command line: -1 if training should go
 * ahead, else the exit status. */
static int parse_options(int argc, char **argv, cg_train_options *opt, cg_import_options *imp, int *quiet,
                         int *no_report, char **card_notes)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    const char *data = NULL, *out = NULL, *v;
    cg_train_options_default(opt, NULL, NULL);
    memset(imp, 0, sizeof *imp);
    cg_problem_options po = {opt->article_copies, opt->mismatched_articles, opt->seed, 0, 0};
    *quiet = *no_report = 0;
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        int feature = cli_feature_option(&a, &opt->extractor, &po);
        if (feature == CLI_USAGE)
            return CLI_USAGE;
        if (feature)
            continue;
        if (cli_is(&a, "--quiet") || cli_is(&a, "--loso") || cli_is(&a, "--tune-class-weights") ||
            cli_is(&a, "--no-report")) {
            int *flag = cli_is(&a, "--quiet")     ? quiet
                        : cli_is(&a, "--loso")    ? &opt->loso
                        : cli_is(&a, "--no-report") ? no_report
                                                  : &opt->tune_class_weights;
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            *flag = 1;
        } else if (cli_is(&a, "--data")) {
            if (!(data = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--out")) {
            if (!(out = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--c")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if ((opt->n_c = parse_positive_list(v, opt->c_values, CG_TRAIN_MAX_C)) < 0)
                return cli_usage_error(&a, "--c: expected 1 to %d positive numbers separated by commas, not '%s'",
                                       CG_TRAIN_MAX_C, v);
        } else if (cli_is(&a, "--decision-weights")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (parse_positive_list(v, opt->decision_weight, CG_NUM_CLASSES) != CG_NUM_CLASSES)
                return cli_usage_error(&a, "--decision-weights: expected 3 positive numbers (on-topic, off-topic, "
                                       "abusive) separated by commas, not '%s'", v);
        } else if (cli_is(&a, "--folds")) {
            if (cli_long_value(&a, 0, 20, &n) != 0) /* the range cg_train_run accepts */
                return CLI_USAGE;
            if (n == 1)
                return cli_usage_error(&a, "--folds: one fold cannot cross-validate (0 for none, or 2 and up)");
            opt->folds = (int)n;
        } else if (cli_is(&a, "--class-weights")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (strcmp(v, "none") == 0)
                opt->class_weights = 0;
            else if (strcmp(v, "balanced") == 0)
                opt->class_weights = 1;
            else if (strcmp(v, "auto") == 0)
                opt->class_weights = -1;
            else
                return cli_usage_error(&a, "--class-weights: expected none, balanced or auto, not '%s'", v);
        } else if (cli_is(&a, "--threads")) {
            if (cli_long_value(&a, 1, CLI_MAX_THREADS, &n) != 0)
                return CLI_USAGE;
            opt->threads = (int)n;
        } else if (cli_is(&a, "--solver")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (strcmp(v, "liblinear") == 0)
                opt->solver = CG_SOLVER_LIBLINEAR;
            else if (strcmp(v, "smo") == 0)
                opt->solver = CG_SOLVER_SMO;
            else
                return cli_usage_error(&a, "--solver: expected liblinear or smo, not '%s'", v);
        } else if (cli_is(&a, "--eps")) {
            if (cli_double_value(&a, 1e-6, 1, &opt->eps) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--bias")) {
            if (cli_double_value(&a, 0, 100, &opt->bias) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--search-rows")) {
            if (cli_long_value(&a, 100, CG_DATASET_MAX_ROWS, &n) != 0)
                return CLI_USAGE;
            opt->search_rows = (size_t)n;
        } else if (cli_is(&a, "--card-notes")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            free(*card_notes);
            if (!(*card_notes = read_small_file(v)))
                return cli_usage_error(&a, "--card-notes: cannot read '%s' (at most 64 KiB)", v);
            opt->card_notes = *card_notes;
        } else if (cli_is(&a, "--import-weights")) {
            char *list = (char *)cli_value(&a);
            if (!list)
                return CLI_USAGE;
            imp->n_weights = split_list(list, imp->weights, CG_NUM_PAIRS);
            if (imp->n_weights != 1 && imp->n_weights != CG_NUM_PAIRS)
                return cli_usage_error(&a, "--import-weights: expected one model file or three, comma-separated");
        } else if (cli_is(&a, "--features")) {
            if (!(imp->features_dir = cli_value(&a)))
                return CLI_USAGE;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!data || !out)
        return cli_usage_error(&a, "--data FILE and --out DIR are required");
    if ((imp->n_weights > 0) != (imp->features_dir != NULL))
        return cli_usage_error(&a, "--import-weights and --features go together");
    opt->data_path = data;
    opt->output_dir = out;
    opt->article_copies = po.article_copies;
    opt->mismatched_articles = po.mismatched_articles;
    opt->seed = po.seed;
    const char *why = cg_extractor_config_check(&opt->extractor);
    if (why)
        return cli_usage_error(&a, "feature settings: %s", why);
    if (opt->folds == 0 && (opt->n_c != 1 || opt->class_weights < 0))
        return cli_usage_error(&a, "--folds 0 needs a single C (--c) and --class-weights none or balanced");
    imp->data_path = data;
    imp->output_dir = out;
    imp->card_notes = opt->card_notes;
    return -1;
}

static void print_summary(const cg_train_options *opt, int imported, const cg_train_report *r)
{
    printf("model written to %s\n", opt->output_dir);
    printf("rows             %zu\n", r->n_rows);
    printf("vectors          %zu\n", r->n_vectors);
    if (!imported) {
        printf("C                %g\n", r->best_c);
        if (r->n_search_rows < r->n_rows)
            printf("C search on      %zu rows (a sample)\n", r->n_search_rows);
        printf("class weights    %s\n", r->weighted ? "balanced" : "none");
    }
    if (opt->folds > 0 || imported) {
        cg_class_scores scores[CG_NUM_CLASSES];
        double macro = cg_confusion_scores(&r->cv, scores);
        if (imported)
            printf("\non the calibration data (not held out):\n");
        else
            printf("\n%d-fold cross-validation of the chosen setting:\n", opt->folds);
        cli_print_confusion(stdout, &r->cv);
        putchar('\n');
        cli_print_class_scores(stdout, scores, NULL);
        printf("\naccuracy         %.4f\nmacro-F1         %.4f\n\n", cg_confusion_accuracy(&r->cv), macro);
    }
    if (r->n_loso > 0) {
        printf("leave-one-source-out (trained on the other sources; macro-F1 as the peers' evaluator):\n");
        printf("  %-24s %8s %9s %9s\n", "source", "rows", "macro-F1", "accuracy");
        for (int k = 0; k < r->n_loso; k++)
            printf("  %-24s %8zu %9.4f %9.4f\n", r->loso[k].source, r->loso[k].rows,
                   cg_confusion_peer_macro_f1(&r->loso[k].confusion, NULL),
                   cg_confusion_accuracy(&r->loso[k].confusion));
        putchar('\n');
    }
    printf("weights          %zu non-zero over the three class pairs\n", r->n_weights);
    printf("wall time        %.1f s\n", r->seconds);
    printf("peak RSS         %.1f MB\n", (double)r->peak_rss_kb / 1024.0);
}

int cli_train(int argc, char **argv)
{
    if (cli_train_has_base(argc, argv))
        return cli_train_base(argc, argv);
    cg_train_options opt;
    cg_import_options imp;
    int quiet, no_report;
    char *card_notes = NULL;
    int status = parse_options(argc, argv, &opt, &imp, &quiet, &no_report, &card_notes);
    if (status >= 0) {
        free(card_notes);
        return status;
    }
    opt.row_probabilities = !no_report;
    progress p = {.start = cli_now()};
    if (!quiet) {
        opt.progress = imp.progress = print_progress;
        opt.progress_ctx = imp.progress_ctx = &p;
    }
    cg_train_report report;
    char err[1024] = "";
    cg_status st = imp.n_weights ? cg_import_run(&imp, &report, err, sizeof err)
                                 : cg_train_run(&opt, &report, err, sizeof err);
    free(card_notes);
    if (st != CG_OK) {
        cg_train_report_free(&report);
        fprintf(stderr, "commentguard: train: %s\n", *err ? err : cg_strerror(st));
        return CLI_FAILED;
    }
    print_summary(&opt, imp.n_weights > 0, &report);
    status = CLI_OK;
    if (report.row_prob && !no_report) {
        if (!quiet)
            fprintf(stderr, "[%6.1fs] writing the cross-validation report\n", cli_now() - p.start);
        if (cli_write_training_report(opt.output_dir, opt.data_path, &report) != 0)
            status = CLI_FAILED;
    }
    cg_train_report_free(&report);
    return status;
}
