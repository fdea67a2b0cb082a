/* write_bundle.h - writing a trained model as a bundle directory, all or nothing. */
#ifndef CG_WRITE_BUNDLE_H
#define CG_WRITE_BUNDLE_H

#include "search.h"

/*
 * Write m (with its sigmoids) as model.svm in the compact linear libsvm form of DESIGN.md, which
 * libsvm's svm-predict reads and which gives m's decision values and probabilities; then its binary
 * cache model.svm.bin, bundle.json (its decision weights all 1: class weights are folded into the
 * sigmoids) and CARD.md (card_text), all into a temporary directory beside
 * out_dir swapped into place, so that a failure never leaves a half-written bundle nor destroys the
 * old one.
 */
cg_status cg_write_bundle(const char *out_dir, const cg_extractor_config *config, const cg_linear_model *m,
                          const char *card_text, char *err, size_t errlen);

/* m (with its sigmoids) as a compact linear libsvm model file at path (svm-predict reads it). */
cg_status cg_save_linear_model(const char *path, const cg_linear_model *m);

/* Writing a bundle all or nothing: begin makes an empty temporary directory beside out_dir (its
 * path into tmp); commit swaps it into place (an old bundle there is removed after the swap);
 * discard removes it after a failure. Only a bundle's own files are removed (a file someone put
 * there besides is kept, with the directory). */
cg_status cg_bundle_dir_begin(const char *out_dir, char *tmp, size_t tmplen, char *err, size_t errlen);
cg_status cg_bundle_dir_commit(const char *tmp, const char *out_dir, char *err, size_t errlen);
void cg_bundle_dir_discard(const char *tmp);

#endif
