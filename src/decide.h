/* decide.h - which class to name, given calibrated probabilities. */
#ifndef CG_DECIDE_H
#define CG_DECIDE_H

#include "commentguard.h"

/*
 * The class c with the largest prob[c] * weight[c], ties going to the class met first in
 * `order` (libsvm's class order). Probabilities stay calibrated; the weights only move the
 * boundaries between classes, so that a model trained on skewed data still names the rarer
 * classes as often as macro-F1 wants (training chooses them by cross-validation). With all
 * weights 1 this is libsvm's own rule in svm_predict_probability.
 */
cg_label cg_decide(const double prob[CG_NUM_CLASSES], const double weight[CG_NUM_CLASSES],
                   const int order[CG_NUM_CLASSES]);

#endif
