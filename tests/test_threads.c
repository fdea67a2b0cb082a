/*
 * test_threads.c - one cg_model shared by several threads (include/commentguard.h: "a cg_model is
 * immutable once cg_model_open returns, and may be used by any number of threads at once"; an
 * article is read-only and may be shared too).
 *
 * Four threads, each with its own workspace, classify every fixture comment (alone, and with its
 * article, the articles shared by all threads) 200 times and must get exactly the single-threaded
 * results; meanwhile another thread keeps opening and freeing other models of the same bundle and
 * classifying with them. Meant to be run under ThreadSanitizer as well (-DCG_SANITIZE=thread).
 * Worker threads only count; all assertions are made in the test's own thread.
 *
 * Criterion's runner itself crashes under ThreadSanitizer (Snaipe/Criterion#274: its sandbox arena
 * clashes with TSan's memory layout), so in a TSan build this file has its own main() that runs
 * the same checks without Criterion and exits non-zero on any problem.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "commentguard.h"

#define WORKERS 4
#define ROUNDS 200

typedef struct item {
    const char *text;
    size_t len;
    const cg_article *article;
    cg_result expected;
} item;

static char tmp[64];
static char *bundle_dir;
static cg_model *model;
static cg_dataset ds;
static item *items;
static size_t n_items;
static cg_article **articles;
static atomic_int workers_done;

typedef struct worker {
    pthread_t thread;
    int index;
    long classified, mismatches, errors;
    char first_problem[256];
} worker;

typedef struct opener {
    pthread_t thread;
    long opens, mismatches, errors;
    char first_problem[512];
} opener;

static pthread_barrier_t start;

static int same_result(const cg_result *a, const cg_result *b)
{
    return a->label == b->label && a->prob[0] == b->prob[0] && a->prob[1] == b->prob[1] && a->prob[2] == b->prob[2];
}

/* Train the bundle, open the shared model and work out the expected results single-threaded.
 * Returns NULL, or what went wrong (no Criterion assertions: main() uses this too). */
static const char *prepare(void)
{
    static char why[600];
    snprintf(tmp, sizeof tmp, "/tmp/cg_threads_XXXXXX");
    if (!mkdtemp(tmp))
        return "mkdtemp failed";
    bundle_dir = malloc(strlen(tmp) + 8);
    if (!bundle_dir)
        return "out of memory";
    sprintf(bundle_dir, "%s/bundle", tmp);
    cg_train_options opt;
    cgt_train_options(&opt, bundle_dir);
    cg_train_report report;
    char err[512] = "";
    cg_status st = cg_train_run(&opt, &report, err, sizeof err);
    cg_train_report_free(&report);
    if (st != CG_OK) {
        snprintf(why, sizeof why, "training failed: %s", err);
        return why;
    }
    if (cg_model_open(bundle_dir, &model, err, sizeof err) != CG_OK ||
        cg_dataset_load(CG_TRAIN_FIXTURE, &ds, err, sizeof err) != CG_OK) {
        snprintf(why, sizeof why, "%s", err);
        return why;
    }
    items = calloc(2 * ds.n, sizeof *items);
    articles = calloc(ds.n, sizeof *articles);
    cg_workspace *ws = NULL;
    if (!items || !articles || cg_workspace_new(model, &ws) != CG_OK)
        return "out of memory";
    for (size_t r = 0; r < ds.n; r++) {
        const cg_example *e = &ds.rows[r];
        items[n_items++] = (item){e->text, e->text_len, NULL, {0, {0}}};
        if (e->article) {
            if (cg_article_new(model, ws, e->article, e->article_len, &articles[r]) != CG_OK)
                return "cg_article_new failed";
            items[n_items++] = (item){e->text, e->text_len, articles[r], {0, {0}}};
        }
    }
    for (size_t i = 0; i < n_items; i++)
        if (cg_classify(model, ws, items[i].text, items[i].len, items[i].article, &items[i].expected) != CG_OK)
            return "cg_classify failed single-threaded";
    cg_workspace_free(ws);
    atomic_store(&workers_done, 0);
    return NULL;
}

static void setup(void)
{
    const char *why = prepare();
    cr_assert_null(why, "%s", why);
}

static void release(void)
{
    for (size_t r = 0; articles && r < ds.n; r++)
        cg_article_free(articles[r]);
    free(articles);
    free(items);
    cg_dataset_free(&ds);
    cg_model_free(model);
    cgt_remove_tree(tmp);
    free(bundle_dir);
}

static void teardown(void)
{
    release();
}

TestSuite(threads, .init = setup, .fini = teardown);

static void *work(void *arg)
{
    worker *w = arg;
    cg_workspace *ws = NULL;
    if (cg_workspace_new(model, &ws) != CG_OK) {
        w->errors++;
        snprintf(w->first_problem, sizeof w->first_problem, "cg_workspace_new failed");
    }
    pthread_barrier_wait(&start);
    for (int round = 0; ws && round < ROUNDS; round++)
        for (size_t k = 0; k < n_items; k++) {
            /* Each thread walks the items from another starting point. */
            const item *it = &items[(k + (size_t)round * 7 + (size_t)w->index * 13) % n_items];
            cg_result r;
            if (cg_classify(model, ws, it->text, it->len, it->article, &r) != CG_OK) {
                if (!w->errors++)
                    snprintf(w->first_problem, sizeof w->first_problem, "error: %s", cg_workspace_error(ws));
                continue;
            }
            w->classified++;
            if (!same_result(&r, &it->expected) && !w->mismatches++)
                snprintf(w->first_problem, sizeof w->first_problem, "\"%.60s\": %.17g %.17g %.17g", it->text,
                         r.prob[0], r.prob[1], r.prob[2]);
        }
    cg_workspace_free(ws);
    atomic_fetch_add(&workers_done, 1);
    return NULL;
}

/* Open and free models of the same bundle until the workers are done (at least three times),
 * classifying a few comments with each: a fresh model of the same bundle gives the same results.
 * One workspace serves all these models (it adapts to each). */
static void *open_and_free(void *arg)
{
    opener *o = arg;
    cg_workspace *ws = NULL;
    pthread_barrier_wait(&start);
    while (atomic_load(&workers_done) < WORKERS || o->opens < 3) {
        cg_model *m = NULL;
        char err[256] = "";
        if (cg_model_open(bundle_dir, &m, err, sizeof err) != CG_OK) {
            if (!o->errors++)
                snprintf(o->first_problem, sizeof o->first_problem, "cg_model_open: %s", err);
            if (o->errors > 100)
                break; /* it will not get better */
            continue;
        }
        o->opens++;
        if (!ws && cg_workspace_new(m, &ws) != CG_OK) {
            o->errors++;
            cg_model_free(m);
            break;
        }
        for (size_t k = 0; k < n_items; k += 9) {
            cg_result r;
            /* Only article-less items: an article belongs to the shared model. */
            if (items[k].article)
                continue;
            if (cg_classify(m, ws, items[k].text, items[k].len, NULL, &r) != CG_OK) {
                if (!o->errors++)
                    snprintf(o->first_problem, sizeof o->first_problem, "cg_classify: %s", cg_workspace_error(ws));
            } else if (!same_result(&r, &items[k].expected) && !o->mismatches++) {
                snprintf(o->first_problem, sizeof o->first_problem, "fresh model differs on \"%.60s\"", items[k].text);
            }
        }
        cg_model_free(m);
    }
    cg_workspace_free(ws);
    return NULL;
}

/* Run the workers and the opener; returns the number of problems, described in report. */
static int run_shared_model(char *report, size_t len)
{
    worker w[WORKERS];
    opener o;
    memset(w, 0, sizeof w);
    memset(&o, 0, sizeof o);
    atomic_store(&workers_done, 0);
    if (pthread_barrier_init(&start, NULL, WORKERS + 1) != 0) {
        snprintf(report, len, "pthread_barrier_init failed");
        return 1;
    }
    int started = 0;
    for (int t = 0; t < WORKERS; t++) {
        w[t].index = t;
        if (pthread_create(&w[t].thread, NULL, work, &w[t]) != 0) {
            snprintf(report, len, "pthread_create failed");
            return 1; /* the barrier would never open: give up */
        }
        started++;
    }
    if (pthread_create(&o.thread, NULL, open_and_free, &o) != 0) {
        snprintf(report, len, "pthread_create failed");
        return 1;
    }
    for (int t = 0; t < started; t++)
        pthread_join(w[t].thread, NULL);
    pthread_join(o.thread, NULL);
    pthread_barrier_destroy(&start);
    int problems = 0;
    size_t used = 0;
    report[0] = '\0';
#define SAY(...) (used += (size_t)snprintf(report + used, used < len ? len - used : 0, __VA_ARGS__))
    for (int t = 0; t < WORKERS; t++) {
        if (w[t].errors || w[t].mismatches || w[t].classified != (long)(ROUNDS * n_items)) {
            problems++;
            SAY("worker %d: %ld classified, %ld errors, %ld differing from single-threaded results; first: %s\n", t,
                w[t].classified, w[t].errors, w[t].mismatches, w[t].first_problem);
        }
    }
    if (o.errors || o.mismatches || o.opens < 3) {
        problems++;
        SAY("opener: %ld opens, %ld errors, %ld mismatches; first: %s\n", o.opens, o.errors, o.mismatches,
            o.first_problem);
    }
    if (!problems)
        SAY("%d workers x %d rounds x %zu comments, all as single-threaded; %ld models opened and freed meanwhile",
            WORKERS, ROUNDS, n_items, o.opens);
#undef SAY
    return problems;
}

Test(threads, shared_model_gives_single_threaded_results, .timeout = 280)
{
    char report[2048];
    int problems = run_shared_model(report, sizeof report);
    cr_expect_eq(problems, 0, "%s", report);
    cr_log_info("%s", report);
}

Test(threads, workspaces_of_one_thread_each_do_not_interfere, .timeout = 120)
{
    /* Two workspaces in one thread, interleaved, against the expected results: a workspace keeps
     * no state that leaks into another's result. */
    cg_workspace *a, *b;
    cr_assert_eq(cg_workspace_new(model, &a), CG_OK);
    cr_assert_eq(cg_workspace_new(model, &b), CG_OK);
    for (size_t k = 0; k < n_items; k++) {
        cg_result ra, rb;
        const item *x = &items[k], *y = &items[n_items - 1 - k];
        cr_assert_eq(cg_classify(model, a, x->text, x->len, x->article, &ra), CG_OK);
        cr_assert_eq(cg_classify(model, b, y->text, y->len, y->article, &rb), CG_OK);
        cr_expect(same_result(&ra, &x->expected), "item %zu", k);
        cr_expect(same_result(&rb, &y->expected), "item %zu", n_items - 1 - k);
    }
    cg_workspace_free(a);
    cg_workspace_free(b);
}

#if defined(__SANITIZE_THREAD__)
/* Without Criterion, for ThreadSanitizer builds (see the top of the file). */
int main(void)
{
    const char *why = prepare();
    if (why) {
        fprintf(stderr, "test_threads: setup failed: %s\n", why);
        return 1;
    }
    char report[2048];
    int problems = run_shared_model(report, sizeof report);
    printf("test_threads (without Criterion, ThreadSanitizer build): %s\n", report);
    release();
    return problems ? 1 : 0;
}
#endif
