/* classify_rows.h - classifying every row of a labelled data set with worker threads, for the
 * subcommands that measure a model on one (eval, thresholds). */
#ifndef CG_CLI_CLASSIFY_ROWS_H
#define CG_CLI_CLASSIFY_ROWS_H

#include "commentguard.h"
#include "dataset.h"

/* Classify every row of ds (with its article unless use_article is 0) into results[i], indexed
 * like ds->rows, with `threads` workers and no thresholds. 0, or -1 after reporting on stderr as
 * "commentguard: CMD: ...". */
int cli_classify_rows(const char *cmd, const cg_model *model, const cg_dataset *ds, int use_article, int threads,
                      cg_result *results);

#endif
