/* adapt_types.h - the options and the report of adapting a bundle to a site: adapt.c runs it,
 * adapt_report.c writes the report. */
#ifndef CG_ADAPT_TYPES_H
#define CG_ADAPT_TYPES_H

#include "site_cv.h"

#define CG_ADAPT_MANY_ROWS 2000

/* The site vectors' default memory budget, MB: with the base's 46 MB (models/default) and what else
 * a run holds (about 17 MB), a run stays within twice the base's memory (issue 20). */
#define CG_ADAPT_VECTOR_MB 68

typedef struct cg_adapt_options {
    const char *base_dir;    /* the bundle to adapt (an adapted one: its base part is adapted again) */
    const char *data_path;   /* the site's labelled comments (dataset.h formats, author fields read) */
    const char *output_dir;  /* the adapted bundle; replaced only when adapting succeeds */
    cg_extractor_config site_extractor; /* the site model's features (cg_adapt_options_default) */
    cg_site_features features; /* and what else it reads */
    cg_site_fit_options fit; /* C, inner folds, blend (forced or chosen), blend space, rule, seed */
    double vector_mb;        /* the site vectors' memory budget, MB (0: none; cg_site_data_load) */
    int folds, repeats;      /* the figures' cross-validation: 5 folds; repeats 0: no figures, -1 (the
                                default): 5, or 1 with more than CG_ADAPT_MANY_ROWS rows */
    const char *card_notes;  /* extra text for CARD.md, or NULL */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
} cg_adapt_options;

typedef struct cg_adapt_report {
    size_t n_file_rows;
    size_t count[CG_NUM_CLASSES];  /* rows per class in the file */
    int has_class[CG_NUM_CLASSES]; /* the site model's classes */
    int fallback;                  /* too few rows or classes: the bundle keeps the base's judgement */
    cg_site_params params;         /* the blend and rule of the bundle (all rows) */
    int have_cv;
    cg_site_cv cv, cv_grouped;     /* stratified, and grouped by article */
    cg_site_fit fit;               /* the site model fitted on every row (unless fallback) */
    cg_extractor_config site_extractor; /* the site model's features as fitted: the options' unless */
    cg_site_features features;          /* narrowed to keep the vectors within vector_mb */
    const char *narrowed[CG_SITE_MAX_NARROWED]; /* the narrowing steps taken (site_narrow.h) */
    int n_narrowed;
    size_t vector_nodes;           /* the site vectors' nodes of 16 bytes */
    int over_budget;               /* more than vector_mb even with the narrowest features */
    unsigned *df;                  /* with features.use_idf: the text n-grams' document frequencies */
    size_t df_rows;                /* over this many rows */
    double seconds;
    long peak_rss_kb;
} cg_adapt_report;

#endif
