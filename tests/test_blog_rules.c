/*
 * test_blog_rules.c - the shipped default model follows the blog rules of the README ("What the
 * labels mean"): thanks, questions and sharp disagreement with the post are on-topic, attacks on the
 * author or other people abusive, promotion and unrelated chatter off-topic. Each comment of
 * fixtures/rules/blog_rules.jsonl and of fixtures/rules/critique.jsonl (harsh critique of the content,
 * on-topic, beside derision of the author, abusive) and of fixtures/suites/promotion.jsonl (polite
 * self-promotion, off-topic, beside engaged comments with a link or a question, on-topic) is classified
 * with its article and must get its label; those marked "known_miss" are the model's known limits
 * (README, tools/judgement.py), reported but not asserted.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "commentguard.h"

typedef struct rule_count {
    size_t checked, misses;
} rule_count;

/* Classify every comment of one rules file; expectations fail for each wrong label. */
static rule_count check_rules_file(const cg_model *model, cg_workspace *ws, const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[4096];
    size_t checked = 0, misses = 0;
    while (fgets(line, sizeof line, f)) {
        json_error_t je;
        json_t *row = json_loads(line, 0, &je);
        cr_assert_not_null(row, "%s", je.text);
        const char *text = json_string_value(json_object_get(row, "text"));
        const char *article = json_string_value(json_object_get(row, "article"));
        const char *label = json_string_value(json_object_get(row, "label"));
        const char *rule = json_string_value(json_object_get(row, "rule"));
        cg_article *a;
        cr_assert_eq(cg_article_new(model, ws, article, strlen(article), &a), CG_OK);
        cg_result r;
        cr_assert_eq(cg_classify(model, ws, text, strlen(text), a, &r), CG_OK);
        cg_article_free(a);
        int right = strcmp(cg_label_name(r.label), label) == 0;
        if (json_is_true(json_object_get(row, "known_miss"))) {
            misses++;
            cr_log_info("known limit (%s): \"%s\" is %s, should be %s", rule, text, cg_label_name(r.label), label);
        } else {
            cr_expect(right, "%s: \"%s\" is %s (p %.3f %.3f %.3f), should be %s", rule, text, cg_label_name(r.label),
                      r.prob[0], r.prob[1], r.prob[2], label);
            checked++;
        }
        json_decref(row);
    }
    fclose(f);
    return (rule_count){checked, misses};
}

Test(blog_rules, the_default_model_follows_them)
{
    char err[512] = "";
    cg_model *model;
    cg_workspace *ws;
    cr_assert_eq(cg_model_open(CG_MODEL_DIR, &model, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_workspace_new(model, &ws), CG_OK);
    rule_count blog = check_rules_file(model, ws, CG_FIXTURES "/rules/blog_rules.jsonl");
    cr_expect_eq(blog.checked, 19);
    cr_expect_eq(blog.misses, 1);
    rule_count critique = check_rules_file(model, ws, CG_FIXTURES "/rules/critique.jsonl");
    cr_expect_eq(critique.checked, 37);
    cr_expect_eq(critique.misses, 3);
    rule_count promotion = check_rules_file(model, ws, CG_FIXTURES "/suites/promotion.jsonl");
    cr_expect_eq(promotion.checked, 39);
    cr_expect_eq(promotion.misses, 1);
    cg_workspace_free(ws);
    cg_model_free(model);
}
