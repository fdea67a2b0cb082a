/* calibrate.h - probabilities and decision weights from cross-validated decision values. */
#ifndef CG_CALIBRATE_H
#define CG_CALIBRATE_H

#include <svm.h>

#include "metrics.h"
#include "problem.h"

/*
 * Fit the Platt sigmoid of each class pair of `final` (a model trained without probability
 * estimates) to the held-out decision values of the vectors of those two classes, and store them
 * as its probA and probB, as libsvm's own probability training does with an internal
 * cross-validation (which would cost five more trainings). decision[i * 3 + pair] is in canonical
 * order (search.h). Returns 0 if memory ran out.
 */
int cg_fit_sigmoids(const cg_problem *p, const double *decision, struct svm_model *final);

/*
 * Turn the held-out decision values of every vector (canonical decision[i * 3 + pair], from
 * cg_cross_validate) into probabilities with the final model's sigmoids, and choose the decision
 * weights (decide.h; on-topic's fixed at 1, the others on a grid from 0.5 to 3) that maximise
 * cross-validated macro-F1 over the rows as given (not the article-less copies, which would
 * over-represent the rows that have articles). Writes the weights, and the confusion matrices of the plain
 * (all weights 1) and the chosen rule.
 */
void cg_choose_decision_weights(const cg_problem *p, const double *decision, const struct svm_model *final,
                                double weight[CG_NUM_CLASSES], cg_confusion *plain, cg_confusion *chosen);

#endif
