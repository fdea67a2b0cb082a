/* test_topicality.c - the topicality stage (src/topicality.c) on a bundle trained from the fixture
 * with a tiny stem table: its exact arithmetic, a generic against a specific comment under an
 * unrelated article, a bundle's damaged stage refused with a clear error, and the fit
 * (training/topicality_fit.c) writing a stage that loads, and the whole threads it fits on
 * (training/topicality_threads.c). */
#define _GNU_SOURCE
#include "support.h"

#include <jansson.h>
#include <math.h>

#include "commentguard.h"
#include "dataset.h"
#include "topicality_fit.h"
#include "topicality_regression.h"
#include "topicality_threads.h"

/* Four rare stems (1 of 99 documents), one common one; "thanks" and "very" are function words. */
static const char tiny_table[] = "documents 99\nplumb\t1\nboile\t1\nleeds\t1\ncentr\t1\nhelpf\t50\n";
static const char generic[] = "Thanks, very helpful!";
static const char specific[] = "Does anyone know a good plumber in Leeds? Our boiler broke again.";
static const char unrelated[] = "Intelligence services to share more data across borders, ministers say.";
static const char related[] = "Plumbers in Leeds: what a new central heating boiler costs.";

/* Set bundle.json's "topicality" of dir to the object written as json. */
static void set_stage(const char *dir, const char *json)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bundle.json", dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr), *stage = json_loads(json, 0, &jerr);
    cr_assert_not_null(root);
    cr_assert_not_null(stage, "bad test JSON: %s", jerr.text);
    cr_assert_eq(json_object_set_new(root, "topicality", stage), 0);
    cr_assert_eq(json_dump_file(root, path, JSON_INDENT(2)), 0);
    json_decref(root);
}

static char tmp[64];
static char *plain;  /* the fixture bundle */
static char *staged; /* the same with the stage */

static void setup(void)
{
    cgt_make_tmpdir(tmp, "topic");
    plain = cgt_train_bundle(tmp, "plain");
    staged = cgt_train_bundle(tmp, "staged");
    free(cgt_write_file(staged, "topic.idf", tiny_table, strlen(tiny_table)));
    set_stage(staged, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20], \"strength\": 0.8}");
}

static void teardown(void)
{
    cgt_remove_tree(tmp);
    free(plain);
    free(staged);
}

TestSuite(topicality, .init = setup, .fini = teardown);

/* Bundle dir opened, with a workspace and article text prepared (NULL: none). */
typedef struct {
    cg_model *model;
    cg_workspace *ws;
    cg_article *article;
} opened;

static opened open_under(const char *dir, const char *article)
{
    opened o = {NULL, NULL, NULL};
    char err[512];
    cr_assert_eq(cg_model_open(dir, &o.model, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_workspace_new(o.model, &o.ws), CG_OK);
    if (article)
        cr_assert_eq(cg_article_new(o.model, o.ws, article, strlen(article), &o.article), CG_OK);
    return o;
}

static void close_opened(opened *o)
{
    cg_article_free(o->article);
    cg_workspace_free(o->ws);
    cg_model_free(o->model);
}

/* P(off-topic) and the rest of a comment under article text (NULL: none) with bundle dir. */
static void probabilities(const char *dir, const char *comment, const char *article, double prob[CG_NUM_CLASSES])
{
    opened o = open_under(dir, article);
    cg_result r;
    cr_assert_eq(cg_classify(o.model, o.ws, comment, strlen(comment), o.article, &r), CG_OK, "%s",
                 cg_workspace_error(o.ws));
    memcpy(prob, r.prob, sizeof r.prob);
    close_opened(&o);
}

/* m = 0.8 sigmoid(-4 + ln(1 + mass) - 20 cosine), P(off-topic) -> p + (1 - p) m, the rest * (1 - m). */
static void expect_stage(const double base[CG_NUM_CLASSES], const double got[CG_NUM_CLASSES], double mass,
                         double cosine)
{
    double m = 0.8 / (1.0 + exp(-(-4.0 + log1p(mass) - 20.0 * cosine)));
    cr_assert_float_eq(got[CG_OFF_TOPIC], base[CG_OFF_TOPIC] + (1 - base[CG_OFF_TOPIC]) * m, 1e-12);
    cr_assert_float_eq(got[CG_ON_TOPIC], base[CG_ON_TOPIC] * (1 - m), 1e-12);
    cr_assert_float_eq(got[CG_ABUSIVE], base[CG_ABUSIVE] * (1 - m), 1e-12);
}

Test(topicality, exact_values_of_a_tiny_bundle)
{
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    /* "plumb", "boile", "leeds": ln(100/2) each (kept as floats); "anyon", "good", "broke": not in the
     * table, ln(100) each; no stem shared with the article. */
    double rare = (float)log(100.0 / 2.0), unknown = log(100.0);
    probabilities(plain, specific, unrelated, base);
    probabilities(staged, specific, unrelated, got);
    expect_stage(base, got, 3 * rare + 3 * unknown, 0.0);
    /* "helpf": ln(100/51). */
    probabilities(plain, generic, unrelated, base);
    probabilities(staged, generic, unrelated, got);
    expect_stage(base, got, (float)log(100.0 / 51.0), 0.0);
}

static double moved_share(const char *comment, const char *article);

/* A stage of 5 coefficients with the gate: m = 0.8 gate(A) sigmoid(-4 + ln(1 + mass) - 20 cosine + 0.5 ln(1 + A)
 * - 2 cosine ln(1 + A)), gate(A) = 1 / (1 + (30 / A)^8). */
static const char gated_stage[] = "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20, 0.5, -2], "
                                  "\"strength\": 0.8, \"article_mass_half\": 30}";

Test(topicality, the_gate_follows_the_article_mass)
{
    set_stage(staged, gated_stage);
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, specific, unrelated, base);
    probabilities(staged, specific, unrelated, got);
    /* The comment's stems as in exact_values_of_a_tiny_bundle; the article's 8 (intel, servi, share,
     * data, acros, borde, minis, say) are all unknown to the table: A = 8 ln(100). */
    double rare = (float)log(100.0 / 2.0), unknown = log(100.0);
    double mass = 3 * rare + 3 * unknown, a = 8 * unknown;
    double gate = 1.0 / (1.0 + pow(30.0 / a, 8.0));
    double m = 0.8 * gate / (1.0 + exp(-(-4.0 + log1p(mass) + 0.5 * log1p(a))));
    cr_assert_float_eq(got[CG_OFF_TOPIC], base[CG_OFF_TOPIC] + (1 - base[CG_OFF_TOPIC]) * m, 1e-12);
    cr_assert_float_eq(got[CG_ON_TOPIC], base[CG_ON_TOPIC] * (1 - m), 1e-12);
    /* A title of two words (A = 2 ln(100), gate 8e-5) moves the same comment far less. */
    double short_m = moved_share(specific, "Intelligence services");
    cr_assert_lt(short_m, m / 100, "a short article moved it by %g (the long one %g)", short_m, m);
    cr_assert_gt(short_m, 0.0);
}

Test(topicality, shared_stems_give_the_cosine)
{
    /* Comment "plumber boiler": stems plumb, boile. Article stems: plumb, leeds, centr, boile, and
     * new, heati, costs, which the table lacks (the article keeps their IDF as a float). */
    double rare = (float)log(50.0), unknown = (float)log(100.0);
    double article_norm = sqrt(4 * rare * rare + 3 * unknown * unknown);
    double cosine = (2 * rare * rare) / (sqrt(2 * rare * rare) * article_norm);
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, "plumber boiler", related, base);
    probabilities(staged, "plumber boiler", related, got);
    expect_stage(base, got, 2 * rare, cosine);
}

#define ELSEWHERE "about something else than the article"

/* The weight of the stage's reason `name` among the reasons for `label` of comment under article in the
 * bundle dir (0 if it is none of them): it is given once, and stands nowhere in the comment. */
static double stage_reason(const char *dir, const char *comment, const char *article, cg_label label, const char *name)
{
    opened o = open_under(dir, article);
    cg_reason reasons[64];
    size_t n = 0, found = 0;
    double weight = 0;
    cr_assert_eq(cg_explain(o.model, o.ws, comment, strlen(comment), o.article, label, reasons, 64, &n), CG_OK, "%s",
                 cg_workspace_error(o.ws));
    for (size_t i = 0; i < n; i++)
        if (strcmp(reasons[i].text, name) == 0) {
            found++;
            weight = reasons[i].weight;
            cr_assert_eq(reasons[i].start, -1);
        }
    cr_assert_leq(found, 1);
    close_opened(&o);
    return weight;
}

/* The way back: r = 0.5 min(1, cosine / 0.1) (no gate) of what is on off-topic after m goes to on-topic. */
Test(topicality, a_comment_about_its_article_moves_back_toward_on_topic)
{
    set_stage(staged, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20], "
                      "\"strength\": 0.8, \"belong_strength\": 0.5, \"belong_cosine\": 0.1}");
    double rare = (float)log(50.0), unknown = (float)log(100.0);
    double cosine = (2 * rare * rare) / (sqrt(2 * rare * rare) * sqrt(4 * rare * rare + 3 * unknown * unknown));
    cr_assert_gt(cosine, 0.1, "the fixture's cosine %g should reach the full share", cosine);
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, "plumber boiler", related, base);
    probabilities(staged, "plumber boiler", related, got);
    double m = 0.8 / (1.0 + exp(-(-4.0 + log1p(2 * rare) - 20.0 * cosine)));
    double off = base[CG_OFF_TOPIC] + (1 - base[CG_OFF_TOPIC]) * m;
    cr_assert_float_eq(got[CG_OFF_TOPIC], off * 0.5, 1e-12);
    cr_assert_float_eq(got[CG_ON_TOPIC], base[CG_ON_TOPIC] * (1 - m) + off * 0.5, 1e-12);
    cr_assert_float_eq(got[CG_ABUSIVE], base[CG_ABUSIVE] * (1 - m), 1e-12);
    cr_assert_lt(got[CG_OFF_TOPIC], base[CG_OFF_TOPIC], "sharing content with its article lowers P(off-topic)");
    /* Explained for on-topic as the log-odds of off-topic the stage took away; no reason for off-topic. */
    double p = base[CG_OFF_TOPIC], q = got[CG_OFF_TOPIC];
    cr_assert_float_eq(stage_reason(staged, "plumber boiler", related, CG_ON_TOPIC, "shares the article's subject"),
                       log(p / (1 - p)) - log(q / (1 - q)), 1e-9);
    cr_assert_eq(stage_reason(staged, "plumber boiler", related, CG_OFF_TOPIC, ELSEWHERE), 0);
    /* A comment that sends readers elsewhere (a link of its own) gets no way back, however much it shares. */
    probabilities(plain, "plumber boiler www.example.com", related, base);
    probabilities(staged, "plumber boiler www.example.com", related, got);
    cr_assert_gt(got[CG_OFF_TOPIC], base[CG_OFF_TOPIC] - 1e-12, "a comment with a link was moved toward on-topic");
    cr_assert_float_eq(got[CG_ABUSIVE] / base[CG_ABUSIVE], got[CG_ON_TOPIC] / base[CG_ON_TOPIC], 1e-9,
                       "only m acted: on-topic and abusive shrink alike");
    /* Sharing nothing, the way back takes nothing: as without it. */
    probabilities(plain, specific, unrelated, base);
    probabilities(staged, specific, unrelated, got);
    double stem = (float)log(100.0 / 2.0);
    expect_stage(base, got, 3 * stem + 3 * log(100.0), 0.0);
}

/* The way back has a gate of its own: here none (belong_mass_half 0) while m's is at A 1000, far above
 * the article's A, so m is next to nothing and r is 0.5 min(1, cosine / 0.1). */
Test(topicality, the_way_back_has_a_gate_of_its_own)
{
    set_stage(staged, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20, 0, 0], "
                      "\"strength\": 0.8, \"article_mass_half\": 1000, \"belong_strength\": 0.5, "
                      "\"belong_cosine\": 0.1, \"belong_mass_half\": 0}");
    double rare = (float)log(50.0), unknown = (float)log(100.0);
    double article_mass = 4 * rare + 3 * unknown;
    double cosine = (2 * rare * rare) / (sqrt(2 * rare * rare) * sqrt(4 * rare * rare + 3 * unknown * unknown));
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, "plumber boiler", related, base);
    probabilities(staged, "plumber boiler", related, got);
    double gate = 1.0 / (1.0 + pow(1000.0 / article_mass, 8.0));
    double m = 0.8 * gate / (1.0 + exp(-(-4.0 + log1p(2 * rare) - 20.0 * cosine)));
    double off = base[CG_OFF_TOPIC] + (1 - base[CG_OFF_TOPIC]) * m;
    cr_assert_lt(m, 1e-9);
    cr_assert_float_eq(got[CG_OFF_TOPIC], off * 0.5, 1e-12);
    cr_assert_float_eq(got[CG_ON_TOPIC], base[CG_ON_TOPIC] * (1 - m) + off * 0.5, 1e-12);
    /* Without belong_mass_half the way back takes m's gate: next to nothing here. */
    set_stage(staged, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20, 0, 0], "
                      "\"strength\": 0.8, \"article_mass_half\": 1000, \"belong_strength\": 0.5, "
                      "\"belong_cosine\": 0.1}");
    probabilities(staged, "plumber boiler", related, got);
    cr_assert_float_eq(got[CG_OFF_TOPIC], off * (1 - 0.5 * gate), 1e-12);
}

/* The share of the probability left outside off-topic that the stage moved there: its m. */
static double moved_share(const char *comment, const char *article)
{
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, comment, article, base);
    probabilities(staged, comment, article, got);
    return (got[CG_OFF_TOPIC] - base[CG_OFF_TOPIC]) / (1 - base[CG_OFF_TOPIC]);
}

Test(topicality, generic_comments_stay_specific_unrelated_ones_move)
{
    double generic_m = moved_share(generic, unrelated), specific_m = moved_share(specific, unrelated);
    cr_assert_lt(generic_m, 0.03, "a generic comment moved by %g", generic_m);
    cr_assert_gt(specific_m, 0.2, "a specific unrelated comment moved by only %g", specific_m);
    /* The same comment under an article about it moves far less. */
    cr_assert_lt(moved_share(specific, related), specific_m / 100);
}

/* The reason "about something else than the article": how far the stage moved the off-topic log-odds,
 * logit(p + (1 - p) m) - logit(p); only for off-topic, only with an article and a stage. */
Test(topicality, explanations_name_the_stage_by_the_log_odds_it_moved)
{
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, specific, unrelated, base);
    probabilities(staged, specific, unrelated, got);
    double p = base[CG_OFF_TOPIC], q = got[CG_OFF_TOPIC];
    cr_assert_float_eq(stage_reason(staged, specific, unrelated, CG_OFF_TOPIC, ELSEWHERE),
                       log(q / (1 - q)) - log(p / (1 - p)), 1e-9);
    cr_assert_eq(stage_reason(staged, specific, unrelated, CG_ON_TOPIC, ELSEWHERE), 0);
    cr_assert_eq(stage_reason(staged, specific, NULL, CG_OFF_TOPIC, ELSEWHERE), 0);
    cr_assert_eq(stage_reason(plain, specific, unrelated, CG_OFF_TOPIC, ELSEWHERE), 0);
}

Test(topicality, no_article_no_stage)
{
    double base[CG_NUM_CLASSES], got[CG_NUM_CLASSES];
    probabilities(plain, specific, NULL, base);
    probabilities(staged, specific, NULL, got);
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        cr_assert_eq(got[c], base[c]);
}

/* The bundle with a damaged stage is refused, with what names the place. */
static void expect_refused(const char *table, const char *stage, const char *message)
{
    if (table)
        free(cgt_write_file(staged, "topic.idf", table, strlen(table)));
    if (stage)
        set_stage(staged, stage);
    cg_model *model = NULL;
    char err[512] = "";
    cg_status st = cg_model_open(staged, &model, err, sizeof err);
    cr_assert_neq(st, CG_OK, "a damaged stage was accepted (%s)", message);
    cr_assert_null(model);
    cr_assert_not_null(strstr(err, message), "expected \"%s\" in \"%s\"", message, err);
}

Test(topicality, damaged_tables_are_refused)
{
    expect_refused("documents\nplumb\t1\n", NULL, "topic.idf:1: the first line must be");
    expect_refused("documents 9\nplumb 1\n", NULL, "topic.idf:2: expected \"stem TAB document count\"");
    expect_refused("documents 9\nplumb\t10\n", NULL, "topic.idf:2: the document count");
    expect_refused("documents 9\nplumb\t0\n", NULL, "topic.idf:2: the document count");
    expect_refused("documents 9\nplumb\t1x\n", NULL, "topic.idf:2: the document count");
    expect_refused("documents 9\nplumb\t1\n\nplumb\t2\n", NULL, "topic.idf:4: a stem listed twice");
    expect_refused("documents 9\n\tplumb\n", NULL, "topic.idf:2: expected");
}

Test(topicality, missing_table_is_refused)
{
    char path[256];
    snprintf(path, sizeof path, "%s/topic.idf", staged);
    cr_assert_eq(unlink(path), 0);
    expect_refused(NULL, NULL, "topic.idf");
}

Test(topicality, damaged_settings_are_refused)
{
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20], \"strength\": 1.5}",
                   "topicality: strength must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1], \"strength\": 1}",
                   "topicality: coefficients must list 3 or 5 numbers");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20, 1], \"strength\": 1}",
                   "topicality: coefficients must list 3 or 5 numbers");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20, 0, 0], "
                         "\"strength\": 1, \"article_mass_half\": -1}",
                   "topicality: article_mass_half must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, -20, 0, 0], "
                         "\"strength\": 1, \"article_mass_half\": \"30\"}",
                   "topicality: article_mass_half must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, 2], \"strength\": 1, "
                         "\"belong_strength\": 0.5}",
                   "topicality: belong_strength and belong_cosine go together");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, 2], \"strength\": 1, "
                         "\"belong_strength\": 1.5, \"belong_cosine\": 0.1}",
                   "topicality: belong_strength must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, 2], \"strength\": 1, "
                         "\"belong_strength\": 0.5, \"belong_cosine\": 0}",
                   "topicality: belong_cosine must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, 2], \"strength\": 1, "
                         "\"belong_mass_half\": 30}",
                   "topicality: belong_mass_half must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, 2], \"strength\": 1, "
                         "\"belong_strength\": 0.5, \"belong_cosine\": 0.1, \"belong_mass_half\": -2}",
                   "topicality: belong_mass_half must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, \"1\", 2], \"strength\": 1}",
                   "topicality: coefficients must be numbers");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 0, \"coefficients\": [-4, 1, 2], \"strength\": 1}",
                   "topicality: stem_chars must be");
    expect_refused(NULL, "{\"table\": \"topic.idf\", \"stem_chars\": 2.5, \"coefficients\": [-4, 1, 2], \"strength\": 1}",
                   "topicality: stem_chars must be");
    expect_refused(NULL, "{\"table\": \"../plain/topic.idf\", \"stem_chars\": 5, \"coefficients\": [-4, 1, 2], \"strength\": 1}",
                   "topicality: table must name a file in the bundle");
    expect_refused(NULL, "[1, 2]", "topicality: must be an object");
}

Test(topicality, the_fit_writes_a_stage_that_loads)
{
    cg_topic_fit_options opt;
    cg_topic_fit_options_default(&opt, plain, CG_TRAIN_FIXTURE);
    cg_topic_fit_report r;
    char err[512];
    cr_assert_eq(cg_topicality_fit(&opt, &r, err, sizeof err), CG_OK, "%s", err);
    cr_assert_gt(r.pairs, 0);
    cr_assert_geq(r.articles, 2);
    cr_assert(r.strength >= 0 && r.strength <= 1);
    cr_assert_leq(r.held_increase, opt.hold_at_most + 1e-12);
    cr_assert_gt(r.article_mass[1], r.article_mass[0], "whole threads say more than their articles");
    cr_assert_float_eq(r.article_mass_half, sqrt(r.article_mass[0] * r.article_mass[1]), 1e-9);
    char path[256];
    snprintf(path, sizeof path, "%s/bundle.json", plain);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    cr_assert_not_null(root);
    cr_assert_eq(json_integer_value(json_object_get(root, "format_version")), 3);
    json_t *stage = json_object_get(root, "topicality");
    cr_assert_float_eq(json_number_value(json_object_get(stage, "strength")), r.strength, 1e-15);
    cr_assert_eq(json_array_size(json_object_get(stage, "coefficients")), 5);
    for (size_t k = 0; k < 5; k++)
        cr_assert_float_eq(json_number_value(json_array_get(json_object_get(stage, "coefficients"), k)), r.coef[k],
                           1e-15);
    cr_assert_float_eq(json_number_value(json_object_get(stage, "article_mass_half")), r.article_mass_half, 1e-12);
    cr_assert(r.belong_strength >= 0 && r.belong_strength <= 1);
    cr_assert_float_eq(json_number_value(json_object_get(stage, "belong_strength")), r.belong_strength, 1e-15);
    cr_assert_float_eq(json_number_value(json_object_get(stage, "belong_cosine")), opt.belong_cosine, 1e-15);
    cr_assert_float_eq(json_number_value(json_object_get(stage, "belong_mass_half")), r.article_mass_half, 1e-12,
                       "the way back takes the stage's gate unless told otherwise");
    cr_assert_float_eq(r.belong_mass_half, r.article_mass_half, 1e-12);
    json_decref(root);
    double prob[CG_NUM_CLASSES];
    probabilities(plain, specific, unrelated, prob); /* it loads and scores */
}

static size_t count_of(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
        n++;
    return n;
}

Test(topicality, the_card_gets_one_section_and_keeps_the_rest)
{
    char path[256];
    snprintf(path, sizeof path, "%s/CARD.md", plain);
    char *before = cgt_read_file(path, NULL);
    cr_assert_eq(count_of(before, "## Topicality stage"), 0);
    cg_topic_fit_options opt;
    cg_topic_fit_options_default(&opt, plain, CG_TRAIN_FIXTURE);
    cg_topic_fit_report r;
    char err[512], expected[128];
    for (int fit = 0; fit < 2; fit++) { /* a refit replaces its section */
        opt.hold_at_most = fit ? 0.5 : 0.0;
        cr_assert_eq(cg_topicality_fit(&opt, &r, err, sizeof err), CG_OK, "%s", err);
    }
    char *after = cgt_read_file(path, NULL);
    cr_assert_eq(count_of(after, "## Topicality stage"), 1);
    cr_assert_eq(strncmp(after, before, strlen(before) - 1), 0, "the card before the section changed");
    snprintf(expected, sizeof expected, "m = %.4f * gate(A) * sigmoid(", r.strength);
    cr_assert_not_null(strstr(after, expected), "no \"%s\" in the card", expected);
    cr_assert_not_null(strstr(after, "--hold-at-most 0.5 "));
    free(before);
    free(after);
}

Test(topicality, a_failed_fit_leaves_the_bundle_alone)
{
    static const char one_thread[] =
        "{\"label\": \"on-topic\", \"text\": \"The boiler man came at nine.\", \"article\": \"Boilers\"}\n"
        "{\"label\": \"on-topic\", \"text\": \"Ours broke too.\", \"article\": \"Boilers\"}\n";
    free(cgt_write_file(tmp, "one.jsonl", one_thread, strlen(one_thread)));
    char data[128], path[256];
    snprintf(data, sizeof data, "%s/one.jsonl", tmp);
    snprintf(path, sizeof path, "%s/bundle.json", plain);
    size_t before_len, after_len;
    char *before = cgt_read_file(path, &before_len);
    cg_topic_fit_options opt;
    cg_topic_fit_options_default(&opt, plain, data);
    cg_topic_fit_report r;
    char err[512];
    cr_assert_eq(cg_topicality_fit(&opt, &r, err, sizeof err), CG_ERR_INPUT);
    cr_assert_not_null(strstr(err, "fewer than 2 distinct articles"), "%s", err);
    char *after = cgt_read_file(path, &after_len);
    cr_assert_eq(before_len, after_len);
    cr_assert_eq(memcmp(before, after, before_len), 0);
    snprintf(path, sizeof path, "%s/topic.idf", plain);
    cr_assert_neq(access(path, F_OK), 0);
    free(before);
    free(after);
}

Test(topicality, whole_threads_leave_out_the_comment_and_its_copies)
{
    static const char rows[] =
        "{\"label\": \"on-topic\", \"text\": \"Ours broke too.\", \"article\": \"Boilers\"}\n"
        "{\"label\": \"off-topic\", \"text\": \"Buy cheap pills.\"}\n"
        "{\"label\": \"on-topic\", \"text\": \"Call a plumber.\", \"article\": \"Boilers\"}\n"
        "{\"label\": \"abusive\", \"text\": \"Ours broke too.\", \"article\": \"Boilers\"}\n"
        "{\"label\": \"on-topic\", \"text\": \"Nice goal.\", \"article\": \"Football\"}\n";
    free(cgt_write_file(tmp, "threads.jsonl", rows, strlen(rows)));
    char data[128], err[512];
    snprintf(data, sizeof data, "%s/threads.jsonl", tmp);
    cg_dataset ds;
    cr_assert_eq(cg_dataset_load(data, &ds, err, sizeof err), CG_OK, "%s", err);
    cg_topic_threads t;
    cr_assert_eq(cg_topic_threads_collect(&ds, &t), CG_OK);
    cr_assert_eq(t.n, 2);
    cr_assert_eq(cg_topic_thread_of(&t, &ds.rows[2]), 0);
    cr_assert_eq(cg_topic_thread_of(&t, &ds.rows[4]), 1);
    cr_assert_eq(cg_topic_thread_of(&t, &ds.rows[1]), -1);
    char *text;
    size_t len;
    cr_assert_eq(cg_topic_thread_text(&t, &ds, 0, NULL, 0, &text, &len), CG_OK);
    cr_assert_str_eq(text, "Boilers\nOurs broke too.\nCall a plumber.\nOurs broke too.");
    cr_assert_eq(len, strlen(text));
    free(text);
    /* Under its own thread a comment is not part of the article, nor are copies of it (any label). */
    cr_assert_eq(cg_topic_thread_text(&t, &ds, 0, ds.rows[0].text, ds.rows[0].text_len, &text, &len), CG_OK);
    cr_assert_str_eq(text, "Boilers\nCall a plumber.");
    free(text);
    cr_assert_eq(cg_topic_thread_text(&t, &ds, 1, ds.rows[4].text, ds.rows[4].text_len, &text, &len), CG_OK);
    cr_assert_str_eq(text, "Football");
    free(text);
    cg_topic_threads_free(&t);
    cg_dataset_free(&ds);
}

Test(topicality, the_regression_zeroes_its_penalised_gradient)
{
    /* Eight rows of inputs as cg_topic_regression_inputs makes them, not separable; at the optimum
     * the gradient of the log-likelihood equals the ridge's pull (1 * coef) on all but the intercept. */
    double x[8][CG_TOPIC_COEFS];
    int y[8] = {0, 0, 0, 1, 1, 1, 0, 1};
    for (int i = 0; i < 8; i++) {
        cg_topic_measure m = {.mass = 10.0 * (i + 1), .cosine = (i % 3) * 0.1, .article_mass = 50.0 + 40.0 * (i % 4)};
        cg_topic_regression_inputs(&m, x[i]);
        cr_assert_float_eq(x[i][1], log1p(m.mass), 1e-15);
        cr_assert_float_eq(x[i][4], m.cosine * log1p(m.article_mass), 1e-15);
    }
    double coef[CG_TOPIC_COEFS];
    cr_assert(cg_topic_regression_fit((const double(*)[CG_TOPIC_COEFS])x, y, 8, coef));
    for (int j = 0; j < CG_TOPIC_COEFS; j++) {
        double g = j ? coef[j] : 0.0;
        for (int i = 0; i < 8; i++) {
            double z = 0;
            for (int k = 0; k < CG_TOPIC_COEFS; k++)
                z += coef[k] * x[i][k];
            g += (1.0 / (1.0 + exp(-z)) - y[i]) * x[i][j];
        }
        cr_assert(fabs(g) < 1e-8, "gradient %d is %g", j, g);
    }
}
