/* import.h - a model bundle from linear weights trained elsewhere (liblinear model files). */
#ifndef CG_IMPORT_H
#define CG_IMPORT_H

#include "pair_solver.h"
#include "train.h"

typedef struct cg_import_options {
    /* liblinear model files: CG_NUM_PAIRS of them, one per class pair in cg_pair_class order,
     * trained with +1 for the pair's first class and -1 for its second; or one three-class model
     * (labels 0, 1, 2: one-vs-rest, whose pairs are the differences of its class weights). */
    const char *weights[CG_NUM_PAIRS];
    int n_weights;
    const char *features_dir; /* bundle.json of the vectors the weights were trained on (`vectors`) */
    const char *data_path;    /* labelled comments to calibrate on: held out from the training */
    const char *output_dir;
    const char *card_notes;   /* or NULL */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
} cg_import_options;

/*
 * Build a bundle from the weights: the extractor settings are those of features_dir (so that
 * comments are hashed as the trainer's vectors were), the Platt sigmoids and decision weights are
 * fitted on the decision values of data_path's comments. Fills the report's rows, vectors, weights,
 * decision weights and, in cv and cv_plain, the confusion matrices on that data.
 */
cg_status cg_import_run(const cg_import_options *opt, cg_train_report *report, char *err, size_t errlen);

#endif
