/* search.c - cross-validation, the C search and the final training, one class pair at a time. */
#define _POSIX_C_SOURCE 200809L
#include "search.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_stats.h"
#include "workers.h"

cg_status cg_linear_model_init(cg_linear_model *m, int dim)
{
    memset(m, 0, sizeof *m);
    m->dim = dim;
    m->w = calloc((size_t)CG_NUM_PAIRS * ((size_t)dim + 1), sizeof *m->w);
    return m->w ? CG_OK : CG_ERR_NOMEM;
}

void cg_linear_model_free(cg_linear_model *m)
{
    free(m->w);
    memset(m, 0, sizeof *m);
}

cg_svm cg_linear_sigmoids(const cg_linear_model *m)
{
    cg_svm sigmoids = {.label = {0, 1, 2}};
    memcpy(sigmoids.prob_a, m->prob_a, sizeof sigmoids.prob_a);
    memcpy(sigmoids.prob_b, m->prob_b, sizeof sigmoids.prob_b);
    return sigmoids;
}

void cg_linear_decision(const cg_linear_model *m, const struct svm_node *x, double dec[CG_NUM_PAIRS])
{
    for (int p = 0; p < CG_NUM_PAIRS; p++)
        dec[p] = cg_pair_decision(cg_pair_weights(m, p), m->rho[p], x, m->dim);
}

cg_label cg_vote(const double dec[CG_NUM_PAIRS])
{
    int votes[3] = {0, 0, 0};
    for (int p = 0; p < CG_NUM_PAIRS; p++)
        votes[dec[p] > 0 ? cg_pair_class[p][0] : cg_pair_class[p][1]]++;
    int best = 0;
    for (int c = 1; c < 3; c++)
        if (votes[c] > votes[best])
            best = c;
    return (cg_label)best;
}

void cg_balanced_weights(const cg_problem *p, const unsigned char *in_training, double weight[3])
{
    size_t count[3] = {0}, n = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!in_training || in_training[i]) {
            count[(int)p->y[i]]++;
            n++;
        }
    for (int c = 0; c < 3; c++)
        weight[c] = count[c] ? (double)n / (3.0 * (double)count[c]) : 1.0;
}

/* Fold of each vector: rows sharing an article form one group, and copies of a row share its
 * fold; rows are visited in an order shuffled with the seed and each new group takes the next
 * fold in turn. */
static int *assign_folds(const cg_problem *p, int folds, unsigned seed)
{
    size_t n_rows = p->n_rows;
    size_t *order = malloc((n_rows + 1) * sizeof *order);
    int *group_fold = malloc((n_rows + 1) * sizeof *group_fold);
    int *fold = malloc((p->n + 1) * sizeof *fold);
    int ok = order && group_fold && fold;
    if (ok) {
        uint64_t state = (uint64_t)seed * 2654435761u + 1;
        for (size_t i = 0; i < n_rows; i++) {
            order[i] = i;
            group_fold[i] = -1;
        }
        for (size_t i = n_rows; i > 1; i--) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            size_t j = (size_t)((state >> 33) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        int next = 0;
        for (size_t k = 0; k < n_rows; k++) {
            size_t g = p->row_group[order[k]];
            if (group_fold[g] < 0) {
                group_fold[g] = next;
                next = (next + 1) % folds;
            }
        }
        for (size_t i = 0; i < p->n; i++)
            fold[i] = group_fold[p->row_group[p->row[i]]];
    }
    free(order);
    free(group_fold);
    if (!ok) {
        free(fold);
        return NULL;
    }
    return fold;
}

/* Progress of a batch of pair trainings: count, rate and the time left at that rate. */
typedef struct batch_progress {
    const cg_solver_options *so;
    const char *what;
    int total;
    double start;
} batch_progress;

static void report_done(const batch_progress *b, int done)
{
    if (!b->so->progress)
        return;
    double elapsed = cg_seconds_now() - b->start;
    char line[200];
    snprintf(line, sizeof line, "%s: %d/%d pair trainings done, %.2f/s, about %.0fs left", b->what, done, b->total,
             elapsed > 0 ? done / elapsed : 0, done > 0 ? elapsed * (b->total - done) / done : 0);
    b->so->progress(b->so->progress_ctx, line);
}

typedef struct cv_job {
    const cg_problem *p;
    const cg_setting *settings;
    const int *fold;
    int folds;
    const int *order; /* the tasks, longest first */
    const cg_solver_options *so;
    double *decision; /* shared with the workers */
    batch_progress progress;
} cv_job;

/* Task t: setting t / (folds * 3), fold (t / 3) % folds, pair t % 3. */
static cg_status cv_task(void *ctx, int run)
{
    const cv_job *job = ctx;
    const cg_problem *p = job->p;
    int t = job->order[run];
    int pair = t % CG_NUM_PAIRS, f = (t / CG_NUM_PAIRS) % job->folds, s = t / (CG_NUM_PAIRS * job->folds);
    const cg_setting *set = &job->settings[s];
    unsigned char *in_training = malloc(p->n + 1);
    double *w = malloc(((size_t)p->dim + 1) * sizeof *w);
    cg_status st = in_training && w ? CG_OK : CG_ERR_NOMEM;
    if (st == CG_OK) {
        for (size_t i = 0; i < p->n; i++)
            in_training[i] = job->fold[i] != f;
        cg_pair_task task = {p, in_training, pair, set->c, {1, 1, 1}, job->so->solver, job->so->eps};
        if (set->weighted)
            cg_balanced_weights(p, in_training, task.class_weight);
        double rho;
        st = cg_train_pair(&task, w, &rho);
        for (size_t i = 0; st == CG_OK && i < p->n; i++)
            if (!in_training[i])
                job->decision[((size_t)s * p->n + i) * CG_NUM_PAIRS + pair] = cg_pair_decision(w, rho, p->x[i], p->dim);
    }
    free(in_training);
    free(w);
    return st;
}

static void cv_done(void *ctx, int task, int done)
{
    (void)task;
    report_done(&((cv_job *)ctx)->progress, done);
}

/* The dual solver's time grows with the pair's vectors and with C: running the longest trainings
 * first keeps the workers busy to the end instead of leaving one long training for last. */
typedef struct task_cost {
    double cost;
    int task;
} task_cost;

static int by_cost_descending(const void *a, const void *b)
{
    const task_cost *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? 1 : -1;
    return x->task - y->task;
}

static int *longest_first(const cg_problem *p, const cg_setting *settings, int n_tasks, int folds)
{
    size_t count[3] = {0};
    for (size_t i = 0; i < p->n; i++)
        count[(int)p->y[i]]++;
    task_cost *tc = malloc((size_t)n_tasks * sizeof *tc);
    int *order = malloc((size_t)n_tasks * sizeof *order);
    if (!tc || !order) {
        free(tc);
        free(order);
        return NULL;
    }
    for (int t = 0; t < n_tasks; t++) {
        int pair = t % CG_NUM_PAIRS;
        double c = settings[t / (CG_NUM_PAIRS * folds)].c;
        tc[t] = (task_cost){c * (double)(count[cg_pair_class[pair][0]] + count[cg_pair_class[pair][1]]), t};
    }
    qsort(tc, (size_t)n_tasks, sizeof *tc, by_cost_descending);
    for (int t = 0; t < n_tasks; t++)
        order[t] = tc[t].task;
    free(tc);
    return order;
}

cg_status cg_cross_validate(const cg_problem *p, const cg_setting *settings, int n_settings, int folds,
                            const cg_solver_options *so, cg_confusion *confusion, double *decision)
{
    size_t bytes = (size_t)n_settings * p->n * CG_NUM_PAIRS * sizeof *decision;
    int n_tasks = n_settings * folds * CG_NUM_PAIRS;
    int *fold = assign_folds(p, folds, so->seed), *order = longest_first(p, settings, n_tasks, folds);
    double *shared = cg_shared_alloc(bytes);
    if (!fold || !order || !shared) {
        free(fold);
        free(order);
        cg_shared_free(shared, bytes);
        return CG_ERR_NOMEM;
    }
    cv_job job = {p, settings, fold, folds, order, so, shared, {so, "cross-validation", n_tasks, cg_seconds_now()}};
    cg_status st = cg_run_tasks(n_tasks, so->workers, so->seed, cv_task, cv_done, &job);
    if (st == CG_OK) {
        memcpy(decision, shared, bytes);
        for (int s = 0; s < n_settings; s++) {
            memset(&confusion[s], 0, sizeof confusion[s]);
            for (size_t i = 0; i < p->n; i++)
                if (!p->is_derived[i])
                    cg_confusion_add(&confusion[s], (cg_label)p->y[i],
                                     cg_vote(decision + ((size_t)s * p->n + i) * CG_NUM_PAIRS));
        }
    }
    free(fold);
    free(order);
    cg_shared_free(shared, bytes);
    return st;
}

typedef struct final_job {
    const cg_problem *p;
    const cg_setting *setting;
    const cg_solver_options *so;
    const unsigned char *all;
    int order[CG_NUM_PAIRS]; /* the pairs, largest first (see longest_first) */
    double *w;   /* shared: the pairs' weights, as in cg_linear_model */
    double *rho; /* shared */
    batch_progress progress;
} final_job;

static cg_status final_task(void *ctx, int run)
{
    const final_job *job = ctx;
    int pair = job->order[run];
    cg_pair_task task = {job->p, job->all, pair, job->setting->c, {1, 1, 1}, job->so->solver, job->so->eps};
    if (job->setting->weighted)
        cg_balanced_weights(job->p, NULL, task.class_weight);
    return cg_train_pair(&task, job->w + (size_t)pair * ((size_t)job->p->dim + 1), &job->rho[pair]);
}

static void final_done(void *ctx, int task, int done)
{
    (void)task;
    report_done(&((final_job *)ctx)->progress, done);
}

cg_status cg_train_final(const cg_problem *p, const cg_setting *s, const cg_solver_options *so, cg_linear_model *m)
{
    cg_status st = cg_linear_model_init(m, p->dim);
    size_t w_bytes = (size_t)CG_NUM_PAIRS * ((size_t)p->dim + 1) * sizeof *m->w;
    size_t bytes = w_bytes + CG_NUM_PAIRS * sizeof(double);
    double *shared = st == CG_OK ? cg_shared_alloc(bytes) : NULL;
    unsigned char *all = malloc(p->n + 1);
    if (!shared || !all) {
        cg_shared_free(shared, bytes);
        free(all);
        cg_linear_model_free(m);
        return CG_ERR_NOMEM;
    }
    memset(all, 1, p->n + 1);
    final_job job = {p, s, so, all, {0}, shared, shared + w_bytes / sizeof *shared,
                     {so, "final training", CG_NUM_PAIRS, cg_seconds_now()}};
    int *order = longest_first(p, s, CG_NUM_PAIRS, 1);
    if (!order) {
        cg_shared_free(shared, bytes);
        free(all);
        cg_linear_model_free(m);
        return CG_ERR_NOMEM;
    }
    memcpy(job.order, order, sizeof job.order);
    free(order);
    /* Its own seeds: the final pairs do not replay a fold's shuffles. */
    st = cg_run_tasks(CG_NUM_PAIRS, so->workers, so->seed ^ 0x5bd1e995u, final_task, final_done, &job);
    if (st == CG_OK) {
        memcpy(m->w, job.w, w_bytes);
        memcpy(m->rho, job.rho, sizeof m->rho);
    } else {
        cg_linear_model_free(m);
    }
    cg_shared_free(shared, bytes);
    free(all);
    return st;
}
