/* thresholds.c - `commentguard thresholds`: from a labelled data set, the thresholds of the unsure
 * band that meet a site's constraint, what they cost on it, and the whole trade-off (tradeoff.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify_rows.h"
#include "cli.h"
#include "tradeoff.h"

static const char usage[] =
    "Usage: commentguard thresholds --data FILE [--hold-at-most P] [--miss-at-most Q] [--model DIR]\n"
    "                               [--no-article] [--threads N] [--out FILE]\n"
    "Choose the thresholds of the unsure band (score --thresholds) from labelled comments (TSV or\n"
    "JSONL, as for eval). A comment the model labels c with p(c) below c's threshold is `unsure`\n"
    "and goes to a moderator. Per class c:\n"
    "  hold  the share of the comments of class c held although labelled right\n"
    "  miss  the share of the comments of the other classes still labelled c (for on-topic: the\n"
    "        spam and abuse published)\n"
    "\n"
    "  --hold-at-most P  hold at most this share of each class (0 to 1): the highest threshold that\n"
    "                    does\n"
    "  --miss-at-most Q  miss at most this share (0 to 1): the lowest threshold that does (and it must\n"
    "                    hold within P if both are given)\n"
    "  --model DIR       the model bundle (default: $COMMENTGUARD_MODEL, then the installed model)\n"
    "  --no-article      judge comments without their articles\n"
    "  --threads N       worker threads (default: the number of cores)\n"
    "  --out FILE        also write the thresholds line to FILE (for score --thresholds @FILE)\n"
    "\n"
    "Prints the line `thresholds: SPEC` (SPEC is what --thresholds takes), what the thresholds cost\n"
    "on the file, and the trade-off at every 0.05. Exit status: 0 done, 1 the data cannot be read or\n"
    "no threshold meets the constraint, 2 usage error.\n";

#define TABLE_EVERY 5 /* steps between the rows of the printed trade-off */

typedef struct thresholds_options {
    const char *data_path, *model_dir, *out_path;
    cli_constraint limit;
    int no_article, threads;
} thresholds_options;

static int parse_options(int argc, char **argv, thresholds_options *o)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    *o = (thresholds_options){.limit = {-1, -1}};
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        if (cli_is(&a, "--data")) {
            if (!(o->data_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--model")) {
            if (!(o->model_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--out")) {
            if (!(o->out_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--hold-at-most")) {
            if (cli_double_value(&a, 0, 1, &o->limit.hold_at_most) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--miss-at-most")) {
            if (cli_double_value(&a, 0, 1, &o->limit.miss_at_most) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--no-article")) {
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            o->no_article = 1;
        } else if (cli_is(&a, "--threads")) {
            if (cli_long_value(&a, 1, CLI_MAX_THREADS, &n) != 0)
                return CLI_USAGE;
            o->threads = (int)n;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!o->data_path)
        return cli_usage_error(&a, "--data FILE is required");
    if (o->limit.hold_at_most < 0 && o->limit.miss_at_most < 0)
        return cli_usage_error(&a, "give --hold-at-most P, --miss-at-most Q or both");
    if (o->threads == 0)
        o->threads = cli_default_threads();
    return -1;
}

/* The threshold line's SPEC, e.g. "on-topic=0.62,off-topic=0.00,abusive=0.71". */
static void format_spec(char *out, size_t size, const int step[CG_NUM_CLASSES])
{
    snprintf(out, size, "%s=%.2f,%s=%.2f,%s=%.2f", cg_label_name(CG_ON_TOPIC), cli_tradeoff_threshold(step[0]),
             cg_label_name(CG_OFF_TOPIC), cli_tradeoff_threshold(step[1]), cg_label_name(CG_ABUSIVE),
             cli_tradeoff_threshold(step[2]));
}

/* The step chosen for each class: 0 for a class without comments in the file (nothing to weigh).
 * 0, or -1 after reporting why the constraint cannot be met. */
static int choose(const cli_tradeoff *t, cli_constraint limit, const char *path, int step[CG_NUM_CLASSES])
{
    int classes = 0;
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        classes += t->support[c] > 0;
    if (classes < 2) {
        fprintf(stderr, "commentguard: thresholds: %s: the comments are all of one class; the trade-off needs "
                        "comments of at least two\n", path);
        return -1;
    }
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        step[c] = t->support[c] ? cli_tradeoff_choose(t, c, limit) : 0;
        if (step[c] >= 0)
            continue;
        const char *name = cg_label_name((cg_label)c);
        cli_constraint miss_only = {.hold_at_most = -1, .miss_at_most = limit.miss_at_most};
        int lowest = cli_tradeoff_choose(t, c, miss_only);
        if (lowest < 0)
            fprintf(stderr, "commentguard: thresholds: %s: no threshold for %s misses at most %g%% of the other "
                            "comments: even 1.00 misses %.2f%%\n", path, name, 100 * limit.miss_at_most,
                    100 * cli_tradeoff_miss(t, c, CLI_TRADEOFF_STEPS));
        else
            fprintf(stderr, "commentguard: thresholds: %s: no threshold for %s meets both limits: the lowest that "
                            "misses at most %g%% (%.2f) holds %.2f%% of the %s comments, over %g%%\n", path, name,
                    100 * limit.miss_at_most, cli_tradeoff_threshold(lowest), 100 * cli_tradeoff_hold(t, c, lowest),
                    name, 100 * limit.hold_at_most);
        return -1;
    }
    return 0;
}

static void print_report(const thresholds_options *o, const cg_model *model, size_t n, const cli_tradeoff *t,
                         const int step[CG_NUM_CLASSES], const char *spec)
{
    printf("data: %s (%zu rows: %zu on-topic, %zu off-topic, %zu abusive)\nmodel: %s\nconstraint:", o->data_path, n,
           t->support[0], t->support[1], t->support[2], cg_model_path(model));
    if (o->limit.hold_at_most >= 0)
        printf(" hold at most %g%% of each class", 100 * o->limit.hold_at_most);
    if (o->limit.miss_at_most >= 0)
        printf("%s miss at most %g%% of the others", o->limit.hold_at_most >= 0 ? "," : "",
               100 * o->limit.miss_at_most);
    printf("\n\nthresholds: %s\n\n", spec);
    printf("  %-10s %9s %13s %8s %13s %8s %13s\n", "class", "threshold", "held", "hold", "missed", "miss",
           "errors caught");
    size_t unsure = 0;
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        int s = step[c];
        unsure += t->held[c][s] + t->caught[c][s];
        printf("  %-10s %9.2f", cg_label_name((cg_label)c), cli_tradeoff_threshold(s));
        if (!t->support[c]) {
            printf("   (no %s comments in the file)\n", cg_label_name((cg_label)c));
            continue;
        }
        char held[48], missed[48], caught[48];
        snprintf(held, sizeof held, "%zu/%zu", t->held[c][s], t->support[c]);
        snprintf(missed, sizeof missed, "%zu/%zu", t->missed[c][s], t->others[c]);
        snprintf(caught, sizeof caught, "%zu/%zu", t->caught[c][s], t->caught[c][s] + t->missed[c][s]);
        printf(" %13s %7.2f%% %13s %7.2f%% %13s\n", held, 100 * cli_tradeoff_hold(t, c, s), missed,
               100 * cli_tradeoff_miss(t, c, s), caught);
    }
    printf("  unsure: %zu of %zu comments (%.2f%%) go to a moderator\n\n", unsure, n,
           n ? 100.0 * (double)unsure / (double)n : 0.0);
    printf("trade-off (hold%% / miss%% of each class at each threshold)\n  %9s", "threshold");
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        printf(" %17s", cg_label_name((cg_label)c));
    putchar('\n');
    for (int s = 0; s <= CLI_TRADEOFF_STEPS; s += TABLE_EVERY) {
        printf("  %9.2f", cli_tradeoff_threshold(s));
        for (int c = 0; c < CG_NUM_CLASSES; c++)
            printf("   %6.2f / %6.2f", 100 * cli_tradeoff_hold(t, c, s), 100 * cli_tradeoff_miss(t, c, s));
        putchar('\n');
    }
}

/* Write the thresholds line to path through a temporary file renamed over it. 0, or -1 after
 * reporting. */
static int write_spec(const char *path, const char *spec)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        fprintf(stderr, "commentguard: thresholds: --out: path too long\n");
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    int ok = f && fprintf(f, "%s\n", spec) > 0;
    ok = f && fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
        return 0;
    fprintf(stderr, "commentguard: thresholds: cannot write %s: %s\n", path, strerror(errno));
    unlink(tmp);
    return -1;
}

int cli_thresholds(int argc, char **argv)
{
    thresholds_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    cg_model *model = NULL;
    if (cli_open_model(argv[0], o.model_dir, &model) != 0)
        return CLI_USAGE;
    cg_dataset ds;
    char err[600];
    if (cg_dataset_load(o.data_path, &ds, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: thresholds: %s\n", err);
        cg_model_free(model);
        return CLI_FAILED;
    }
    cg_result *results = malloc(ds.n * sizeof *results);
    cg_label *gold = malloc(ds.n * sizeof *gold);
    cli_tradeoff *t = malloc(sizeof *t);
    status = CLI_FAILED;
    int step[CG_NUM_CLASSES];
    if (!results || !gold || !t) {
        fprintf(stderr, "commentguard: thresholds: out of memory\n");
    } else if (cli_classify_rows(argv[0], model, &ds, !o.no_article, o.threads, results) == 0) {
        for (size_t i = 0; i < ds.n; i++)
            gold[i] = ds.rows[i].label;
        cli_tradeoff_count(t, gold, results, ds.n);
        if (choose(t, o.limit, o.data_path, step) == 0) {
            char spec[128];
            format_spec(spec, sizeof spec, step);
            print_report(&o, model, ds.n, t, step, spec);
            status = o.out_path && write_spec(o.out_path, spec) != 0 ? CLI_FAILED : CLI_OK;
        }
    }
    free(t);
    free(gold);
    free(results);
    cg_dataset_free(&ds);
    cg_model_free(model);
    return status;
}
