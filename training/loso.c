/* loso.c - leave-one-source-out figures: how a setting does on a site it never saw. */
#include "loso.h"

#include <stdlib.h>
#include <string.h>

#include "svm_model.h"
#include "workers.h"

typedef struct loso_job {
    const cg_problem *p;
    const cg_setting *setting;
    const cg_solver_options *so;
    double *decision; /* shared: [vector][pair], each vector's values from the model without its source */
} loso_job;

/* Task t: source t / 3 held out, pair t % 3. */
static cg_status loso_task(void *ctx, int t)
{
    const loso_job *job = ctx;
    const cg_problem *p = job->p;
    int held = t / CG_NUM_PAIRS, pair = t % CG_NUM_PAIRS;
    unsigned char *in_training = malloc(p->n + 1);
    double *w = malloc(((size_t)p->dim + 1) * sizeof *w);
    cg_status st = in_training && w ? CG_OK : CG_ERR_NOMEM;
    if (st == CG_OK) {
        for (size_t i = 0; i < p->n; i++)
            in_training[i] = p->row_source[p->row[i]] != held;
        cg_pair_task task = {p, in_training, pair, job->setting->c, {1, 1, 1}, job->so->solver, job->so->eps};
        if (job->setting->weighted)
            cg_balanced_weights(p, in_training, task.class_weight);
        double rho;
        st = cg_train_pair(&task, w, &rho);
        for (size_t i = 0; st == CG_OK && i < p->n; i++)
            if (!in_training[i])
                job->decision[i * CG_NUM_PAIRS + pair] = cg_pair_decision(w, rho, p->x[i], p->dim);
    }
    free(in_training);
    free(w);
    return st;
}

cg_status cg_leave_one_source_out(const cg_problem *p, const cg_setting *s, const cg_solver_options *so,
                                  const cg_linear_model *m, cg_source_figures *out)
{
    size_t bytes = (p->n + 1) * CG_NUM_PAIRS * sizeof(double);
    double *shared = cg_shared_alloc(bytes);
    if (!shared)
        return CG_ERR_NOMEM;
    loso_job job = {p, s, so, shared};
    cg_status st = cg_run_tasks(p->n_sources * CG_NUM_PAIRS, so->workers, so->seed ^ 0x1f3d5b79u, loso_task, NULL, &job);
    if (st == CG_OK) {
        cg_svm sigmoids = cg_linear_sigmoids(m);
        for (int k = 0; k < p->n_sources; k++)
            out[k] = (cg_source_figures){.source = p->source_name[k]};
        for (size_t i = 0; i < p->n; i++) {
            if (p->is_derived[i])
                continue;
            double prob[CG_NUM_CLASSES];
            cg_svm_probabilities(&sigmoids, shared + i * CG_NUM_PAIRS, prob);
            cg_source_figures *f = &out[p->row_source[p->row[i]]];
            f->rows++;
            cg_confusion_add(&f->confusion, (cg_label)p->y[i], cg_svm_best(prob, &sigmoids));
        }
    }
    cg_shared_free(shared, bytes);
    return st;
}
