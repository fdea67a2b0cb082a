/* topicality_fit.h - fit a bundle's topicality stage (src/topicality.h) on labelled comments with
 * articles, without retraining its model (topicality_fit.c); `commentguard topicality` runs it. */
#ifndef CG_TOPICALITY_FIT_H
#define CG_TOPICALITY_FIT_H

#include "topicality_types.h"

/* The defaults of `commentguard topicality`. */
void cg_topic_fit_options_default(cg_topic_fit_options *opt, const char *model_dir, const char *data_path);

/* Fit the stage and write it into the bundle: its table (topic.idf), bundle.json's "topicality"
 * object (format 3) and its section of CARD.md, each through a temporary file renamed into place.
 * A failure leaves the bundle as it was, with the reason in err. */
cg_status cg_topicality_fit(const cg_topic_fit_options *opt, cg_topic_fit_report *report, char *err, size_t errlen);

#endif
