/* bundle_settings.h - the files of a model bundle directory, and its settings file bundle.json
 * (bundle_settings.c). */
#ifndef CG_BUNDLE_SETTINGS_H
#define CG_BUNDLE_SETTINGS_H

#include <jansson.h>

#include "analyse.h"

/* A bundle directory holds these files (models/README.md documents them for users). */
#define CG_BUNDLE_SETTINGS "bundle.json" /* format version, labels, extractor settings */
#define CG_BUNDLE_SVM "model.svm"        /* the libsvm model, as svm_save_model writes it */
#define CG_BUNDLE_CARD "CARD.md"         /* the model card, for people */
#define CG_BUNDLE_BASE_CARD "BASE-CARD.md" /* an adapted bundle: the card of the base it adapts */
/* Optional: model.svm's support vectors in binary, for fast loading (svm_model.h). Ignored unless
 * made from exactly the model.svm beside it; cg_bundle_write_cache writes it. */
#define CG_BUNDLE_SVM_CACHE "model.svm.bin"
/* Optional: the lexicon (lexicon.h), named by bundle.json's extractor.lexicon. */
#define CG_BUNDLE_LEXICON "lexicon.txt"

/* Bundles written by `train`; format 2 added the lexicon: a format-1 reader would score without its
 * signals. Format 3 adds a site part (site_model.h), written only by `train --base`, the lexicon's
 * [unmarked] section (lexicon.h), which a format-2 reader would take for insults,
 * extractor.length_signal false, which it would ignore, and a topicality stage (topicality.h), which it
 * would leave out; a bundle is written as format 3 only when it has one of them. Format 4 adds the
 * lexicon's [promotion] section, which a format-3 reader would read as an insult, "promotion". Format 5
 * adds extractor.group_placeholder true, which a format-4 reader would ignore, scoring with other
 * n-grams than the model was trained on. 5 is the newest this version reads: a larger format_version
 * is refused with CG_ERR_VERSION. */
#define CG_BUNDLE_FORMAT 2
#define CG_BUNDLE_FORMAT_SITE 3
#define CG_BUNDLE_FORMAT_UNMARKED 3
#define CG_BUNDLE_FORMAT_NO_LENGTH 3
#define CG_BUNDLE_FORMAT_PROMOTION 4
#define CG_BUNDLE_FORMAT_GROUP 5
#define CG_BUNDLE_FORMAT_NEWEST 5

/* dir/file in new memory (free it), or NULL if memory ran out. */
char *cg_bundle_path(const char *dir, const char *file);

/* Parse bundle.json's extractor settings object ex (from file `path` of bundle `dir`, for messages
 * and the lexicon's path), checked. */
cg_status cg_bundle_parse_extractor(json_t *ex, const char *path, const char *dir, cg_extractor_config *c, char *err,
                                    size_t errlen);

/* The extractor settings as bundle.json keeps them (a new reference; NULL if memory ran out). */
json_t *cg_bundle_extractor_json(const cg_extractor_config *c);

/* dir/bundle.json as a JSON document in *root (a new reference: json_decref it) and its path in *path (free
 * it). On failure *root is NULL, *path is NULL or the path, and err says "path:line: reason": CG_ERR_IO if the
 * file cannot be read, CG_ERR_FORMAT if it is not JSON (or has a duplicate key), CG_ERR_NOMEM. */
cg_status cg_bundle_load_settings(const char *dir, json_t **root, char **path, char *err, size_t errlen);

/* Read and check dir/bundle.json: the extractor settings (config->lexicon: the path of the
 * bundle's lexicon, or "") and the decision weights (all 1 when the file has none). */
cg_status cg_bundle_read_settings(const char *dir, cg_extractor_config *config,
                                  double decision_weight[CG_NUM_CLASSES], char *err, size_t errlen);

/* Write the settings as dir/bundle.json (through a temporary file renamed into place), with a copy
 * of the lexicon file that config->lexicon names, if any, as dir/lexicon.txt. */
cg_status cg_bundle_write_settings(const char *dir, const cg_extractor_config *config,
                                   const double decision_weight[CG_NUM_CLASSES], char *err, size_t errlen);

/* Write size bytes as dir/name, through a temporary file renamed into place (CG_ERR_IO and the
 * reason in err if it fails: the old file, if any, stays). */
cg_status cg_bundle_write_file(const char *dir, const char *name, const char *data, size_t size, char *err,
                               size_t errlen);

/* Remove what cg_bundle_write_settings writes into dir (bundle.json and the lexicon's copy), for
 * callers that clear a directory they wrote. */
void cg_bundle_remove_settings(const char *dir);

#endif
