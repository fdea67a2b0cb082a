/* problem.h - turning labelled comments into training vectors, streaming. */
#ifndef CG_PROBLEM_H
#define CG_PROBLEM_H

#include <svm.h>

#include "dataset.h"
#include "extract.h"

typedef struct cg_problem {
    size_t n;              /* vectors */
    struct svm_node **x;   /* x[i] terminated by index -1 */
    double *y;             /* the label of x[i] (0, 1, 2) */
    size_t *row;           /* the row x[i] came from (0-based, in file order) */
    unsigned char *is_derived; /* x[i] was made from a row, not given: its article-less copy, or the
                                  comment under another thread's article; left out of the metrics */
    size_t n_rows;         /* rows read */
    size_t *row_group;     /* [n_rows]: the first row that answers the same article, or the row
                              itself when it has none; cross-validation keeps a group in one fold */
    unsigned short *row_source; /* [n_rows]: the row's `source`, an index into source_name */
    char **source_name;    /* the distinct sources in order of appearance ("" for rows without one) */
    int n_sources;
    int dim;               /* feature indices of the extractor: 1..dim */
    double bias;           /* > 0: every vector ends with the node {dim + 1, bias} (a solver's
                              intercept, learned as one more weight); 0: none */
    size_t nnz;            /* nodes of all vectors, their bias nodes and terminators left out */
    void *blocks;          /* the memory behind x */
} cg_problem;

/* How rows with an article are used besides as given; each share is drawn with its own generator
 * from `seed`, so that changing one share does not change the other's choice of rows. */
typedef struct cg_problem_options {
    double article_copies;      /* share of the rows with an article also trained without it */
    double mismatched_articles; /* share of the on-topic rows with an article also trained under
                                   another thread's article, as off-topic (synthetic hard negatives) */
    unsigned seed;
    double bias;                /* see cg_problem.bias */
    int keep_center;            /* use config->relevance_center as given instead of measuring it
                                   (vectors for a model trained already) */
} cg_problem_options;

/* At most this many distinct sources in one training file. */
#define CG_MAX_SOURCES 1000

/* Progress while reading: rows so far, and the share of the input read (0 when unknown). */
typedef void (*cg_problem_progress)(void *ctx, size_t rows, double fraction);

/*
 * Read the labelled file at path once, row by row, and extract one vector per row (with its
 * article when it has one) and the derived vectors opt asks for; the text of a row is dropped once
 * its vectors are made. Unless opt->keep_center, sets config->relevance_center to the mean of each
 * relevance feature over the rows with an article as given: it is measured on the first rows
 * (at most CG_CENTER_ROWS of them, or the first CG_CENTER_ARTICLE_ROWS with an article), which are
 * held until then. Errors carry "path:line: reason".
 */
#define CG_CENTER_ROWS 100000
#define CG_CENTER_ARTICLE_ROWS 20000
cg_status cg_problem_read(cg_extractor_config *config, const char *path, const cg_problem_options *opt,
                          cg_problem_progress progress, void *progress_ctx, cg_problem *out, char *err,
                          size_t errlen);

/* The same from a dataset in memory. */
cg_status cg_problem_build(cg_extractor_config *config, const cg_dataset *ds, const cg_problem_options *opt,
                           cg_problem *out, char *err, size_t errlen);

/*
 * A view of p made of about `rows` of its rows (whole threads: the rows of an article are kept or
 * left together), drawn with `seed`, and all their vectors; it shares p's vectors, so it must not
 * outlive p, and has no sources. Free it with cg_problem_free.
 */
cg_status cg_problem_sample(const cg_problem *p, size_t rows, unsigned seed, cg_problem *view);

void cg_problem_free(cg_problem *p);

#endif
