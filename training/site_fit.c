/* site_fit.c - fitting the site model on some of a site's rows, and choosing its blend and
 * decision rule by cross-validation within them (site_fit.h). */
#include "site_fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "decide.h"

/* splitmix64: the folds' own generator, so that they do not depend on rand()'s state. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void shuffle(size_t *a, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_random(state) % i), t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static int used(const unsigned char *use, size_t i)
{
    return !use || use[i];
}

static void grouped_folds(const cg_site_data *d, const unsigned char *use, int k, uint64_t *state, int *fold,
                          size_t *groups)
{
    const cg_problem *p = &d->p;
    size_t n_groups = 0, total[CG_NUM_CLASSES] = {0};
    for (size_t i = 0; i < p->n; i++)
        if (used(use, i)) {
            total[(int)p->y[i]]++;
            if (p->row_group[i] == i || !used(use, p->row_group[i]))
                groups[n_groups++] = i; /* the group's first used row stands for it */
        }
    shuffle(groups, n_groups, state);
    size_t per_fold[64][CG_NUM_CLASSES] = {{0}};
    for (size_t g = 0; g < n_groups; g++) {
        size_t id = p->row_group[groups[g]], count[CG_NUM_CLASSES] = {0};
        for (size_t i = 0; i < p->n; i++)
            if (used(use, i) && p->row_group[i] == id)
                count[(int)p->y[i]]++;
        int main_class = 0;
        for (int c = 1; c < CG_NUM_CLASSES; c++)
            if (total[c] && (double)count[c] / (double)total[c] > (double)count[main_class] / (double)total[main_class])
                main_class = c;
        int best = 0;
        for (int f = 1; f < k; f++)
            if (per_fold[f][main_class] < per_fold[best][main_class])
                best = f;
        for (int c = 0; c < CG_NUM_CLASSES; c++)
            per_fold[best][c] += count[c];
        for (size_t i = 0; i < p->n; i++)
            if (used(use, i) && p->row_group[i] == id)
                fold[i] = best;
    }
}

void cg_site_folds(const cg_site_data *d, const unsigned char *use, int k, int grouped, uint64_t seed, int *fold)
{
    const cg_problem *p = &d->p;
    uint64_t state = seed * 0x2545f4914f6cdd1dull + 1;
    size_t *order = malloc((p->n + 1) * sizeof *order);
    for (size_t i = 0; i < p->n; i++)
        fold[i] = -1;
    if (!order || k < 2 || k > 64) { /* no room or no folds: everything in fold 0 */
        for (size_t i = 0; i < p->n; i++)
            fold[i] = used(use, i) ? 0 : -1;
        free(order);
        return;
    }
    if (grouped) {
        grouped_folds(d, use, k, &state, fold, order);
    } else {
        size_t next = 0;
        for (int c = 0; c < CG_NUM_CLASSES; c++) {
            size_t m = 0;
            for (size_t i = 0; i < p->n; i++)
                if (used(use, i) && (int)p->y[i] == c)
                    order[m++] = i;
            shuffle(order, m, &state);
            for (size_t j = 0; j < m; j++)
                fold[order[j]] = (int)(next++ % (size_t)k);
        }
    }
    free(order);
}

/* Train the three pairs on the rows with in_training (balanced class weights over them); a pair
 * lacking one of its classes is decided for the other (cg_train_pair). */
static cg_status train_model(const cg_site_data *d, const unsigned char *in_training, const cg_site_fit_options *o,
                             unsigned seed, cg_linear_model *m)
{
    const cg_problem *p = &d->p;
    size_t count[CG_NUM_CLASSES] = {0}, n = 0;
    for (size_t i = 0; i < p->n; i++)
        if (in_training[i]) {
            count[(int)p->y[i]]++;
            n++;
        }
    int classes = (count[0] > 0) + (count[1] > 0) + (count[2] > 0);
    cg_pair_task t = {.p = p, .in_training = in_training, .c = o->c, .solver = o->solver, .eps = o->eps};
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        t.class_weight[c] = count[c] ? (double)n / ((double)classes * (double)count[c]) : 1.0;
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++) {
        t.pair = pair;
        srand(seed * 3u + (unsigned)pair); /* liblinear shuffles with rand() */
        cg_status st = cg_train_pair(&t, cg_pair_weights(m, pair), &m->rho[pair]);
        if (st != CG_OK)
            return st;
    }
    return CG_OK;
}

/* A pair with a class the site has no rows of: P(the site's class) = 1, whatever the vector. */
static void decide_foreign_pairs(const cg_site_data *d, cg_linear_model *m)
{
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++) {
        int a = cg_pair_class[pair][0], b = cg_pair_class[pair][1];
        if (d->has_class[a] && d->has_class[b])
            continue;
        m->prob_a[pair] = 0;
        m->prob_b[pair] = d->has_class[a] ? -30 : 30; /* P(a) = 1 / (1 + exp(prob_b)) */
    }
}

void cg_site_guard_sigmoids(const cg_site_data *d, const size_t count[CG_NUM_CLASSES], cg_linear_model *m)
{
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++) {
        int a = cg_pair_class[pair][0], b = cg_pair_class[pair][1];
        if (!d->has_class[a] || !d->has_class[b] || m->prob_a[pair] < 0)
            continue;
        m->prob_a[pair] = 0; /* P(a) = 1 / (1 + exp(prob_b)): the pair's prior, Laplace-smoothed */
        m->prob_b[pair] = log(((double)count[b] + 1) / ((double)count[a] + 1));
    }
}

int cg_site_has_evidence(const cg_site_data *d, const cg_linear_model *m)
{
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++)
        if (d->has_class[cg_pair_class[pair][0]] && d->has_class[cg_pair_class[pair][1]] && m->prob_a[pair] < 0)
            return 1;
    return 0;
}

/* How well combined held-out probabilities prob[j * 3 + c] of rows[j] fit: the ROC-AUC of 1 - P(on-topic)
 * for the rows not on-topic, or the mean log-likelihood of the true class without on-topic rows. */
static double criterion(const cg_site_data *d, const size_t *rows, size_t n, const double *prob, int *positive,
                        double *score)
{
    if (!d->has_class[CG_ON_TOPIC]) {
        double sum = 0;
        for (size_t j = 0; j < n; j++)
            sum += log(fmax(prob[3 * j + (int)d->p.y[rows[j]]], 1e-300));
        return sum / (double)n;
    }
    for (size_t j = 0; j < n; j++) {
        positive[j] = (int)d->p.y[rows[j]] != CG_ON_TOPIC;
        score[j] = 1 - prob[3 * j + CG_ON_TOPIC];
    }
    double auc = cg_roc_auc(positive, score, n);
    return isnan(auc) ? 0 : auc;
}

typedef struct held_out {
    const cg_site_data *d;
    const size_t *rows; /* the rows fitted on */
    size_t n;
    const double *site; /* their held-out site probabilities, [j * 3 + c] */
    double *combined;   /* room for [n * 3] */
    int *positive;
    double *score;
} held_out;

static void combine_all(const held_out *h, const cg_site_params *params)
{
    for (size_t j = 0; j < h->n; j++)
        cg_site_combine(params, h->d->base_prob + 3 * h->rows[j], h->site + 3 * j, h->combined + 3 * j);
}

static double choose_blend(const held_out *h, cg_site_params *params)
{
    double best = -INFINITY, best_w = 0;
    for (int s = 0; s < CG_SITE_BLEND_STEPS; s++) {
        params->blend = (double)s / (CG_SITE_BLEND_STEPS - 1);
        combine_all(h, params);
        double value = criterion(h->d, h->rows, h->n, h->combined, h->positive, h->score);
        if (value > best + 1e-12) {
            best = value;
            best_w = params->blend;
        }
    }
    return best_w;
}

/* The decision rule: one weight v on the site's classes other than on-topic (site_fit.h). */
static void choose_rule(const held_out *h, cg_site_params *params, double hold_target)
{
    const cg_site_data *d = h->d;
    if (!d->has_class[CG_ON_TOPIC])
        return;
    static const int order[CG_NUM_CLASSES] = {0, 1, 2};
    static const double ones[CG_NUM_CLASSES] = {1, 1, 1}; /* the base's rule: its weights are in its sigmoids */
    double best_v = -1, best_caught = -1;
    combine_all(h, params);
    for (int k = -8; k <= 16; k++) {
        double v = pow(2, k / 4.0);
        for (int c = 1; c < CG_NUM_CLASSES; c++)
            params->class_weight[c] = d->has_class[c] ? v : 1;
        size_t on = 0, held = 0, bad = 0, caught = 0;
        for (size_t j = 0; j < h->n; j++) {
            int gold = (int)d->p.y[h->rows[j]];
            int label = cg_site_decide(params, d->base_prob + 3 * h->rows[j], ones, h->combined + 3 * j, order);
            if (gold == CG_ON_TOPIC) {
                on++;
                held += label != CG_ON_TOPIC;
            } else {
                bad++;
                caught += label != CG_ON_TOPIC;
            }
        }
        double held_share = on ? (double)held / (double)on : 0, caught_share = bad ? (double)caught / (double)bad : 0;
        if (held_share <= hold_target && caught_share > best_caught) {
            best_caught = caught_share;
            best_v = v;
        }
    }
    if (best_v < 0)
        best_v = pow(2, -8 / 4.0);
    for (int c = 1; c < CG_NUM_CLASSES; c++)
        params->class_weight[c] = d->has_class[c] ? best_v : 1;
}

/* Each fitted row's held-out site decision values, by the inner cross-validation. */
static cg_status inner_decisions(const cg_site_data *d, const unsigned char *use, const cg_site_fit_options *o,
                                 cg_linear_model *m, unsigned char *in_training, int *fold, double *dec)
{
    const cg_problem *p = &d->p;
    cg_site_folds(d, use, o->folds, 0, o->seed, fold);
    for (int f = 0; f < o->folds; f++) {
        size_t held = 0;
        for (size_t i = 0; i < p->n; i++) {
            in_training[i] = used(use, i) && fold[i] != f;
            held += fold[i] == f;
        }
        if (held == 0)
            continue;
        cg_status st = train_model(d, in_training, o, o->seed * 131u + (unsigned)f, m);
        if (st != CG_OK)
            return st;
        for (size_t i = 0; i < p->n; i++)
            if (fold[i] == f)
                cg_linear_decision(m, p->x[i], dec + 3 * i);
    }
    return CG_OK;
}

cg_status cg_site_fit_rows(const cg_site_data *d, const unsigned char *use, const cg_site_fit_options *o,
                           cg_site_fit *out)
{
    const cg_problem *p = &d->p;
    memset(out, 0, sizeof *out);
    size_t n = p->n + 1;
    size_t *rows = malloc(n * sizeof *rows);
    unsigned char *in_training = malloc(n);
    int *fold = malloc(n * sizeof *fold), *positive = malloc(n * sizeof *positive);
    double *dec = malloc(3 * n * sizeof *dec), *view_dec = malloc(3 * n * sizeof *view_dec);
    double *view_y = malloc(n * sizeof *view_y), *site = malloc(3 * n * sizeof *site);
    double *combined = malloc(3 * n * sizeof *combined), *score = malloc(n * sizeof *score);
    cg_status st = CG_ERR_NOMEM;
    if (rows && in_training && fold && positive && dec && view_dec && view_y && site && combined && score &&
        cg_linear_model_init(&out->m, p->dim) == CG_OK)
        st = inner_decisions(d, use, o, &out->m, in_training, fold, dec);
    size_t m = 0;
    if (st == CG_OK) {
        for (size_t i = 0; i < p->n; i++)
            if (used(use, i)) {
                rows[m] = i;
                view_y[m] = p->y[i];
                memcpy(view_dec + 3 * m, dec + 3 * i, 3 * sizeof *dec);
                in_training[i] = 1;
                m++;
            } else {
                in_training[i] = 0;
            }
        st = train_model(d, in_training, o, o->seed * 131u + 127u, &out->m);
    }
    if (st == CG_OK) {
        cg_problem view = {.n = m, .y = view_y};
        size_t count[CG_NUM_CLASSES] = {0};
        for (size_t j = 0; j < m; j++)
            count[(int)view_y[j]]++;
        if (!cg_fit_sigmoids(&view, view_dec, &out->m))
            st = CG_ERR_NOMEM;
        cg_site_guard_sigmoids(d, count, &out->m);
        decide_foreign_pairs(d, &out->m);
    }
    if (st == CG_OK) {
        cg_svm sigmoids = cg_linear_sigmoids(&out->m);
        for (size_t j = 0; j < m; j++)
            cg_svm_probabilities(&sigmoids, view_dec + 3 * j, site + 3 * j);
        held_out h = {d, rows, m, site, combined, positive, score};
        cg_site_params base = {.space = o->space, .unseen = o->unseen, .class_weight = {1, 1, 1}};
        memcpy(sigmoids.rho, out->m.rho, sizeof sigmoids.rho);
        cg_site_prior(&sigmoids, base.site_prior);
        memcpy(base.has_class, d->has_class, sizeof base.has_class);
        out->params = out->site_only = base;
        out->params.blend = o->blend >= 0                         ? o->blend
                            : cg_site_has_evidence(d, &out->m) ? choose_blend(&h, &out->params)
                                                                : 0;
        if (out->params.blend > 0)
            choose_rule(&h, &out->params, o->hold_target);
        out->site_only.blend = 1;
        out->site_only.space = CG_BLEND_LINEAR; /* w = 1 of the linear blend: the site model's own */
        choose_rule(&h, &out->site_only, o->hold_target);
    }
    free(rows);
    free(in_training);
    free(fold);
    free(positive);
    free(dec);
    free(view_dec);
    free(view_y);
    free(site);
    free(combined);
    free(score);
    if (st != CG_OK)
        cg_linear_model_free(&out->m);
    return st;
}

void cg_site_fit_free(cg_site_fit *f)
{
    cg_linear_model_free(&f->m);
}

void cg_site_fit_site_prob(const cg_site_fit *f, const cg_site_data *d, size_t i, double prob[CG_NUM_CLASSES])
{
    double dec[CG_NUM_PAIRS];
    cg_linear_decision(&f->m, d->p.x[i], dec);
    cg_svm sigmoids = cg_linear_sigmoids(&f->m);
    cg_svm_probabilities(&sigmoids, dec, prob);
}

void cg_site_fit_predict(const cg_site_fit *f, const cg_site_params *params, const cg_site_data *d, size_t i,
                         double prob[CG_NUM_CLASSES])
{
    double site[CG_NUM_CLASSES];
    cg_site_fit_site_prob(f, d, i, site);
    cg_site_combine(params, d->base_prob + 3 * i, site, prob);
}
