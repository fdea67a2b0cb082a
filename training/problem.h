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
    unsigned char *is_copy; /* x[i] is the article-less copy of a row that has an article */
    struct svm_node *space;      /* the memory behind x */
} cg_problem;

/*
 * Extract one vector per row (with its article when it has one) and, for a share
 * `article_copies` of the rows that have an article (chosen with `seed`), a second vector without
 * it, so that the model learns to judge a comment both ways. Sets config->relevance_center to the
 * mean of each relevance feature over the rows with an article, before extracting.
 */
cg_status cg_problem_build(cg_extractor_config *config, const cg_dataset *ds, double article_copies, unsigned seed,
                           cg_problem *out, char *err, size_t errlen);

void cg_problem_free(cg_problem *p);

#endif
