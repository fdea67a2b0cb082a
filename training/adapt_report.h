/* adapt_report.h - what `train --base` found, as Markdown (adapt_report.c), and the adapted
 * bundle that keeps it (adapt_bundle.c). */
#ifndef CG_ADAPT_REPORT_H
#define CG_ADAPT_REPORT_H

#include <stdio.h>

#include "adapt_types.h"

/* The report as Markdown (what `train --base` prints and puts into CARD.md). */
void cg_adapt_report_write(FILE *f, const cg_adapt_options *opt, const cg_adapt_report *report);

/* One line of the report's headline figures (the adapted bundle against the base in the stratified
 * cross-validation, the grouped AUC beside it), for the end of `train --base`'s output, where a long
 * report's first table scrolls away; nothing for a fallback or a run without cross-validation. */
void cg_adapt_report_summary(FILE *f, const cg_adapt_report *report);

/* Write the adapted bundle of a successful cg_adapt_run to opt->output_dir: the base's files
 * unchanged, site.svm (unless the report is a fallback), bundle.json with the site part, CARD.md
 * (the report) and BASE-CARD.md (the base's card), through a temporary directory swapped into
 * place after the new bundle loaded: a failure leaves nothing and keeps the old bundle. */
cg_status cg_adapt_write(const cg_adapt_options *opt, const cg_adapt_report *report, char *err, size_t errlen);

#endif
