/* eval.c - `commentguard eval`: classify a labelled data set and report how well the model did,
 * overall, per class and per source; also the confusion and per-class tables `train` prints. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_rows.h"
#include "cli.h"
#include "eval_report.h"
#include "dataset.h"
#include "metrics.h"

static const char usage[] =
    "Usage: commentguard eval --data FILE [--model DIR] [--no-article] [--threads N] [--json]\n"
    "                         [--report DIR]\n"
    "Classify labelled comments (TSV or JSONL, as for train) and report accuracy, per-class\n"
    "precision, recall, F1 and ROC-AUC, macro-F1, and the same per source.\n"
    "\n"
    "  --data FILE     the labelled comments\n"
    "  --model DIR     the model bundle (default: $COMMENTGUARD_MODEL, then the installed model)\n"
    "  --no-article    judge comments without their articles\n"
    "  --threads N     worker threads (default: the number of cores)\n"
    "  --json          print the report as one JSON object\n"
    "  --report DIR    also write the report as a web page with plots to DIR/index.html\n"
    "                  (needs python3 with matplotlib; contains the misjudged comments)\n";

typedef struct eval_options {
    const char *data_path;
    const char *model_dir;
    int no_article;
    int threads;
    int json;
    const char *report_dir;
} eval_options;

/* The figures of one group of rows. */
typedef struct group_report {
    const char *name; /* the source, for a per-source group */
    size_t n;
    cg_confusion confusion;
    cg_class_scores scores[CG_NUM_CLASSES];
    double accuracy, macro_f1;
    int bad; /* for a group whose gold rows cover at most two classes, its "bad" class; else -1 */
} group_report;

/* Per-class scores, accuracy, macro-F1, and the "bad" class of a group whose gold rows cover at
 * most two classes (as ../shared/peers/metrics.py scores such sets): the class beside on-topic, or
 * without on-topic the rarer of off-topic and abusive. */
static void summarise(group_report *g)
{
    g->macro_f1 = cg_confusion_scores(&g->confusion, g->scores);
    g->accuracy = cg_confusion_accuracy(&g->confusion);
    size_t off = g->scores[CG_OFF_TOPIC].support, abusive = g->scores[CG_ABUSIVE].support;
    if (g->scores[CG_ON_TOPIC].support > 0 && off > 0 && abusive > 0)
        g->bad = -1;
    else if (off > 0 && (abusive == 0 || off < abusive))
        g->bad = CG_OFF_TOPIC;
    else
        g->bad = abusive > 0 ? CG_ABUSIVE : -1;
}

typedef struct by_source {
    const char *source;
    size_t row;
} by_source;

static int compare_source(const void *a, const void *b)
{
    const by_source *x = a, *y = b;
    int c = strcmp(x->source, y->source);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The rows grouped by source, in order of source name: *out gets the groups. -1 if out of memory. */
static int group_by_source(const cg_dataset *ds, const cg_result *results, group_report **out, size_t *n_out)
{
    by_source *order = malloc((ds->n ? ds->n : 1) * sizeof *order);
    group_report *groups = calloc(ds->n ? ds->n : 1, sizeof *groups);
    if (!order || !groups) {
        free(order);
        free(groups);
        return -1;
    }
    for (size_t i = 0; i < ds->n; i++)
        order[i] = (by_source){ds->rows[i].source ? ds->rows[i].source : "", i};
    qsort(order, ds->n, sizeof *order, compare_source);
    size_t n = 0;
    for (size_t i = 0; i < ds->n; i++) {
        if (n == 0 || strcmp(groups[n - 1].name, order[i].source) != 0)
            groups[n++].name = order[i].source;
        group_report *g = &groups[n - 1];
        g->n++;
        cg_confusion_add(&g->confusion, ds->rows[order[i].row].label, results[order[i].row].label);
    }
    for (size_t i = 0; i < n; i++)
        summarise(&groups[i]);
    free(order);
    *out = groups;
    *n_out = n;
    return 0;
}

/* ROC-AUC of each class's probability, one class against the rest. */
static void class_auc(const cg_dataset *ds, const cg_result *results, double auc[CG_NUM_CLASSES])
{
    int *positive = malloc((ds->n ? ds->n : 1) * sizeof *positive);
    double *score = malloc((ds->n ? ds->n : 1) * sizeof *score);
    for (int k = 0; k < CG_NUM_CLASSES; k++) {
        auc[k] = NAN;
        if (!positive || !score)
            continue;
        for (size_t i = 0; i < ds->n; i++) {
            positive[i] = ds->rows[i].label == (cg_label)k;
            score[i] = results[i].prob[k];
        }
        auc[k] = cg_roc_auc(positive, score, ds->n);
    }
    free(positive);
    free(score);
}

void cli_print_confusion(FILE *out, const cg_confusion *c)
{
    fprintf(out, "confusion matrix (rows: gold, columns: predicted)\n  %-10s", "");
    for (int p = 0; p < CG_NUM_CLASSES; p++)
        fprintf(out, " %10s", cg_label_name((cg_label)p));
    fputc('\n', out);
    for (int g = 0; g < CG_NUM_CLASSES; g++) {
        fprintf(out, "  %-10s", cg_label_name((cg_label)g));
        for (int p = 0; p < CG_NUM_CLASSES; p++)
            fprintf(out, " %10zu", c->n[g][p]);
        fputc('\n', out);
    }
}

void cli_print_class_scores(FILE *out, const cg_class_scores s[CG_NUM_CLASSES], const double *auc)
{
    fprintf(out, "  %-10s %9s %9s %9s %9s%s\n", "class", "precision", "recall", "F1", "support",
            auc ? "       AUC" : "");
    for (int k = 0; k < CG_NUM_CLASSES; k++) {
        fprintf(out, "  %-10s %9.4f %9.4f %9.4f %9zu", cg_label_name((cg_label)k), s[k].precision, s[k].recall,
                s[k].f1, s[k].support);
        if (auc && isnan(auc[k]))
            fprintf(out, " %9s", "n/a");
        else if (auc)
            fprintf(out, " %9.4f", auc[k]);
        fputc('\n', out);
    }
}

static void print_text(const eval_options *o, const cg_model *model, const group_report *all, const double *auc,
                       const group_report *sources, size_t n_sources, double seconds)
{
    printf("data: %s (%zu rows, %s)\nmodel: %s\n", o->data_path, all->n,
           o->no_article ? "articles ignored" : "with articles", cg_model_path(model));
    printf("classified in %.2f s (%.0f comments per second, threads: %d)\n\n", seconds,
           seconds > 0 ? (double)all->n / seconds : 0.0, o->threads);
    cli_print_confusion(stdout, &all->confusion);
    putchar('\n');
    cli_print_class_scores(stdout, all->scores, auc);
    printf("\naccuracy  %.4f\nmacro-F1  %.4f\n\n", all->accuracy, all->macro_f1);
    printf("  %-24s %8s %9s %9s  %s\n", "source", "rows", "accuracy", "macro-F1", "F1 of the bad class");
    for (size_t i = 0; i < n_sources; i++) {
        const group_report *g = &sources[i];
        printf("  %-24s %8zu %9.4f %9.4f", *g->name ? g->name : "(none)", g->n, g->accuracy, g->macro_f1);
        if (g->bad >= 0)
            printf("  %.4f (%s)", g->scores[g->bad].f1, cg_label_name((cg_label)g->bad));
        putchar('\n');
    }
}

/* A number for JSON: NaN (no ROC-AUC) becomes null. */
static json_t *json_number_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *confusion_json(const cg_confusion *c)
{
    json_t *o = json_object();
    for (int g = 0; g < CG_NUM_CLASSES; g++) {
        json_t *row = json_object();
        for (int p = 0; p < CG_NUM_CLASSES; p++)
            json_object_set_new(row, cg_label_name((cg_label)p), json_integer((json_int_t)c->n[g][p]));
        json_object_set_new(o, cg_label_name((cg_label)g), row);
    }
    return o;
}

/* The report as eval --json prints it; NULL if out of memory. */
static json_t *report_json(const group_report *all, const double *auc, const group_report *sources, size_t n_sources)
{
    json_t *per_class = json_object(), *per_source = json_object();
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        json_object_set_new(per_class, cg_label_name((cg_label)k),
                            json_pack("{s:f, s:f, s:f, s:I, s:o}", "p", all->scores[k].precision, "r",
                                      all->scores[k].recall, "f1", all->scores[k].f1, "support",
                                      (json_int_t)all->scores[k].support, "auc", json_number_or_null(auc[k])));
    for (size_t i = 0; i < n_sources; i++) {
        const group_report *g = &sources[i];
        json_t *s = json_pack("{s:I, s:f, s:f}", "n", (json_int_t)g->n, "accuracy", g->accuracy, "macro_f1",
                              g->macro_f1);
        if (s && g->bad >= 0) {
            json_object_set_new(s, "bad", json_string(cg_label_name((cg_label)g->bad)));
            json_object_set_new(s, "f1_bad", json_real(g->scores[g->bad].f1));
        }
        json_object_set_new(per_source, g->name, s);
    }
    json_t *root = json_pack("{s:I, s:f, s:f, s:o, s:o, s:o}", "n", (json_int_t)all->n, "accuracy", all->accuracy,
                             "macro_f1", all->macro_f1, "per_class", per_class, "confusion",
                             confusion_json(&all->confusion), "per_source", per_source);
    return root;
}

/* The figures of results against ds's labels: over all rows into *all and auc, per source into
 * *sources (free it), and as eval --json prints them (the return value; NULL if out of memory). */
static json_t *evaluate(const cg_dataset *ds, const cg_result *results, group_report *all, double auc[CG_NUM_CLASSES],
                        group_report **sources, size_t *n_sources)
{
    *all = (group_report){.n = ds->n};
    *sources = NULL;
    *n_sources = 0;
    for (size_t i = 0; i < ds->n; i++)
        cg_confusion_add(&all->confusion, ds->rows[i].label, results[i].label);
    summarise(all);
    class_auc(ds, results, auc);
    if (group_by_source(ds, results, sources, n_sources) < 0)
        return NULL;
    return report_json(all, auc, *sources, *n_sources);
}

int cli_eval_write_report(const char *cmd, const char *dir, const cg_model *model, const cg_dataset *ds,
                          const cg_result *results, int use_article)
{
    group_report all, *sources;
    size_t n_sources;
    double auc[CG_NUM_CLASSES];
    json_t *summary = evaluate(ds, results, &all, auc, &sources, &n_sources);
    int status = -1;
    if (!summary)
        fprintf(stderr, "commentguard: %s: out of memory\n", cmd);
    else
        status = cli_eval_report(dir, model, ds, results, use_article, summary);
    json_decref(summary);
    free(sources);
    return status;
}

/* Compute and print the report, and write the web page with --report. 0, or -1 after reporting. */
static int report(const eval_options *o, const cg_model *model, const cg_dataset *ds, const cg_result *results,
                  double seconds)
{
    group_report all, *sources;
    size_t n_sources;
    double auc[CG_NUM_CLASSES];
    json_t *summary = evaluate(ds, results, &all, auc, &sources, &n_sources);
    char *text = NULL;
    int status = -1;
    if (!summary || (o->json && !(text = json_dumps(summary, JSON_COMPACT)))) {
        fprintf(stderr, "commentguard: eval: out of memory\n");
    } else {
        if (text)
            puts(text);
        else
            print_text(o, model, &all, auc, sources, n_sources, seconds);
        status = o->report_dir ? cli_eval_report(o->report_dir, model, ds, results, !o->no_article, summary) : 0;
    }
    free(text);
    json_decref(summary);
    free(sources);
    return status;
}

static int parse_options(int argc, char **argv, eval_options *o)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    *o = (eval_options){.threads = 0};
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        if (cli_is(&a, "--data")) {
            if (!(o->data_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--model")) {
            if (!(o->model_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--no-article")) {
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            o->no_article = 1;
        } else if (cli_is(&a, "--json")) {
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            o->json = 1;
        } else if (cli_is(&a, "--report")) {
            if (!(o->report_dir = cli_value(&a)))
                return CLI_USAGE;
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
    if (o->threads == 0)
        o->threads = cli_default_threads();
    return -1;
}

int cli_eval(int argc, char **argv)
{
    eval_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    cg_model *model = NULL;
    if (cli_open_model(argv[0], o.model_dir, &model) != 0)
        return CLI_USAGE;
    cg_dataset ds;
    char err[600];
    if (cg_dataset_load(o.data_path, &ds, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: eval: %s\n", err);
        cg_model_free(model);
        return CLI_FAILED;
    }
    cg_result *results = malloc((ds.n ? ds.n : 1) * sizeof *results);
    double start = cli_now();
    status = CLI_FAILED;
    if (!results)
        fprintf(stderr, "commentguard: eval: out of memory\n");
    else if (cli_classify_rows(argv[0], model, &ds, !o.no_article, o.threads, results) == 0) {
        if (report(&o, model, &ds, results, cli_now() - start) == 0)
            status = CLI_OK;
    }
    free(results);
    cg_dataset_free(&ds);
    cg_model_free(model);
    return status;
}
