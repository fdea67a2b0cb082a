/* site_data.h - one site's labelled comments as `train --base` learns from them: the site
 * model's vectors and the base model's probabilities of each row. */
#ifndef CG_SITE_DATA_H
#define CG_SITE_DATA_H

#include "dataset.h"
#include "problem.h"
#include "site_model.h"

/* Fewer rows of a class than this and the site model leaves the class to the base. */
#define CG_SITE_MIN_CLASS_ROWS 3

/* More narrowing steps than cg_site_narrow has. */
#define CG_SITE_MAX_NARROWED 4

typedef struct cg_site_data {
    cg_problem p;         /* the rows of the site's classes: x (site vectors), y, n = n_rows, row_group
                             (the first row under the same article), dim, bias; no derived vectors */
    double *base_prob;    /* [p.n * 3]: the base part's probabilities, with the row's article */
    int has_class[CG_NUM_CLASSES]; /* classes with at least CG_SITE_MIN_CLASS_ROWS rows */
    size_t count[CG_NUM_CLASSES];  /* rows of each class in the file */
    size_t n_file_rows;            /* rows in the file */
    size_t *file_line;    /* [p.n]: the line each row came from */
    float *idf;           /* with features->idf asked for: the text n-grams' inverse document
                             frequencies over these rows, 2^CG_SITE_TEXT_BITS of them; else NULL */
    unsigned *df;         /* and their document frequencies */
    size_t df_rows;       /* over this many rows */
    const cg_extractor *site;          /* what made the vectors (cg_site_data_load's) */
    const cg_site_features *features;  /* idem; features->use_idf: weigh each fold's rows */
    size_t nodes;                      /* the vectors' nodes, bias and terminators included */
    int over_budget;                   /* more nodes than the budget even with the narrowest features */
    const char *narrowed[CG_SITE_MAX_NARROWED]; /* the steps that narrowed the features (site_narrow.h) */
    int n_narrowed;
} cg_site_data;

/*
 * Read the labelled site file at path (dataset.h formats) and make, for every row of a class with
 * enough rows, the probabilities of *base's base part (with its article), then its site vector
 * with the extractor `site` (author fields included). *base is freed and set to NULL between the
 * two (the base and the site vectors are never in memory together: issue 20's memory bound); if
 * the run stops before, *base is left to the caller. Fewer than two such classes leaves p.n == 0
 * (the caller falls back to the base). Errors carry "path:line: reason".
 *
 * budget (0: none) bounds the vectors' nodes of 16 bytes (liblinear's layout): when the vectors would
 * hold more, they are dropped and made again with features narrowed by cg_site_narrow, *site made
 * again with the narrower settings and *features updated, until they fit or no narrower step is left
 * (then they are kept whatever they hold: over_budget). A site that fits keeps its features exactly.
 */
cg_status cg_site_data_load(const char *path, cg_model **base, cg_extractor *site, cg_site_features *features,
                            double bias, size_t budget, cg_site_data *out, char *err, size_t errlen);

/* The site text block of every row: weigh each present n-gram by its inverse document frequency
 * over the rows with use[i] (all if NULL; d->idf, d->df, d->df_rows), then L2-normalise to
 * features->text_weight: what cg_site_vector computes with that table, bit for bit. Called again
 * with other rows, it weighs again (the cross-validation counts each fold's training rows only). */
cg_status cg_site_data_weigh_idf(cg_site_data *d, const cg_extractor *site, const cg_site_features *features,
                                 const unsigned char *use);

void cg_site_data_free(cg_site_data *d);

#endif
