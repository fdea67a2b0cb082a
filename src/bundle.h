/* bundle.h - the files of a model bundle directory, and the loaded model. */
#ifndef CG_BUNDLE_H
#define CG_BUNDLE_H

#include "extract.h"
#include "svm_model.h"

/* A bundle directory holds these files (models/README.md documents them for users). */
#define CG_BUNDLE_SETTINGS "bundle.json" /* format version, labels, extractor settings */
#define CG_BUNDLE_SVM "model.svm"        /* the libsvm model, as svm_save_model writes it */
#define CG_BUNDLE_CARD "CARD.md"         /* the model card, for people */

/* Bundles written by this version; a larger format_version is refused with CG_ERR_VERSION. */
#define CG_BUNDLE_FORMAT 1

struct cg_model {
    char *path;
    cg_extractor extractor;
    cg_svm svm;
};

/* Read and check dir/bundle.json. */
cg_status cg_bundle_read_settings(const char *dir, cg_extractor_config *config, char *err, size_t errlen);

/* Write the settings as dir/bundle.json (through a temporary file renamed into place). */
cg_status cg_bundle_write_settings(const char *dir, const cg_extractor_config *config, char *err, size_t errlen);

/* Load a whole bundle. */
cg_status cg_bundle_load(const char *dir, struct cg_model **out, char *err, size_t errlen);

#endif
