/* cli.h - the subcommands of the commentguard program, and the helpers they share (main.c). */
#ifndef CG_CLI_H
#define CG_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "commentguard.h"
#include "metrics.h"

/* Exit statuses. */
enum {
    CLI_OK = 0,     /* everything worked */
    CLI_FAILED = 1, /* some input could not be processed, or the work failed */
    CLI_USAGE = 2,  /* bad command line, or a model or file needed to start could not be read */
};

/* Each subcommand takes its own argv: argv[0] is the subcommand's name. Returns the exit status. */
int cli_score(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_vectors(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_import_wordpress(int argc, char **argv);
int cli_thresholds(int argc, char **argv);

/* Walking a subcommand's options, each "--name value" or "--name=value". */
typedef struct cli_args {
    const char *cmd;   /* the subcommand, for messages */
    const char *usage; /* its usage text, printed by --help */
    int argc;
    char **argv;
    int next;                 /* index of the next argument to read */
    const char *opt;          /* the current option, e.g. "--model"; opt_len bytes before any '=' */
    size_t opt_len;
    const char *inline_value; /* the text after '=', or NULL */
    int status;               /* the exit status when cli_args_next returns -1 */
} cli_args;

void cli_args_init(cli_args *a, int argc, char **argv, const char *usage);

/* 1 with the next option in a->opt; 0 after the last one; -1 when the command line is done with
 * (--help printed the usage, or a stray argument was reported): return a->status. */
int cli_args_next(cli_args *a);

/* Whether the current option is `name`. */
int cli_is(const cli_args *a, const char *name);

/* The current option's value, or NULL after reporting that it is missing. */
const char *cli_value(cli_args *a);

/* For flags: 0, or CLI_USAGE after reporting a value given with '='. */
int cli_flag(cli_args *a);

/* Report the current option as unknown; returns CLI_USAGE. */
int cli_unknown(const cli_args *a);

/* Print "commentguard: CMD: message" and a hint to use --help on stderr; returns CLI_USAGE. */
int cli_usage_error(const cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The current option's value as a number within [lo, hi]: 0, or CLI_USAGE after reporting. */
int cli_long_value(cli_args *a, long lo, long hi, long *out);
int cli_double_value(cli_args *a, double lo, double hi, double *out);

/* The current option's value as the thresholds of the unsure band (thresholds_option.c): the line
 * `commentguard thresholds` prints, or @FILE for a file holding it. 0, or CLI_USAGE after
 * reporting. */
int cli_thresholds_value(cli_args *a, double threshold[CG_NUM_CLASSES]);

/* Parse a whole string as a number; 0 on success, -1 if it is not one. */
int cli_parse_long(const char *s, long *out);
int cli_parse_double(const char *s, double *out);

/* The default worker count: the online cores, at most CLI_MAX_THREADS. */
#define CLI_MAX_THREADS 256
int cli_default_threads(void);

/* Open the model in dir (NULL: the default model): 0, or CLI_USAGE after reporting why not. */
int cli_open_model(const char *cmd, const char *dir, cg_model **out);

/* Seconds on a monotonic clock. */
double cli_now(void);

/* eval --report's web page (eval_report.h) for results (the label and probabilities of each row of ds,
 * however obtained: train gives its cross-validated ones). 0, or -1 after reporting as "commentguard:
 * CMD: ...". */
struct cg_dataset;
int cli_eval_write_report(const char *cmd, const char *dir, const cg_model *model, const struct cg_dataset *ds,
                          const cg_result *results, int use_article);

/* Report tables (eval.c), also printed by train: the confusion matrix, and per-class precision,
 * recall, F1, support and, if auc is not NULL, ROC-AUC. */
void cli_print_confusion(FILE *out, const cg_confusion *c);
void cli_print_class_scores(FILE *out, const cg_class_scores s[CG_NUM_CLASSES], const double *auc);

#endif
