/* problem.h - turning a labelled dataset into libsvm training vectors. */
#ifndef CG_PROBLEM_H
#define CG_PROBLEM_H

#include <svm.h>

#include "dataset.h"
#include "extract.h"

typedef struct cg_problem {
    size_t n;              /* vectors */
    struct svm_node **x;   /* x[i] terminated by index -1 */
    double *y;             /* the label of x[i], as libsvm wants it (0, 1, 2) */
    size_t *row;           /* the dataset row x[i] came from */
    unsigned char *is_derived; /* x[i] was made from a row, not given: its article-less copy, or the
                                  comment under another thread's article; left out of the metrics */
    struct svm_node *space;      /* the memory behind x */
} cg_problem;

/* How rows with an article are used besides as given; each share is drawn with its own generator
 * from `seed`, so that changing one share does not change the other's choice of rows. */
typedef struct cg_problem_options {
    double article_copies;      /* share of the rows with an article also trained without it */
    double mismatched_articles; /* share of the on-topic rows with an article also trained under
                                   another thread's article, as off-topic (synthetic hard negatives) */
    unsigned seed;
} cg_problem_options;

/*
 * Extract one vector per row (with its article when it has one) and the derived vectors that
 * opt asks for. Sets config->relevance_center to the mean of each relevance feature over the rows
 * with an article as given, before extracting.
 */
cg_status cg_problem_build(cg_extractor_config *config, const cg_dataset *ds, const cg_problem_options *opt,
                           cg_problem *out, char *err, size_t errlen);

void cg_problem_free(cg_problem *p);

#endif
