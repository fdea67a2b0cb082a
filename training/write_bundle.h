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

#endif
