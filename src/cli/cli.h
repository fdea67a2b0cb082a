/* cli.h - the subcommands of the commentguard program, which main.c dispatches to, and what they
 * share: the command-line walking (args.h), the machine and model (resources.h), two options and
 * the report tables of eval. */
#ifndef CG_CLI_H
#define CG_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "args.h"
#include "commentguard.h"
#include "metrics.h"
#include "resources.h"

/* Each subcommand takes its own argv: argv[0] is the subcommand's name. Returns the exit status. */
int cli_score(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_vectors(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_import_wordpress(int argc, char **argv);
int cli_thresholds(int argc, char **argv);
int cli_keys(int argc, char **argv);
int cli_topicality(int argc, char **argv);

/* The current option's value as the thresholds of the unsure band (thresholds_option.c): the line
 * `commentguard thresholds` prints, or @FILE for a file holding it. 0, or CLI_USAGE after
 * reporting. */
int cli_thresholds_value(cli_args *a, double threshold[CG_NUM_CLASSES]);

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
