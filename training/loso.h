/* loso.h - leave-one-source-out figures: how a setting does on a site it never saw. */
#ifndef CG_LOSO_H
#define CG_LOSO_H

#include "metrics.h"
#include "search.h"

/* One source held out: trained on every other source, judged on this one's rows as given. */
typedef struct cg_source_figures {
    const char *source; /* p->source_name[k] */
    size_t rows;
    cg_confusion confusion;
} cg_source_figures;

/*
 * For each of p's sources, train the three pairs with setting s on the vectors of every other
 * source (3 tasks per source for the workers), and judge that source's rows (not their derived
 * vectors) with the published rule: m's sigmoids, class weights folded in, on the held-out decision
 * values. Fills out[k] for source k (p->n_sources entries). Sources are what the data calls them:
 * a file whose rows name no source is one source, and gets no figures worth the name.
 */
cg_status cg_leave_one_source_out(const cg_problem *p, const cg_setting *s, const cg_solver_options *so,
                                  const cg_linear_model *m, cg_source_figures *out);

#endif
