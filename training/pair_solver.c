/* pair_solver.c - training one class pair's linear C-SVC: liblinear's dual coordinate descent, or
 * libsvm's SMO for small problems. */
#include "pair_solver.h"

#include <linear.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const int cg_pair_class[CG_NUM_PAIRS][2] = {{0, 1}, {0, 2}, {1, 2}};

/* The training vectors are libsvm's svm_node arrays; liblinear reads the same layout as its
 * feature_node, so one copy of the vectors serves both libraries. */
_Static_assert(sizeof(struct svm_node) == sizeof(struct feature_node) &&
                   offsetof(struct svm_node, value) == offsetof(struct feature_node, value),
               "libsvm's and liblinear's feature nodes differ");

/* The pair's training vectors, +1 for its first class and -1 for its second. */
typedef struct pair_subset {
    int l;
    struct svm_node **x;
    double *y;
} pair_subset;

/* The pair's vectors; has[k]: whether class k of the pair has any. */
static cg_status select_pair(const cg_pair_task *t, pair_subset *s, int has[2])
{
    const cg_problem *p = t->p;
    int a = cg_pair_class[t->pair][0], b = cg_pair_class[t->pair][1];
    s->l = 0;
    s->x = malloc((p->n + 1) * sizeof *s->x);
    s->y = malloc((p->n + 1) * sizeof *s->y);
    if (!s->x || !s->y)
        return CG_ERR_NOMEM;
    has[0] = has[1] = 0;
    for (size_t i = 0; i < p->n; i++) {
        int y = (int)p->y[i];
        if (!t->in_training[i] || (y != a && y != b))
            continue;
        s->x[s->l] = p->x[i];
        s->y[s->l++] = y == a ? 1 : -1;
        has[y == b] = 1;
    }
    return CG_OK;
}

static void quiet(const char *text)
{
    (void)text;
}

static cg_status train_liblinear(const cg_pair_task *t, const pair_subset *s, double *w, double *rho)
{
    const cg_problem *p = t->p;
    int a = cg_pair_class[t->pair][0], b = cg_pair_class[t->pair][1];
    int has_bias = p->bias > 0;
    struct problem prob = {s->l, p->dim + has_bias, s->y, (struct feature_node **)s->x, has_bias ? p->bias : -1};
    int labels[2] = {1, -1};
    double weights[2] = {t->class_weight[a], t->class_weight[b]};
    int solver = t->solver == CG_SOLVER_LOGISTIC ? L2R_LR_DUAL : L2R_L1LOSS_SVC_DUAL;
    struct parameter param = {.solver_type = solver, .eps = t->eps, .C = t->c, .nr_weight = 2,
                              .weight_label = labels, .weight = weights};
    set_print_string_function(quiet);
    if (check_parameter(&prob, &param))
        return CG_ERR_INPUT;
    struct model *m = train(&prob, &param);
    if (!m)
        return CG_ERR_NOMEM;
    /* liblinear orders the classes as they first occur: its decision is positive for label[0]. */
    double sign = m->label[0] == 1 ? 1 : -1;
    memset(w, 0, ((size_t)p->dim + 1) * sizeof *w);
    for (int f = 1; f <= p->dim && f <= m->nr_feature; f++)
        w[f] = sign * m->w[f - 1];
    /* The intercept is one more (regularised) weight on the constant feature `bias`: f(x) = w.x +
     * w_b * bias, so libsvm's rho is its negative. */
    *rho = has_bias ? -sign * m->w[m->nr_feature] * p->bias : 0;
    free_and_destroy_model(&m);
    return CG_OK;
}

static cg_status train_smo(const cg_pair_task *t, const pair_subset *s, double *w, double *rho)
{
    const cg_problem *p = t->p;
    int a = cg_pair_class[t->pair][0], b = cg_pair_class[t->pair][1];
    int labels[2] = {1, -1};
    double weights[2] = {t->class_weight[a], t->class_weight[b]};
    struct svm_parameter param = {.svm_type = C_SVC, .kernel_type = LINEAR, .cache_size = 256, .eps = t->eps,
                                  .C = t->c, .nr_weight = 2, .weight_label = labels, .weight = weights,
                                  .shrinking = 1};
    struct svm_problem prob = {s->l, s->y, s->x};
    svm_set_print_string_function(quiet);
    if (svm_check_parameter(&prob, &param))
        return CG_ERR_INPUT;
    struct svm_model *m = svm_train(&prob, &param);
    if (!m)
        return CG_ERR_NOMEM;
    double sign = m->label[0] == 1 ? 1 : -1;
    memset(w, 0, ((size_t)p->dim + 1) * sizeof *w);
    for (int k = 0; k < m->l; k++)
        for (const struct svm_node *x = m->SV[k]; x->index != -1; x++)
            if (x->index <= p->dim)
                w[x->index] += sign * m->sv_coef[0][k] * x->value;
    *rho = sign * m->rho[0];
    /* A bias node in the vectors acts as one more feature here too. */
    if (p->bias > 0) {
        double wb = 0;
        for (int k = 0; k < m->l; k++)
            wb += sign * m->sv_coef[0][k] * p->bias;
        *rho -= wb * p->bias;
    }
    svm_free_and_destroy_model(&m);
    return CG_OK;
}

cg_status cg_train_pair(const cg_pair_task *t, double *w, double *rho)
{
    /* A cross-validation fold of a tiny data set may lack a class: the pair is then decided for
     * the class that is there. */
    enum { DECISIVE = 10 };
    pair_subset s = {0};
    int has[2];
    cg_status st = select_pair(t, &s, has);
    if (st == CG_OK && !(has[0] && has[1])) {
        memset(w, 0, ((size_t)t->p->dim + 1) * sizeof *w);
        *rho = has[0] ? -DECISIVE : has[1] ? DECISIVE : 0;
    } else if (st == CG_OK) {
        st = t->solver == CG_SOLVER_SMO ? train_smo(t, &s, w, rho) : train_liblinear(t, &s, w, rho);
    }
    free(s.x);
    free(s.y);
    return st;
}

double cg_pair_decision(const double *w, double rho, const struct svm_node *x, int dim)
{
    double sum = 0;
    for (; x->index != -1 && x->index <= dim; x++)
        sum += w[x->index] * x->value;
    return sum - rho;
}
