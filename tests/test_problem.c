/*
 * test_problem.c - training vectors from a labelled dataset (training/problem.c): the rows as
 * given, their article-less copies, and comments under another thread's article.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <string.h>

#include "dataset.h"
#include "problem.h"

static cg_dataset ds;

static void load(void)
{
    char err[512] = "";
    cr_assert_eq(cg_dataset_load(CG_TRAIN_FIXTURE, &ds, err, sizeof err), CG_OK, "%s", err);
}

static void unload(void)
{
    cg_dataset_free(&ds);
}

TestSuite(problem, .init = load, .fini = unload);

static size_t rows_with_article(int label)
{
    size_t n = 0;
    for (size_t r = 0; r < ds.n; r++)
        if (ds.rows[r].article && (label < 0 || (int)ds.rows[r].label == label))
            n++;
    return n;
}

static void build(double copies, double mismatched, cg_problem *p, cg_extractor_config *config)
{
    cg_extractor_config_default(config);
    cg_problem_options opt = {copies, mismatched, CG_TRAIN_SEED, 0, 0};
    char err[512] = "";
    cr_assert_eq(cg_problem_build(config, &ds, &opt, p, err, sizeof err), CG_OK, "%s", err);
}

/* The number of nodes of x in the hashed block, and whether two vectors agree there. */
static size_t hashed_nodes(const struct svm_node *x, const cg_extractor_config *c)
{
    size_t n = 0;
    while (x[n].index != -1 && x[n].index < cg_signal_base(c))
        n++;
    return n;
}

static int same_prefix(const struct svm_node *a, const struct svm_node *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].index != b[i].index || a[i].value != b[i].value)
            return 0;
    return 1;
}

Test(problem, rows_and_article_less_copies)
{
    cg_problem p;
    cg_extractor_config c;
    build(1.0, 0.0, &p, &c);
    size_t with = rows_with_article(-1);
    cr_assert_gt(with, 0);
    cr_assert_eq(p.n, ds.n + with);
    size_t derived = 0;
    for (size_t i = 0; i < p.n; i++) {
        cr_assert_eq(p.y[i], (double)ds.rows[p.row[i]].label);
        derived += p.is_derived[i];
    }
    cr_expect_eq(derived, with);
    cg_problem_free(&p);
}

Test(problem, mismatched_articles_make_off_topic_pairs)
{
    cg_problem p, base;
    cg_extractor_config c, cb;
    build(0.0, 1.0, &p, &c);
    build(0.0, 0.0, &base, &cb);
    size_t on_topic = rows_with_article(CG_ON_TOPIC);
    cr_assert_gt(on_topic, 0);
    cr_assert_eq(base.n, ds.n);
    cr_assert_eq(p.n, ds.n + on_topic, "one pair for each on-topic row with an article");
    /* The relevance centre comes from the rows as given, not from the made-up pairs. */
    for (int k = 0; k < CG_NUM_RELEVANCE; k++)
        cr_expect_eq(c.relevance_center[k], cb.relevance_center[k]);
    size_t pairs = 0, rel_differs = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (!p.is_derived[i])
            continue;
        pairs++;
        size_t r = p.row[i];
        cr_assert_eq(ds.rows[r].label, CG_ON_TOPIC);
        cr_assert_not_null(ds.rows[r].article);
        cr_expect_eq(p.y[i], (double)CG_OFF_TOPIC);
        /* The same comment (same hashed block) as its row's own vector, judged against another article. */
        const struct svm_node *own = base.x[r], *moved = p.x[i];
        size_t n = hashed_nodes(own, &c);
        cr_expect_eq(hashed_nodes(moved, &c), n);
        cr_expect(same_prefix(own, moved, n));
        int k = 0;
        while (own[k].index != -1 && moved[k].index != -1 && own[k].index == moved[k].index &&
               own[k].value == moved[k].value)
            k++;
        rel_differs += own[k].index != -1 || moved[k].index != -1;
    }
    cr_expect_eq(pairs, on_topic);
    cr_expect_gt(rel_differs, 0, "no pair differs from its row: the article was not replaced");
    cg_problem_free(&p);
    cg_problem_free(&base);
}

Test(problem, shares_draw_rows_independently)
{
    /* Asking for mismatched pairs does not change which rows get article-less copies. */
    cg_problem a, b;
    cg_extractor_config ca, cb;
    build(0.5, 0.0, &a, &ca);
    build(0.5, 1.0, &b, &cb);
    size_t ia = 0;
    for (size_t ib = 0; ib < b.n; ib++) {
        if (b.is_derived[ib] && b.y[ib] == (double)CG_OFF_TOPIC && ds.rows[b.row[ib]].label == CG_ON_TOPIC)
            continue; /* a mismatched pair */
        cr_assert_lt(ia, a.n);
        cr_expect_eq(a.row[ia], b.row[ib]);
        cr_expect_eq(a.is_derived[ia], b.is_derived[ib]);
        ia++;
    }
    cr_expect_eq(ia, a.n);
    cg_problem_free(&a);
    cg_problem_free(&b);
}

Test(problem, samples_keep_threads_whole_and_share_the_vectors)
{
    cg_problem p, s;
    cg_extractor_config c;
    build(1.0, 0.0, &p, &c);
    cr_assert_eq(cg_problem_sample(&p, p.n_rows / 2, CG_TRAIN_SEED, &s), CG_OK);
    cr_expect_gt(s.n_rows, 0);
    cr_expect_lt(s.n_rows, p.n_rows);
    /* Every vector of the view is one of p's, and its row's group is a row of the view. */
    size_t seen_rows = 0;
    for (size_t i = 0; i < s.n; i++) {
        size_t j = 0;
        while (j < p.n && p.x[j] != s.x[i])
            j++;
        cr_assert_lt(j, p.n, "vector %zu of the view is not p's", i);
        cr_expect_eq(s.y[i], p.y[j]);
        cr_expect_eq(s.is_derived[i], p.is_derived[j]);
        cr_assert_lt(s.row[i], s.n_rows);
        cr_assert_leq(s.row_group[s.row[i]], s.row[i]);
        seen_rows += !s.is_derived[i];
    }
    cr_expect_eq(seen_rows, s.n_rows, "each kept row brings its own vector");
    /* A thread is kept whole: a row is in the view exactly when the first row of its article is. */
    unsigned char *kept = calloc(p.n_rows, 1);
    for (size_t j = 0; j < p.n; j++)
        for (size_t i = 0; i < s.n; i++)
            if (!p.is_derived[j] && s.x[i] == p.x[j])
                kept[p.row[j]] = 1;
    size_t threads_split = 0, rows_in_threads = 0;
    for (size_t r = 0; r < p.n_rows; r++) {
        threads_split += kept[r] != kept[p.row_group[r]];
        rows_in_threads += p.row_group[r] != r;
    }
    cr_assert_gt(rows_in_threads, 0, "the fixture has threads");
    cr_expect_eq(threads_split, 0);
    free(kept);
    cg_problem all;
    cr_assert_eq(cg_problem_sample(&p, p.n_rows, CG_TRAIN_SEED, &all), CG_OK);
    cr_expect_eq(all.n, p.n, "a sample of every row is the whole problem");
    cg_problem_free(&all);
    cg_problem_free(&s);
    cg_problem_free(&p);
}
