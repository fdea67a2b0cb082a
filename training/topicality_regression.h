/* topicality_regression.h - the logistic regression of "misplaced" that gives the topicality
 * stage's coefficients (src/topicality.h), fitted by Newton's method with a light ridge on all but
 * the intercept (moved and own comments can be nearly separable by the cosine)
 * (topicality_regression.c). */
#ifndef CG_TOPICALITY_REGRESSION_H
#define CG_TOPICALITY_REGRESSION_H

#include <stddef.h>

#include "topicality.h"

/* The regression's inputs of a measure: 1, ln(1 + mass), cosine, ln(1 + A), cosine ln(1 + A). */
void cg_topic_regression_inputs(const cg_topic_measure *m, double x[CG_TOPIC_COEFS]);

/* Fit coef on n rows of inputs x and outcomes y (0 or 1); 0 if it did not converge to finite values. */
int cg_topic_regression_fit(const double (*x)[CG_TOPIC_COEFS], const int *y, size_t n, double coef[CG_TOPIC_COEFS]);

#endif
