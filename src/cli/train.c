/* train.c - `commentguard train`: turn the command line into cg_train_options, run the training
 * (training/train.c) with progress on stderr, and print a summary of the model built. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "train.h"

static const char usage[] =
    "Usage: commentguard train --data FILE --out DIR [options]\n"
    "Build a model bundle from labelled comments (TSV or JSONL), choosing C and the class\n"
    "weighting by cross-validation.\n"
    "\n"
    "  --data FILE               the labelled comments\n"
    "  --out DIR                 the bundle to write (replaced only if training succeeds)\n"
    "  --c LIST                  the C values to try (default 1,2,4)\n"
    "  --folds K                 folds of cross-validation, 2..20, default 3 (0: none, which needs a\n"
    "                            single C and --class-weights none or balanced)\n"
    "  --class-weights MODE      none, balanced (the default), or auto (chosen by cross-validation)\n"
    "  --threads N               worker threads (default: the number of cores)\n"
    "  --seed S                  fixes folds and shuffles: same seed, same model\n"
    "  --hash-bits B             2^B hashed feature slots (10..24)\n"
    "  --word-ngrams N           word n-grams up to N (1..3)\n"
    "  --char-ngrams MIN-MAX     character n-grams within words, e.g. 2-5 (0-0: none)\n"
    "  --article-copies F        share of rows with an article also trained without it (0..1)\n"
    "  --mismatched-articles F   share of on-topic rows with an article also trained under another\n"
    "                            thread's article, as off-topic (0..1, default 0: see README)\n"
    "  --char-weight X           weight of character n-grams against word n-grams\n"
    "  --signal-weight X         scale of the dense signals (0: none)\n"
    "  --relevance-weight X      scale of the comment-versus-article features (0: none)\n"
    "  --card-notes FILE         text to put in the model card (e.g. the data's provenance)\n"
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

/* "0.1,1,10" into opt->c_values: 0, or -1 if it is not a list of 1..CG_TRAIN_MAX_C positive numbers. */
static int parse_c_list(const char *list, cg_train_options *opt)
{
    char item[64];
    int n = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        if (n == CG_TRAIN_MAX_C || len == 0 || len >= sizeof item)
            return -1;
        memcpy(item, p, len);
        item[len] = '\0';
        if (cli_parse_double(item, &opt->c_values[n]) < 0 || !(opt->c_values[n] > 0))
            return -1;
        n++;
        p += len;
        if (!*p)
            break;
    }
    opt->n_c = n;
    return 0;
}

/* "2-5" into the extractor's character n-gram range: 0, or -1. */
static int parse_range(const char *s, cg_extractor_config *ex)
{
    const char *dash = strchr(s, '-');
    char lo[16];
    long a, b;
    if (!dash || dash == s || (size_t)(dash - s) >= sizeof lo)
        return -1;
    memcpy(lo, s, (size_t)(dash - s));
    lo[dash - s] = '\0';
    if (cli_parse_long(lo, &a) < 0 || cli_parse_long(dash + 1, &b) < 0 || a < 0 || b < 0 || a > 64 || b > 64)
        return -1;
    ex->char_min = (unsigned)a;
    ex->char_max = (unsigned)b;
    return 0;
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

/* Fill opt from the command line: -1 if training should go ahead, else the exit status. */
static int parse_options(int argc, char **argv, cg_train_options *opt, int *quiet, char **card_notes)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    const char *data = NULL, *out = NULL, *v;
    cg_train_options_default(opt, NULL, NULL);
    *quiet = 0;
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        if (cli_is(&a, "--quiet")) {
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            *quiet = 1;
        } else if (cli_is(&a, "--data")) {
            if (!(data = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--out")) {
            if (!(out = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--c")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (parse_c_list(v, opt) < 0)
                return cli_usage_error(&a, "--c: expected 1 to %d positive numbers separated by commas, not '%s'",
                                       CG_TRAIN_MAX_C, v);
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
        } else if (cli_is(&a, "--seed")) {
            if (cli_long_value(&a, 0, (long)UINT_MAX, &n) != 0)
                return CLI_USAGE;
            opt->seed = (unsigned)n;
        } else if (cli_is(&a, "--hash-bits")) {
            if (cli_long_value(&a, 10, 24, &n) != 0)
                return CLI_USAGE;
            opt->extractor.hash_bits = (unsigned)n;
        } else if (cli_is(&a, "--word-ngrams")) {
            if (cli_long_value(&a, 1, 3, &n) != 0)
                return CLI_USAGE;
            opt->extractor.word_ngrams = (unsigned)n;
        } else if (cli_is(&a, "--char-ngrams")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (parse_range(v, &opt->extractor) < 0)
                return cli_usage_error(&a, "--char-ngrams: expected MIN-MAX, e.g. 2-5, not '%s'", v);
        } else if (cli_is(&a, "--article-copies")) {
            if (cli_double_value(&a, 0, 1, &opt->article_copies) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--mismatched-articles")) {
            if (cli_double_value(&a, 0, 1, &opt->mismatched_articles) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--char-weight")) {
            if (cli_double_value(&a, 0.01, 10, &opt->extractor.char_weight) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--signal-weight")) {
            if (cli_double_value(&a, 0, 10, &opt->extractor.signal_weight) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--relevance-weight")) {
            if (cli_double_value(&a, 0, 10, &opt->extractor.relevance_weight) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--card-notes")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            free(*card_notes);
            if (!(*card_notes = read_small_file(v)))
                return cli_usage_error(&a, "--card-notes: cannot read '%s' (at most 64 KiB)", v);
            opt->card_notes = *card_notes;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!data || !out)
        return cli_usage_error(&a, "--data FILE and --out DIR are required");
    opt->data_path = data;
    opt->output_dir = out;
    const char *why = cg_extractor_config_check(&opt->extractor);
    if (why)
        return cli_usage_error(&a, "feature settings: %s", why);
    if (opt->folds == 0 && (opt->n_c != 1 || opt->class_weights < 0))
        return cli_usage_error(&a, "--folds 0 needs a single C (--c) and --class-weights none or balanced");
    return -1;
}

static void print_summary(const cg_train_options *opt, const cg_train_report *r)
{
    printf("model written to %s\n", opt->output_dir);
    printf("rows             %zu\n", r->n_rows);
    printf("vectors          %zu\n", r->n_vectors);
    printf("C                %g\n", r->best_c);
    printf("class weights    %s\n", r->weighted ? "balanced" : "none");
    if (opt->folds > 0) {
        cg_class_scores scores[CG_NUM_CLASSES];
        double macro = cg_confusion_scores(&r->cv, scores);
        printf("\n%d-fold cross-validation of the chosen setting:\n", opt->folds);
        cli_print_confusion(stdout, &r->cv);
        putchar('\n');
        cli_print_class_scores(stdout, scores, NULL);
        printf("\naccuracy         %.4f\nmacro-F1         %.4f\n\n", cg_confusion_accuracy(&r->cv), macro);
    }
    printf("support vectors  %zu\n", r->n_sv);
    printf("wall time        %.1f s\n", r->seconds);
    printf("peak RSS         %.1f MB\n", (double)r->peak_rss_kb / 1024.0);
}

int cli_train(int argc, char **argv)
{
    cg_train_options opt;
    int quiet;
    char *card_notes = NULL;
    int status = parse_options(argc, argv, &opt, &quiet, &card_notes);
    if (status >= 0) {
        free(card_notes);
        return status;
    }
    progress p = {.start = cli_now()};
    if (!quiet) {
        opt.progress = print_progress;
        opt.progress_ctx = &p;
    }
    cg_train_report report;
    char err[1024];
    cg_status st = cg_train_run(&opt, &report, err, sizeof err);
    free(card_notes);
    if (st != CG_OK) {
        fprintf(stderr, "commentguard: train: %s\n", *err ? err : cg_strerror(st));
        return CLI_FAILED;
    }
    print_summary(&opt, &report);
    return CLI_OK;
}
