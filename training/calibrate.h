/* calibrate.h - probabilities and decision weights from cross-validated decision values. */
#ifndef CG_CALIBRATE_H
#define CG_CALIBRATE_H

#include "metrics.h"
#include "problem.h"
#include "search.h"

/*
 * Fit the Platt sigmoid of each class pair of m to the held-out decision values of the vectors of
 * those two classes (decision[i * 3 + pair], as cg_cross_validate gives them), and store them as its
 * prob_a and prob_b, as libsvm's own probability training does with an internal cross-validation
 * (which would cost five more trainings). Returns 0 if memory ran out.
 */
int cg_fit_sigmoids(const cg_problem *p, const double *decision, cg_linear_model *m);

/*
 * Turn the held-out decision values of every vector (decision[i * 3 + pair], from
 * cg_cross_validate) into probabilities with m's sigmoids, and take the class weights `given`, or
 * (given == NULL) choose those (on-topic's fixed at 1, the others on a grid from 0.5 to 3) that
 * maximise cross-validated macro-F1 of the rule "largest probability times weight" over the rows as
 * given (not the article-less copies, which would over-represent the rows that have articles). Then
 * fold the weights into m's sigmoids (cg_svm_fold_class_weights), so that the published label is
 * the most probable class. Writes the weights, the confusion matrix of libsvm's plain rule before
 * folding, and that of the published rule.
 */
void cg_choose_decision_weights(const cg_problem *p, const double *decision, const double *given,
                                cg_linear_model *m, double weight[CG_NUM_CLASSES], cg_confusion *plain,
                                cg_confusion *chosen);

#endif
