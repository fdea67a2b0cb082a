/* pair_solver.h - training one class pair's linear C-SVC: liblinear's dual coordinate descent, or
 * libsvm's SMO for small problems. */
#ifndef CG_PAIR_SOLVER_H
#define CG_PAIR_SOLVER_H

#include "problem.h"

/* The class pairs in libsvm's order for labels 0, 1, 2; decision values are positive for the
 * first class of the pair. */
#define CG_NUM_PAIRS 3
extern const int cg_pair_class[CG_NUM_PAIRS][2];

typedef enum cg_solver {
    CG_SOLVER_LIBLINEAR, /* L1-loss SVC dual (liblinear -s 3): memory grows with the non-zeros */
    CG_SOLVER_SMO,       /* libsvm's C-SVC with the linear kernel: exact, slow past ~20k vectors */
    CG_SOLVER_LOGISTIC,  /* liblinear's L2-regularised logistic regression (dual, -s 7): the site model */
} cg_solver;

typedef struct cg_pair_task {
    const cg_problem *p;
    const unsigned char *in_training; /* in_training[i]: vector i may be trained on */
    int pair;                         /* 0..2 */
    double c;                         /* C of the pair's two classes: c * class_weight[class] */
    double class_weight[3];
    cg_solver solver;
    double eps;                       /* the solver's stopping tolerance */
} cg_pair_task;

/*
 * Train the pair and write its linear decision function, f(x) = w . x - rho with w[1..p->dim]
 * (w[0] unused, the bias folded into rho as libsvm keeps it), into w (p->dim + 1 doubles) and
 * *rho. Both solvers draw their shuffles from rand(): seed it first for a reproducible result.
 * A pair without training vectors of one class is decided for the other: w = 0, rho = -10 or 10.
 * Returns CG_ERR_NOMEM if memory ran out.
 */
cg_status cg_train_pair(const cg_pair_task *t, double *w, double *rho);

/* f(x) for a vector of p (its bias node, if any, is not a feature of w). */
double cg_pair_decision(const double *w, double rho, const struct svm_node *x, int dim);

#endif
