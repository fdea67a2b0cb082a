/* adapt_report.h - the figures of `train --base` as Markdown (adapt_report.c). */
#ifndef CG_ADAPT_REPORT_H
#define CG_ADAPT_REPORT_H

#include <stdio.h>

#include "adapt_types.h"

/* The report as Markdown (what `train --base` prints and puts into CARD.md). */
void cg_adapt_report_write(FILE *f, const cg_adapt_options *opt, const cg_adapt_report *report);

#endif
