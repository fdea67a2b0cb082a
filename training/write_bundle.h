/* write_bundle.h - writing a trained model as a bundle directory, all or nothing. */
#ifndef CG_WRITE_BUNDLE_H
#define CG_WRITE_BUNDLE_H

#include <svm.h>

#include "problem.h"

/*
 * Collapse `trained` (a 3-class C-SVC with probabilities, linear or precomputed linear kernel, its
 * support vectors being p's vectors by sv_indices) into the compact linear libsvm model described
 * in DESIGN.md: w01 and w02 as two vectors of the first class, w12 as one of the second, an empty
 * one for the third, same rho, probA and probB. libsvm's svm-predict reads it and gives the same
 * decision values and probabilities as the full model. Then write model.svm, its binary cache
 * model.svm.bin, bundle.json and CARD.md (card_text) into a temporary directory beside out_dir and swap it into place, so that a
 * failure never leaves a half-written bundle nor destroys the old one.
 */
cg_status cg_write_bundle(const char *out_dir, const cg_extractor_config *config,
                          const double decision_weight[CG_NUM_CLASSES], const struct svm_model *trained,
                          const cg_problem *p, const char *card_text, char *err, size_t errlen);

#endif
