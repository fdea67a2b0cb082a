/* tradeoff.h - what the thresholds of the unsure band cost and catch on a labelled data set, and
 * the thresholds that meet a site's constraint (`commentguard thresholds`, the eval report).
 *
 * A threshold t for class c acts on the comments the model labels c: those with p(c) < t become
 * `unsure` and go to a moderator (cg_workspace_set_thresholds). The thresholds of different
 * classes act on different comments, so each class is weighed on its own, over the candidate
 * thresholds 0.00, 0.01, ..., 1.00:
 *   hold(c, t)  the share of the comments of class c that the band sends to a moderator although
 *               the model labelled them right (the moderators' extra work);
 *   miss(c, t)  the share of the comments of the other classes still labelled c without a
 *               moderator (for on-topic: the spam and abuse that would be published). */
#ifndef CG_CLI_TRADEOFF_H
#define CG_CLI_TRADEOFF_H

#include <stddef.h>

#include "commentguard.h"

#define CLI_TRADEOFF_STEPS 100 /* candidate thresholds step / CLI_TRADEOFF_STEPS, step 0..STEPS */

typedef struct cli_tradeoff {
    size_t support[CG_NUM_CLASSES]; /* comments of each class */
    size_t others[CG_NUM_CLASSES];  /* comments of the other classes */
    size_t held[CG_NUM_CLASSES][CLI_TRADEOFF_STEPS + 1];   /* by class and step: right labels held */
    size_t caught[CG_NUM_CLASSES][CLI_TRADEOFF_STEPS + 1]; /* wrong labels held */
    size_t missed[CG_NUM_CLASSES][CLI_TRADEOFF_STEPS + 1]; /* wrong labels kept */
} cli_tradeoff;

/* Count, from the gold labels and the results of classifying without thresholds (a result
 * labelled CG_UNSURE counts nowhere). */
void cli_tradeoff_count(cli_tradeoff *t, const cg_label *gold, const cg_result *results, size_t n);

/* The threshold of a step: step / CLI_TRADEOFF_STEPS, the same double as the decimal printed. */
double cli_tradeoff_threshold(int step);

/* hold(c, step) and miss(c, step); 0 when the class (or its others) has no comments. */
double cli_tradeoff_hold(const cli_tradeoff *t, int c, int step);
double cli_tradeoff_miss(const cli_tradeoff *t, int c, int step);

/* A constraint: a limit below 0 is not set. */
typedef struct cli_constraint {
    double hold_at_most, miss_at_most;
} cli_constraint;

/* The step for class c that meets the constraint: with a miss limit, the lowest threshold whose miss
 * is within it (which must hold within any hold limit); with a hold limit alone, the highest
 * threshold whose hold is within it. -1 if no threshold meets it. */
int cli_tradeoff_choose(const cli_tradeoff *t, int c, cli_constraint limit);

#endif
