/* train_report.h - the report of train's cross-validation, beside the model card. */
#ifndef CG_CLI_TRAIN_REPORT_H
#define CG_CLI_TRAIN_REPORT_H

#include "train.h"

/*
 * Write BUNDLE/report/ (eval --report's page) from the cross-validated probabilities of every
 * training row in r->row_prob (the data is read again for the comments' text; explanations come
 * from the bundle's final model), then link it from BUNDLE/CARD.md. 0, or -1 after reporting why
 * on stderr (the bundle itself stays as written).
 */
int cli_write_training_report(const char *bundle_dir, const char *data_path, const cg_train_report *r);

#endif
