/* search.c - the precomputed kernel, cross-validation and the C search. */
#define _GNU_SOURCE /* madvise */
#include "search.h"

#include <pthread.h>
#include <sys/mman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double cg_kernel_bytes(size_t n)
{
    return (double)n * (double)(n + 2) * sizeof(struct svm_node);
}

/* The vectors by feature: for each feature index, the vectors that have it, in ascending order,
 * with their values. Dot products then cost only the features two vectors share. */
typedef struct postings {
    size_t *start; /* entries of feature f: start[f] .. start[f + 1] - 1 */
    uint32_t *vector;
    double *value;
} postings;

static int build_postings(const cg_problem *p, postings *pl)
{
    int dim = 0;
    size_t nnz = 0;
    for (size_t i = 0; i < p->n; i++)
        for (const struct svm_node *x = p->x[i]; x->index != -1; x++, nnz++)
            if (x->index > dim)
                dim = x->index;
    pl->start = calloc((size_t)dim + 2, sizeof *pl->start);
    pl->vector = malloc((nnz + 1) * sizeof *pl->vector);
    pl->value = malloc((nnz + 1) * sizeof *pl->value);
    if (!pl->start || !pl->vector || !pl->value)
        return 0;
    for (size_t i = 0; i < p->n; i++)
        for (const struct svm_node *x = p->x[i]; x->index != -1; x++)
            pl->start[x->index + 1]++;
    for (int f = 1; f <= dim + 1; f++)
        pl->start[f] += pl->start[f - 1];
    size_t *fill = malloc(((size_t)dim + 1) * sizeof *fill);
    if (!fill)
        return 0;
    memcpy(fill, pl->start, ((size_t)dim + 1) * sizeof *fill);
    for (size_t i = 0; i < p->n; i++)
        for (const struct svm_node *x = p->x[i]; x->index != -1; x++) {
            size_t k = fill[x->index]++;
            pl->vector[k] = (uint32_t)i;
            pl->value[k] = x->value;
        }
    free(fill);
    return 1;
}

static void free_postings(postings *pl)
{
    free(pl->start);
    free(pl->vector);
    free(pl->value);
}

typedef struct kernel_job {
    const cg_problem *p;
    const postings *pl;
    cg_kernel *k;
    int thread, threads;
    int failed;
} kernel_job;

/* Row i gets K(i, j) for j <= i; rows are dealt out round-robin so that each thread gets a fair
 * share of the triangle. The upper triangle is filled afterwards, by transposing. */
static void *kernel_worker(void *arg)
{
    kernel_job *job = arg;
    const cg_problem *p = job->p;
    const postings *pl = job->pl;
    double *acc = calloc(p->n, sizeof *acc);
    if (!acc) {
        job->failed = 1;
        return NULL;
    }
    for (size_t i = (size_t)job->thread; i < p->n; i += (size_t)job->threads) {
        for (const struct svm_node *x = p->x[i]; x->index != -1; x++)
            for (size_t e = pl->start[x->index]; e < pl->start[x->index + 1] && pl->vector[e] <= i; e++)
                acc[pl->vector[e]] += x->value * pl->value[e];
        struct svm_node *row = job->k->rows[i];
        for (size_t j = 0; j <= i; j++) {
            row[j + 1].value = acc[j];
            acc[j] = 0;
        }
    }
    free(acc);
    return NULL;
}

/* The matrix in 2 MiB pages where the kernel allows: libsvm reads one element of each of
 * thousands of rows per kernel column, and with 4 KiB pages nearly every read also misses the TLB. */
static void *allocate_huge(size_t bytes)
{
    enum { HUGE_PAGE = 2 * 1024 * 1024 };
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
        return NULL;
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;
}

/* Copy the lower triangle to the upper one, in tiles that stay in cache. */
static void mirror(cg_kernel *k)
{
    enum { TILE = 64 };
    for (size_t bi = 0; bi < k->n; bi += TILE)
        for (size_t bj = 0; bj <= bi; bj += TILE)
            for (size_t i = bi; i < bi + TILE && i < k->n; i++)
                for (size_t j = bj; j < bj + TILE && j < i; j++)
                    k->rows[j][i + 1].value = k->rows[i][j + 1].value;
}

cg_status cg_kernel_build(const cg_problem *p, int threads, cg_kernel *out)
{
    memset(out, 0, sizeof *out);
    size_t n = p->n, width = n + 2;
    postings pl = {0};
    out->rows = malloc(n * sizeof *out->rows);
    out->space = allocate_huge(n * width * sizeof *out->space);
    if (!out->rows || !out->space || !build_postings(p, &pl)) {
        free_postings(&pl);
        cg_kernel_free(out);
        return CG_ERR_NOMEM;
    }
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        struct svm_node *row = out->space + i * width;
        out->rows[i] = row;
        row[0].index = 0;
        row[0].value = (double)(i + 1);
        for (size_t j = 1; j <= n; j++)
            row[j].index = (int)j;
        row[n + 1].index = -1;
    }
    if (threads < 1)
        threads = 1;
    kernel_job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    int failed = !jobs || !tids;
    for (int t = 0; !failed && t < threads; t++) {
        jobs[t] = (kernel_job){p, &pl, out, t, threads, 0};
        if (pthread_create(&tids[t], NULL, kernel_worker, &jobs[t]) != 0) {
            kernel_worker(&jobs[t]); /* no thread to be had: do its share here */
            tids[t] = 0;
        }
    }
    for (int t = 0; !failed && t < threads; t++) {
        if (tids[t])
            pthread_join(tids[t], NULL);
        failed |= jobs[t].failed;
    }
    free(jobs);
    free(tids);
    free_postings(&pl);
    if (failed) {
        cg_kernel_free(out);
        return CG_ERR_NOMEM;
    }
    mirror(out);
    return CG_OK;
}

void cg_kernel_free(cg_kernel *k)
{
    free(k->rows);
    free(k->space);
    memset(k, 0, sizeof *k);
}

void cg_setting_parameter(const cg_setting *s, const cg_problem *p, int precomputed, int probability,
                          int weight_labels[3], double weight_store[3], struct svm_parameter *param)
{
    memset(param, 0, sizeof *param);
    param->svm_type = C_SVC;
    param->kernel_type = precomputed ? PRECOMPUTED : LINEAR;
    /* Larger caches make libsvm slower here: shrinking walks every cached column on each swap. */
    param->cache_size = 256;
    param->eps = 1e-3;
    param->C = s->c;
    param->shrinking = 1;
    param->probability = probability;
    if (s->weighted) {
        size_t count[3] = {0};
        for (size_t i = 0; i < p->n; i++)
            count[(int)p->y[i]]++;
        for (int c = 0; c < 3; c++) {
            weight_labels[c] = c;
            weight_store[c] = count[c] ? (double)p->n / (3.0 * (double)count[c]) : 1.0;
        }
        param->nr_weight = 3;
        param->weight_label = weight_labels;
        param->weight = weight_store;
    }
}

/* Pair p of classes (i, j), i < j, in libsvm's order of a model's classes. */
static int pair_index(int i, int j)
{
    return i == 0 ? j - 1 : 2;
}

void cg_canonical_pairs(const int *label, int nr_class, const double *dec, double *canonical)
{
    /* A fold of a tiny data set may lack a class: its pairs then go to the class that is there. */
    enum { ABSENT = -1, DECISIVE = 10 };
    int position[3] = {ABSENT, ABSENT, ABSENT};
    for (int i = 0; i < nr_class; i++)
        position[label[i]] = i;
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++) {
            int pa = position[a], pb = position[b];
            double v;
            if (pa == ABSENT || pb == ABSENT)
                v = pa == pb ? 0 : pa == ABSENT ? -DECISIVE : DECISIVE;
            else if (nr_class == 2)
                v = pa < pb ? dec[0] : -dec[0];
            else
                v = pa < pb ? dec[pair_index(pa, pb)] : -dec[pair_index(pb, pa)];
            canonical[pair_index(a, b)] = v;
        }
}

void cg_model_pairs(const int label[3], const double *canonical, double *dec)
{
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++) {
            int a = label[i], b = label[j];
            dec[pair_index(i, j)] = a < b ? canonical[pair_index(a, b)] : -canonical[pair_index(b, a)];
        }
}

struct svm_node **cg_training_vectors(const cg_problem *p, const cg_kernel *k)
{
    return k ? k->rows : p->x;
}

typedef struct article_row {
    const char *article;
    size_t row;
} article_row;

static int compare_article_rows(const void *a, const void *b)
{
    const article_row *x = a, *y = b;
    if (x->article != y->article)
        return (uintptr_t)x->article < (uintptr_t)y->article ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* group[r]: the first row with the same article (rows of one thread share the article string), or
 * r itself for a row without one. */
static int group_rows(const cg_dataset *ds, size_t *group)
{
    article_row *ar = malloc((ds->n + 1) * sizeof *ar);
    if (!ar)
        return 0;
    size_t n = 0;
    for (size_t r = 0; r < ds->n; r++) {
        group[r] = r;
        if (ds->rows[r].article)
            ar[n++] = (article_row){ds->rows[r].article, r};
    }
    qsort(ar, n, sizeof *ar, compare_article_rows);
    for (size_t i = 1; i < n; i++)
        if (ar[i].article == ar[i - 1].article)
            group[ar[i].row] = group[ar[i - 1].row];
    free(ar);
    return 1;
}

/* Fold of each vector: rows sharing an article form one group, and copies of a row share its
 * fold; rows are visited in an order shuffled with the seed and each new group takes the next
 * fold in turn. */
static int *assign_folds(const cg_problem *p, const cg_dataset *ds, int folds, unsigned seed)
{
    size_t n_rows = ds->n;
    size_t *group = malloc(n_rows * sizeof *group);
    size_t *order = malloc(n_rows * sizeof *order);
    int *group_fold = malloc(n_rows * sizeof *group_fold);
    int *fold = malloc(p->n * sizeof *fold);
    int ok = group && order && group_fold && fold && group_rows(ds, group);
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
            size_t g = group[order[k]];
            if (group_fold[g] < 0) {
                group_fold[g] = next;
                next = (next + 1) % folds;
            }
        }
        for (size_t i = 0; i < p->n; i++)
            fold[i] = group_fold[group[p->row[i]]];
    }
    free(group);
    free(order);
    free(group_fold);
    if (!ok) {
        free(fold);
        return NULL;
    }
    return fold;
}

typedef struct cv_shared {
    const cg_problem *p;
    const cg_kernel *k;
    const cg_setting *settings;
    const int *fold;
    int folds, n_tasks;
    double *predicted; /* [setting][vector]: held-out prediction */
    double *decision;  /* [setting][vector][pair]: held-out decision values */
    pthread_mutex_t lock;
    int next_task, done_tasks, failed;
    cg_progress_fn progress;
    void *progress_ctx;
} cv_shared;

static int run_task(cv_shared *sh, int task)
{
    const cg_problem *p = sh->p;
    int s = task / sh->folds, f = task % sh->folds;
    struct svm_node **vectors = cg_training_vectors(p, sh->k);
    struct svm_problem sub = {0};
    sub.x = malloc(p->n * sizeof *sub.x);
    sub.y = malloc(p->n * sizeof *sub.y);
    if (!sub.x || !sub.y) {
        free(sub.x);
        free(sub.y);
        return 0;
    }
    for (size_t i = 0; i < p->n; i++)
        if (sh->fold[i] != f) {
            sub.x[sub.l] = vectors[i];
            sub.y[sub.l++] = p->y[i];
        }
    cg_problem held = *p; /* class counts for the weights come from the training part */
    held.n = (size_t)sub.l;
    held.y = sub.y;
    int labels[3];
    double weights[3];
    struct svm_parameter param;
    cg_setting_parameter(&sh->settings[s], &held, sh->k != NULL, 0, labels, weights, &param);
    struct svm_model *model = svm_train(&sub, &param);
    for (size_t i = 0; i < p->n; i++)
        if (sh->fold[i] == f) {
            size_t at = (size_t)s * p->n + i;
            double dec[3];
            sh->predicted[at] = svm_predict_values(model, vectors[i], dec);
            cg_canonical_pairs(model->label, model->nr_class, dec, sh->decision + 3 * at);
        }
    svm_free_and_destroy_model(&model);
    free(sub.x);
    free(sub.y);
    return 1;
}

static void *cv_worker(void *arg)
{
    cv_shared *sh = arg;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int task = sh->failed ? sh->n_tasks : sh->next_task++;
        pthread_mutex_unlock(&sh->lock);
        if (task >= sh->n_tasks)
            return NULL;
        int ok = run_task(sh, task);
        pthread_mutex_lock(&sh->lock);
        sh->failed |= !ok;
        int done = ++sh->done_tasks;
        if (sh->progress) {
            char line[160];
            const cg_setting *s = &sh->settings[task / sh->folds];
            snprintf(line, sizeof line, "cross-validation: %d/%d trainings done (last: C=%g, %s weights, fold %d)",
                     done, sh->n_tasks, s->c, s->weighted ? "balanced" : "equal", task % sh->folds + 1);
            sh->progress(sh->progress_ctx, line);
        }
        pthread_mutex_unlock(&sh->lock);
    }
}

cg_status cg_cross_validate(const cg_problem *p, const cg_dataset *ds, const cg_kernel *k, const cg_setting *settings,
                            int n_settings, int folds, unsigned seed, int threads, cg_progress_fn progress,
                            void *progress_ctx, cg_confusion *confusion, double *decision)
{
    cv_shared sh = {p, k, settings, NULL, folds, n_settings * folds, NULL, decision, PTHREAD_MUTEX_INITIALIZER,
                    0, 0, 0, progress, progress_ctx};
    int *fold = assign_folds(p, ds, folds, seed);
    sh.fold = fold;
    sh.predicted = malloc((size_t)n_settings * p->n * sizeof *sh.predicted);
    pthread_t *tids = calloc((size_t)(threads > 0 ? threads : 1), sizeof *tids);
    if (!fold || !sh.predicted || !tids) {
        free(fold);
        free(sh.predicted);
        free(tids);
        return CG_ERR_NOMEM;
    }
    int started = 0;
    for (int t = 0; t < threads; t++)
        if (pthread_create(&tids[started], NULL, cv_worker, &sh) == 0)
            started++;
    if (started == 0)
        cv_worker(&sh);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    if (!sh.failed)
        for (int s = 0; s < n_settings; s++) {
            memset(&confusion[s], 0, sizeof confusion[s]);
            for (size_t i = 0; i < p->n; i++)
                if (!p->is_derived[i])
                    cg_confusion_add(&confusion[s], (cg_label)p->y[i], (cg_label)sh.predicted[(size_t)s * p->n + i]);
        }
    free(fold);
    free(sh.predicted);
    free(tids);
    pthread_mutex_destroy(&sh.lock);
    return sh.failed ? CG_ERR_NOMEM : CG_OK;
}
