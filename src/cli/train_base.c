/* train_base.c - `commentguard train --base BUNDLE --data SITE --out BUNDLE`: adapt a model to one
 * site's own labelled comments (training/adapt.h), with progress on stderr and the figures on stdout. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "adapt.h"
#include "adapt_report.h"
#include "cli.h"
#include "feature_options.h"
#include "train_base.h"

static const char usage[] =
    "Usage: commentguard train --base BUNDLE --data SITE.jsonl --out BUNDLE [options]\n"
    "Adapt a model bundle to one site's own labelled comments (any format `train` reads; JSONL rows\n"
    "may carry \"author\", \"author_url\" and \"author_email\"). The new bundle keeps the base's files and\n"
    "adds a site model, blended with the base by a weight chosen by cross-validation on the site's rows;\n"
    "classes the site has no rows of keep the base's judgement. Prints base against adapted.\n"
    "\n"
    "  --base BUNDLE             the model to adapt (an adapted bundle: its base part)\n"
    "  --data FILE               the site's labelled comments\n"
    "  --out DIR                 the adapted bundle (replaced only if adapting succeeds)\n"
    "  --blend W                 the site model's weight, 0..1, instead of choosing it (0: the base's\n"
    "                            probabilities exactly; 1: the site model alone on the site's classes)\n"
    "  --blend-space S           linear (default), log-odds or evidence\n"
    "  --unseen-classes R        what a class the site has no rows of keeps of the base: capped (default:\n"
    "                            its probability, lowered with on-topic's where the site model lowers\n"
    "                            that, and its labels) or probability (exactly)\n"
    "  --hold-at-most P          the decision rule holds at most this share of on-topic rows in the\n"
    "                            cross-validation within the rows (default 0.09)\n"
    "  --c X                     C of the site model (default 1)\n"
    "  --site-solver S           svm (hinge loss, default) or logistic\n"
    "  --folds K                 folds of the cross-validations, 2..20 (default 5)\n"
    "  --repeats R               repetitions of the figures' cross-validation (default 5, 1 above 2000 rows; 0: none)\n"
    "  --text-ngrams MIN-MAX     character n-grams across the whole text (default 1-5; 0-0: none)\n"
    "  --text-weight X           weight of those against the words (default 4)\n"
    "  --author-weight X         value of each author feature (default 1; 0: none)\n"
    "  --seed S                  fixes folds and shuffles: same seed, same bundle\n"
    "  --hash-bits B, --word-ngrams N, --char-ngrams MIN-MAX, --char-weight X\n"
    "                            the site model's features (default 16, 2, 1-5, 1)\n"
    "  --vector-memory MB        the site vectors' memory budget (default 68; 0: none): a site whose\n"
    "                            vectors would need more gets narrower site features, step by step\n"
    "  --card-notes FILE         text to put in the model card\n"
    "  --quiet                   no progress on stderr\n";

typedef struct progress {
    double start;
} progress;

static void print_progress(void *ctx, const char *line)
{
    const progress *p = ctx;
    fprintf(stderr, "[%6.1fs] %s\n", cli_now() - p->start, line);
}

/* -1 if adapting should go ahead, else the exit status. */
static int parse_options(int argc, char **argv, cg_adapt_options *opt, int *quiet)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    cg_adapt_options_default(opt, NULL, NULL, NULL);
    cg_problem_options po = {0};
    *quiet = 0;
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        const char *v;
        long n;
        if (cli_is(&a, "--seed")) {
            if (cli_long_value(&a, 0, 4294967295L, &n))
                return CLI_USAGE;
            opt->fit.seed = (unsigned)n;
            continue;
        }
        if (cli_is(&a, "--signal-weight") || cli_is(&a, "--no-length-signal") || cli_is(&a, "--relevance-weight") ||
            cli_is(&a, "--lexicon") || cli_is(&a, "--group-placeholder") ||
            cli_is(&a, "--article-copies") || cli_is(&a, "--mismatched-articles"))
            return cli_usage_error(&a, "%.*s does not apply to the site model", (int)a.opt_len, a.opt);
        int feature = cli_feature_option(&a, &opt->site_extractor, &po);
        if (feature == CLI_USAGE)
            return CLI_USAGE;
        if (feature)
            continue;
        if (cli_is(&a, "--quiet")) {
            if (cli_flag(&a))
                return CLI_USAGE;
            *quiet = 1;
        } else if (cli_is(&a, "--base") || cli_is(&a, "--data") || cli_is(&a, "--out") || cli_is(&a, "--card-notes")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            const char **slot = cli_is(&a, "--base")   ? &opt->base_dir
                                : cli_is(&a, "--data") ? &opt->data_path
                                : cli_is(&a, "--out")  ? &opt->output_dir
                                                       : &opt->card_notes;
            *slot = v;
        } else if (cli_is(&a, "--blend")) {
            if (cli_double_value(&a, 0, 1, &opt->fit.blend))
                return CLI_USAGE;
        } else if (cli_is(&a, "--blend-space")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (cg_blend_space_parse(v, &opt->fit.space) != 0)
                return cli_usage_error(&a, "--blend-space must be linear, log-odds or evidence");
        } else if (cli_is(&a, "--unseen-classes")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (cg_unseen_rule_parse(v, &opt->fit.unseen) != 0)
                return cli_usage_error(&a, "--unseen-classes must be capped or probability");
        } else if (cli_is(&a, "--site-solver")) {
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (strcmp(v, "logistic") != 0 && strcmp(v, "svm") != 0)
                return cli_usage_error(&a, "--site-solver must be logistic or svm");
            opt->fit.solver = strcmp(v, "svm") == 0 ? CG_SOLVER_LIBLINEAR : CG_SOLVER_LOGISTIC;
        } else if (cli_is(&a, "--hold-at-most")) {
            if (cli_double_value(&a, 0, 1, &opt->fit.hold_target))
                return CLI_USAGE;
        } else if (cli_is(&a, "--vector-memory")) {
            if (cli_double_value(&a, 0, 1e6, &opt->vector_mb))
                return CLI_USAGE;
        } else if (cli_is(&a, "--c")) {
            if (cli_double_value(&a, 1e-6, 1e6, &opt->fit.c))
                return CLI_USAGE;
        } else if (cli_is(&a, "--author-weight") || cli_is(&a, "--text-weight")) {
            double *w = cli_is(&a, "--author-weight") ? &opt->features.author_weight : &opt->features.text_weight;
            if (cli_double_value(&a, 0, 10, w))
                return CLI_USAGE;
        } else if (cli_is(&a, "--text-ngrams")) {
            unsigned lo, hi;
            char end;
            if (!(v = cli_value(&a)))
                return CLI_USAGE;
            if (sscanf(v, "%u-%u%c", &lo, &hi, &end) != 2 || lo > hi || hi > 8 || (lo == 0) != (hi == 0))
                return cli_usage_error(&a, "--text-ngrams must be MIN-MAX within 1..8, or 0-0");
            opt->features.text_min = lo;
            opt->features.text_max = hi;
        } else if (cli_is(&a, "--folds") || cli_is(&a, "--repeats")) {
            int folds = cli_is(&a, "--folds");
            if (cli_long_value(&a, folds ? 2 : 0, folds ? 20 : CG_SITE_MAX_REPEATS, &n))
                return CLI_USAGE;
            *(folds ? &opt->folds : &opt->repeats) = (int)n;
            if (folds)
                opt->fit.folds = (int)n;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!opt->base_dir || !opt->data_path || !opt->output_dir)
        return cli_usage_error(&a, "--base, --data and --out are required");
    return -1;
}

int cli_train_base(int argc, char **argv)
{
    cg_adapt_options opt;
    int quiet;
    int status = parse_options(argc, argv, &opt, &quiet);
    if (status >= 0)
        return status;
    progress p = {.start = cli_now()};
    if (!quiet) {
        opt.progress = print_progress;
        opt.progress_ctx = &p;
    }
    cg_adapt_report report;
    char err[1024] = "";
    cg_status st = cg_adapt_run(&opt, &report, err, sizeof err);
    if (st == CG_OK)
        st = cg_adapt_write(&opt, &report, err, sizeof err);
    if (st != CG_OK) {
        cg_adapt_report_free(&report);
        fprintf(stderr, "commentguard: train: %s\n", *err ? err : cg_strerror(st));
        return CLI_FAILED;
    }
    if (report.fallback)
        fprintf(stderr,
                "commentguard: train: %s: too few rows to learn from (%zu on-topic, %zu off-topic, %zu abusive; a "
                "site model needs %d rows of each of two classes): %s keeps the base's judgement\n",
                opt.data_path, report.count[0], report.count[1], report.count[2], CG_SITE_MIN_CLASS_ROWS,
                opt.output_dir);
    cg_adapt_report_write(stdout, &opt, &report);
    cg_adapt_report_summary(stdout, &report);
    printf("wall time %.1f s, peak RSS %.1f MB\n", report.seconds, (double)report.peak_rss_kb / 1024.0);
    cg_adapt_report_free(&report);
    return CLI_OK;
}

int cli_train_has_base(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--base") == 0 || strncmp(argv[i], "--base=", 7) == 0)
            return 1;
    return 0;
}
