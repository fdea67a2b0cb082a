/*
 * test_article_thread.c - cg_article_new_thread (src/article_thread.c) with the shipped default model:
 * the thread is read as the article and its comments joined by blank lines, nothing more; the
 * oldest comments give way at the size limit; its errors; and what it is for: under a post of a
 * title and a line, the topicality stage of models/default only sees what a post is about once its
 * thread is there.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "commentguard.h"

static cg_model *model;
static cg_workspace *ws;

static void setup(void)
{
    char err[256] = "";
    cr_assert_eq(cg_model_open(CG_MODEL_DIR, &model, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_workspace_new(model, &ws), CG_OK);
}

static void teardown(void)
{
    cg_workspace_free(ws);
    cg_model_free(model);
}

TestSuite(article_thread, .init = setup, .fini = teardown);

static const char title[] = "Pandas groupby tutorial. Learn how to split, apply and combine data with pandas.";
static const char *const thread[] = {
    "Great tutorial! I used groupby with agg to sum sales per region and it worked on my CSV file.",
    "How do I group by month when the dates are strings? I tried pd.to_datetime on the column first.",
    "You can pass a list of columns to groupby, then call reset_index to get a flat dataframe back.",
    "Is transform faster than apply for normalising each group? My dataframe has two million rows.",
    "Thanks, the section on pivot tables and unstack finally made multi-index results clear to me.",
    "When I plot the grouped means with matplotlib the x axis labels overlap, any tips?",
};
#define THREAD_LEN (sizeof thread / sizeof thread[0])

static const char plumber[] = "Does anyone know a good plumber in Leeds? Our boiler broke again.";
static const char question[] =
    "After the groupby I call reset_index but the aggregated column keeps the old name, how do I rename it?";

static void lengths(const char *const *texts, size_t n, size_t *lens)
{
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(texts[i]);
}

static cg_result classify_under(const char *text, const cg_article *article)
{
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, text, strlen(text), article, &r), CG_OK, "%s", cg_workspace_error(ws));
    return r;
}

/* The result of `text` under an article made by cg_article_new from `joined`. */
static cg_result under_text(const char *text, const char *joined, size_t len)
{
    cg_article *a;
    cr_assert_eq(cg_article_new(model, ws, joined, len, &a), CG_OK, "%s", cg_workspace_error(ws));
    cg_result r = classify_under(text, a);
    cg_article_free(a);
    return r;
}

/* The result of `text` under cg_article_new_thread(article, comments). */
static cg_result under_thread(const char *text, const char *article, size_t len, const char *const *comments,
                              const size_t *lens, size_t n)
{
    cg_article *a;
    cr_assert_eq(cg_article_new_thread(model, ws, article, len, comments, lens, n, &a), CG_OK, "%s",
                 cg_workspace_error(ws));
    cg_result r = classify_under(text, a);
    cg_article_free(a);
    return r;
}

static int same_result(const cg_result *a, const cg_result *b)
{
    return a->label == b->label && memcmp(a->prob, b->prob, sizeof a->prob) == 0;
}

Test(article_thread, no_comments_is_the_article_alone)
{
    cg_result alone = under_text(question, title, strlen(title));
    cg_result thread0 = under_thread(question, title, strlen(title), NULL, NULL, 0);
    cr_expect(same_result(&alone, &thread0));
}

Test(article_thread, the_thread_is_the_article_and_its_comments_a_blank_line_apart)
{
    size_t lens[THREAD_LEN];
    lengths(thread, THREAD_LEN, lens);
    char joined[4096];
    int at = snprintf(joined, sizeof joined, "%s", title);
    for (size_t i = 0; i < THREAD_LEN; i++)
        at += snprintf(joined + at, sizeof joined - (size_t)at, "\n\n%s", thread[i]);
    cr_assert_lt((size_t)at, sizeof joined);
    for (int k = 0; k < 2; k++) {
        const char *text = k ? plumber : question;
        cg_result expected = under_text(text, joined, (size_t)at);
        cg_result got = under_thread(text, title, strlen(title), thread, lens, THREAD_LEN);
        cr_expect(same_result(&expected, &got), "\"%s\": P(off-topic) %.6f against %.6f", text,
                  got.prob[CG_OFF_TOPIC], expected.prob[CG_OFF_TOPIC]);
    }
}

Test(article_thread, empty_comments_add_nothing)
{
    const char *const with_empty[] = {thread[0], "", thread[1], NULL};
    size_t lens_empty[] = {strlen(thread[0]), 0, strlen(thread[1]), 0};
    size_t lens[2] = {strlen(thread[0]), strlen(thread[1])};
    cg_result a = under_thread(plumber, title, strlen(title), with_empty, lens_empty, 4);
    cg_result b = under_thread(plumber, title, strlen(title), thread, lens, 2);
    cr_expect(same_result(&a, &b));
}

/* Under a title and a line the stage's gate is shut; the thread says what the post is about: a
 * comment about something else becomes more likely off-topic, one that answers the thread less. */
Test(article_thread, the_thread_tells_what_the_post_is_about)
{
    size_t lens[THREAD_LEN];
    lengths(thread, THREAD_LEN, lens);
    cg_result plumber_title = under_text(plumber, title, strlen(title));
    cg_result plumber_thread = under_thread(plumber, title, strlen(title), thread, lens, THREAD_LEN);
    cg_result question_title = under_text(question, title, strlen(title));
    cg_result question_thread = under_thread(question, title, strlen(title), thread, lens, THREAD_LEN);
    cr_log_info("P(off-topic) under the title / the thread: plumber %.4f / %.4f, question %.4f / %.4f",
                plumber_title.prob[CG_OFF_TOPIC], plumber_thread.prob[CG_OFF_TOPIC],
                question_title.prob[CG_OFF_TOPIC], question_thread.prob[CG_OFF_TOPIC]);
    cr_expect_gt(plumber_thread.prob[CG_OFF_TOPIC], plumber_title.prob[CG_OFF_TOPIC] + 0.2);
    cr_expect_lt(question_thread.prob[CG_OFF_TOPIC], question_title.prob[CG_OFF_TOPIC]);
    cr_expect_eq(question_thread.label, CG_ON_TOPIC);
}

/* Two comments that cannot both fit beside the article within CG_MAX_COMMENT_BYTES: the older one
 * gives way, and the article is the title with the newer one. */
static char *repeated(const char *words, size_t len)
{
    char *s = malloc(len);
    cr_assert_not_null(s);
    size_t w = strlen(words);
    for (size_t i = 0; i < len; i++)
        s[i] = words[i % w];
    return s;
}

Test(article_thread, the_oldest_comments_give_way_at_the_limit)
{
    size_t big = CG_MAX_COMMENT_BYTES / 2 + 1;
    char *older = repeated("football match goal striker referee penalty ", big);
    char *newer = repeated("groupby dataframe reset_index column aggregate ", big);
    const char *const comments[] = {older, newer};
    size_t lens[] = {big, big};
    size_t tlen = strlen(title);
    char *expected_text = malloc(tlen + 2 + big);
    cr_assert_not_null(expected_text);
    memcpy(expected_text, title, tlen);
    memcpy(expected_text + tlen, "\n\n", 2);
    memcpy(expected_text + tlen + 2, newer, big);
    cg_result expected = under_text(question, expected_text, tlen + 2 + big);
    memcpy(expected_text + tlen + 2, older, big);
    cg_result with_older = under_text(question, expected_text, tlen + 2 + big);
    cg_result got = under_thread(question, title, tlen, comments, lens, 2);
    cr_expect(same_result(&got, &expected), "P(off-topic) %.6f, expected %.6f", got.prob[CG_OFF_TOPIC],
              expected.prob[CG_OFF_TOPIC]);
    cr_expect(!same_result(&got, &with_older), "the two threads must tell apart for this test to mean anything");
    free(expected_text);
    free(older);
    free(newer);
}

Test(article_thread, errors_leave_the_output_untouched)
{
    static int sentinel;
    cg_article *a = (cg_article *)&sentinel;
    const char *const with_null[] = {thread[0], NULL};
    size_t lens[] = {strlen(thread[0]), 5};
    cr_expect_eq(cg_article_new_thread(model, ws, title, strlen(title), with_null, lens, 2, &a), CG_ERR_INPUT);
    cr_expect(strstr(cg_workspace_error(ws), "thread comment 2") != NULL, "message: %s", cg_workspace_error(ws));
    cr_expect_eq(cg_article_new_thread(model, ws, title, strlen(title), NULL, lens, 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new_thread(model, ws, title, strlen(title), thread, NULL, 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new_thread(model, ws, NULL, 3, thread, lens, 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new_thread(model, ws, title, CG_MAX_COMMENT_BYTES + 1, thread, lens, 1, &a),
                 CG_ERR_INPUT);
    cr_expect(strstr(cg_workspace_error(ws), "article") != NULL, "message: %s", cg_workspace_error(ws));
    cr_expect_eq(cg_article_new_thread(NULL, ws, title, strlen(title), thread, lens, 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new_thread(model, NULL, title, strlen(title), thread, lens, 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new_thread(model, ws, title, strlen(title), thread, lens, 1, NULL), CG_ERR_INPUT);
    cr_expect_eq(a, (cg_article *)&sentinel, "output must be untouched on error");
}
