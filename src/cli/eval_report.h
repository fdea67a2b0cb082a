/* eval_report.h - `commentguard eval --report DIR`: the evaluation as an HTML page with plots. */
#ifndef CG_CLI_EVAL_REPORT_H
#define CG_CLI_EVAL_REPORT_H

#include <jansson.h>

#include "commentguard.h"
#include "dataset.h"

/*
 * Write the report of ds, classified into results (without thresholds), to the directory dir:
 * index.html and its PNG images, drawn by tools/eval_report.py (python3 with matplotlib) from a
 * JSON input holding `summary` (eval --json's object), the trade-off of the unsure band, and each
 * row's gold label, label, probabilities and source, with the text and the reasons (cg_explain) of
 * the rows judged wrong. The page is made in a temporary directory beside dir and then takes its
 * place: dir must not exist, or be empty, or hold an earlier report (an index.html). 0, or -1 after
 * reporting on stderr.
 */
int cli_eval_report(const char *dir, const cg_model *model, const cg_dataset *ds, const cg_result *results,
                    int use_article, json_t *summary);

#endif
