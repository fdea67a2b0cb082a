/* adapt.h - `commentguard train --base`: adapting a model bundle to one site's own labelled
 * comments (issue 20). The adapted bundle keeps the base's files unchanged and adds a site model
 * (site.svm) and its part of bundle.json (format 3), see site_model.h and models/README.md.
 * adapt_report.h writes the figures and the bundle. */
#ifndef CG_ADAPT_H
#define CG_ADAPT_H

#include "adapt_types.h"

void cg_adapt_options_default(cg_adapt_options *opt, const char *base_dir, const char *data_path,
                              const char *output_dir);

/* Measure and fit (no file is written). Errors carry file:line for bad rows. */
cg_status cg_adapt_run(const cg_adapt_options *opt, cg_adapt_report *report, char *err, size_t errlen);

void cg_adapt_report_free(cg_adapt_report *report);

#endif
