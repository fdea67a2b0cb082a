/*
 * test_classify.c - the public interface (include/commentguard.h; src/classify.c, src/bundle.c,
 * src/workspace.c, src/status.c) on a bundle trained from fixtures/train/comments.jsonl:
 * classifying the training comments, valid probabilities, articles, thresholds, every error of
 * cg_model_open (I/O, newer format, malformed settings, a model.svm that does not fit its
 * extractor) and of cg_classify, and the static strings.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "bundle.h"
#include "commentguard.h"

static char tmp[64];
static char *bundle_dir;
static cg_model *model;
static cg_workspace *ws;
static char err[512];

static void setup(void)
{
    cgt_make_tmpdir(tmp, "classify");
    bundle_dir = cgt_train_bundle(tmp, "bundle");
    err[0] = '\0';
    cr_assert_eq(cg_model_open(bundle_dir, &model, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_workspace_new(model, &ws), CG_OK);
}

static void teardown(void)
{
    cg_workspace_free(ws);
    cg_model_free(model);
    cgt_remove_tree(tmp);
    free(bundle_dir);
}

TestSuite(classify, .init = setup, .fini = teardown);

static void expect_valid_result(const cg_result *r, const char *what)
{
    double sum = 0;
    int best = 0;
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        cr_expect(r->prob[c] >= 0.0 && r->prob[c] <= 1.0, "%s: prob[%d] = %g", what, c, r->prob[c]);
        sum += r->prob[c];
        if (r->prob[c] > r->prob[best])
            best = c;
    }
    cr_expect_float_eq(sum, 1.0, 1e-9, "%s: probabilities sum to %.17g", what, sum);
    cr_expect_eq(r->label, (cg_label)best, "%s: label %d is not the most probable class %d", what, r->label, best);
}

static cg_result classify(const char *text, const cg_article *article)
{
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, text, strlen(text), article, &r), CG_OK, "%s", cg_workspace_error(ws));
    cr_assert_str_eq(cg_workspace_error(ws), "");
    expect_valid_result(&r, text);
    return r;
}

static int same_result(const cg_result *a, const cg_result *b)
{
    return a->label == b->label && a->prob[0] == b->prob[0] && a->prob[1] == b->prob[1] && a->prob[2] == b->prob[2];
}

/* ---- classifying ---- */

Test(classify, model_knows_where_it_came_from)
{
    cr_expect_str_eq(cg_model_path(model), bundle_dir);
    cr_expect_null(cg_model_path(NULL));
}

Test(classify, training_comments_are_classified_correctly)
{
    cg_dataset ds;
    cr_assert_eq(cg_dataset_load(CG_TRAIN_FIXTURE, &ds, err, sizeof err), CG_OK, "%s", err);
    size_t correct = 0, correct_alone = 0;
    for (size_t i = 0; i < ds.n; i++) {
        const cg_example *e = &ds.rows[i];
        cg_article *a = NULL;
        if (e->article)
            cr_assert_eq(cg_article_new(model, ws, e->article, e->article_len, &a), CG_OK);
        cg_result r;
        cr_assert_eq(cg_classify(model, ws, e->text, e->text_len, a, &r), CG_OK, "%s", cg_workspace_error(ws));
        expect_valid_result(&r, e->text);
        correct += r.label == e->label;
        cg_article_free(a);
        cr_assert_eq(cg_classify(model, ws, e->text, e->text_len, NULL, &r), CG_OK);
        expect_valid_result(&r, e->text);
        correct_alone += r.label == e->label;
    }
    cr_log_info("training comments: %zu/%zu correct as trained, %zu/%zu without articles", correct, ds.n,
                correct_alone, ds.n);
    cr_expect_geq(correct * 10, ds.n * 9, "only %zu of %zu training comments correct", correct, ds.n);
    cr_expect_geq(correct_alone * 10, ds.n * 9, "only %zu of %zu correct without articles", correct_alone, ds.n);
    cg_dataset_free(&ds);
}

Test(classify, obvious_comments_get_their_class)
{
    cr_expect_eq(classify("You are a stupid idiot, shut up", NULL).label, CG_ABUSIVE);
    cr_expect_eq(classify("Buy cheap followers at http://likes4u.top, best price", NULL).label, CG_OFF_TOPIC);
}

Test(classify, same_text_same_result)
{
    cg_result a = classify("Interesting point about the budget", NULL);
    classify("something else entirely, with a link http://x.com and $5", NULL);
    cg_result b = classify("Interesting point about the budget", NULL);
    cr_expect(same_result(&a, &b));
    /* A fresh workspace agrees with a used one. */
    cg_workspace *fresh;
    cr_assert_eq(cg_workspace_new(model, &fresh), CG_OK);
    cg_result c;
    cr_assert_eq(cg_classify(model, fresh, "Interesting point about the budget", 34, NULL, &c), CG_OK);
    cr_expect(same_result(&a, &c));
    cg_workspace_free(fresh);
}

Test(classify, any_bytes_are_classified)
{
    static const char nasty[] = "\xFF\xFE<b>bold\0</b> &amp; &#0; \xED\xA0\x80 \xF0\x9F\x98\x80 <a href='x.com'>";
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, nasty, sizeof nasty - 1, NULL, &r), CG_OK, "%s", cg_workspace_error(ws));
    expect_valid_result(&r, "nasty bytes");
}

Test(classify, text_is_not_modified)
{
    char text[] = "<p>Th\xC3\xADs &amp; TH\xEF\xBC\xA1T</p>\xFF";
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, text, sizeof text - 1, NULL, &r), CG_OK);
    cr_expect_eq(memcmp(text, copy, sizeof text), 0);
}

Test(classify, null_text_of_length_zero_is_the_empty_comment)
{
    cg_result a, b;
    cr_assert_eq(cg_classify(model, ws, NULL, 0, NULL, &a), CG_OK, "%s", cg_workspace_error(ws));
    expect_valid_result(&a, "NULL");
    cr_assert_eq(cg_classify(model, ws, "", 0, NULL, &b), CG_OK);
    cr_expect(same_result(&a, &b));
}

Test(classify, longest_comment_is_accepted)
{
    char *text = malloc(CG_MAX_COMMENT_BYTES);
    cr_assert_not_null(text);
    for (size_t i = 0; i < CG_MAX_COMMENT_BYTES; i++)
        text[i] = "the quick brown fox jumps over a lazy dog "[i % 42];
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, text, CG_MAX_COMMENT_BYTES, NULL, &r), CG_OK, "%s", cg_workspace_error(ws));
    expect_valid_result(&r, "1 MiB");
    free(text);
}

/* ---- cg_classify errors ---- */

static const cg_result sentinel = {CG_UNSURE, {-1, -2, -3}};

Test(classify, too_long_comment_is_refused_with_a_message)
{
    char *text = malloc(CG_MAX_COMMENT_BYTES + 1);
    cr_assert_not_null(text);
    memset(text, 'a', CG_MAX_COMMENT_BYTES + 1);
    cg_result r = sentinel;
    cr_expect_eq(cg_classify(model, ws, text, CG_MAX_COMMENT_BYTES + 1, NULL, &r), CG_ERR_INPUT);
    cr_expect(strstr(cg_workspace_error(ws), "1048577 bytes") != NULL, "message: %s", cg_workspace_error(ws));
    cr_expect(strstr(cg_workspace_error(ws), "limit of 1048576") != NULL, "message: %s", cg_workspace_error(ws));
    cr_expect(same_result(&r, &sentinel), "output must be untouched on error");
    /* The workspace stays usable and the message is cleared by the next success. */
    classify("fine again", NULL);
    free(text);
}

Test(classify, null_text_with_a_length_is_refused)
{
    cg_result r = sentinel;
    cr_expect_eq(cg_classify(model, ws, NULL, 5, NULL, &r), CG_ERR_INPUT);
    cr_expect(strstr(cg_workspace_error(ws), "NULL") != NULL, "message: %s", cg_workspace_error(ws));
    cr_expect(same_result(&r, &sentinel));
}

Test(classify, null_handles_are_refused)
{
    cg_result r = sentinel;
    cr_expect_eq(cg_classify(NULL, ws, "x", 1, NULL, &r), CG_ERR_INPUT);
    cr_expect_eq(cg_classify(model, NULL, "x", 1, NULL, &r), CG_ERR_INPUT);
    cr_expect_eq(cg_classify(model, ws, "x", 1, NULL, NULL), CG_ERR_INPUT);
    cr_expect(same_result(&r, &sentinel));
    cg_workspace *w = NULL;
    cr_expect_eq(cg_workspace_new(NULL, &w), CG_ERR_INPUT);
    cr_expect_null(w);
    cr_expect_eq(cg_workspace_new(model, NULL), CG_ERR_INPUT);
    cr_expect_str_eq(cg_workspace_error(NULL), "");
    /* Free functions accept NULL. */
    cg_workspace_free(NULL);
    cg_model_free(NULL);
    cg_article_free(NULL);
}

Test(classify, article_from_another_model_is_refused)
{
    cg_model *other;
    cr_assert_eq(cg_model_open(bundle_dir, &other, err, sizeof err), CG_OK, "%s", err);
    const char *text = "City council votes to extend the tram line to the harbour district next spring.";
    cg_article *a;
    cr_assert_eq(cg_article_new(other, ws, text, strlen(text), &a), CG_OK);
    cg_result r = sentinel;
    cr_expect_eq(cg_classify(model, ws, "the tram extension", 18, a, &r), CG_ERR_INPUT);
    cr_expect(strstr(cg_workspace_error(ws), "another model") != NULL, "message: %s", cg_workspace_error(ws));
    cr_expect(same_result(&r, &sentinel));
    /* With its own model it is fine. */
    cr_expect_eq(cg_classify(other, ws, "the tram extension", 18, a, &r), CG_OK);
    cg_article_free(a);
    cg_model_free(other);
}

Test(classify, article_errors)
{
    cg_article *a = (cg_article *)&sentinel;
    cr_expect_eq(cg_article_new(model, ws, NULL, 3, &a), CG_ERR_INPUT);
    cr_expect_eq(a, (cg_article *)&sentinel, "output must be untouched on error");
    char *text = malloc(CG_MAX_COMMENT_BYTES + 1);
    cr_assert_not_null(text);
    memset(text, 'a', CG_MAX_COMMENT_BYTES + 1);
    cr_expect_eq(cg_article_new(model, ws, text, CG_MAX_COMMENT_BYTES + 1, &a), CG_ERR_INPUT);
    cr_expect(strstr(cg_workspace_error(ws), "article") != NULL, "message: %s", cg_workspace_error(ws));
    free(text);
    cr_expect_eq(cg_article_new(NULL, ws, "x", 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new(model, NULL, "x", 1, &a), CG_ERR_INPUT);
    cr_expect_eq(cg_article_new(model, ws, "x", 1, NULL), CG_ERR_INPUT);
    /* An empty article is an article. */
    cr_assert_eq(cg_article_new(model, ws, NULL, 0, &a), CG_OK);
    classify("a comment about nothing in particular", a);
    cg_article_free(a);
}

/* ---- articles ---- */

static const char nursery[] = "Which nurseries in Al Sadd stay open until 3pm? I need a nursery for my two year old "
                              "near Al Sadd that closes late.";
static const char camera[] = "Review: the new Lumix camera handles low light well, with a fast autofocus and a "
                             "weather sealed body.";

Test(classify, article_changes_the_probabilities)
{
    cg_article *a, *b;
    cr_assert_eq(cg_article_new(model, ws, nursery, strlen(nursery), &a), CG_OK);
    cr_assert_eq(cg_article_new(model, ws, camera, strlen(camera), &b), CG_OK);
    const char *on = "Is there a good nursery near Al Sadd that stays open late?";
    const char *off = "Anyone selling a used car in Doha? Send me a message.";
    cg_result on_alone = classify(on, NULL), on_with = classify(on, a), on_other = classify(on, b);
    cg_result off_alone = classify(off, NULL), off_with = classify(off, a);
    cr_log_info("on-topic comment: P(on) alone %.4f, with its article %.4f, with another %.4f",
                on_alone.prob[CG_ON_TOPIC], on_with.prob[CG_ON_TOPIC], on_other.prob[CG_ON_TOPIC]);
    cr_log_info("off-topic comment: P(off) alone %.4f, with the article %.4f", off_alone.prob[CG_OFF_TOPIC],
                off_with.prob[CG_OFF_TOPIC]);
    cr_expect(!same_result(&on_alone, &on_with), "the article must change the on-topic comment's probabilities");
    cr_expect(!same_result(&off_alone, &off_with), "the article must change the off-topic comment's probabilities");
    /* A comment that answers its article is more on-topic with it than with an unrelated one. */
    cr_expect_gt(on_with.prob[CG_ON_TOPIC], on_other.prob[CG_ON_TOPIC]);
    /* The article is read-only: the same call again gives the same answer. */
    cg_result again = classify(on, a);
    cr_expect(same_result(&on_with, &again));
    cg_article_free(a);
    cg_article_free(b);
}

/* ---- thresholds ---- */

Test(classify, thresholds_give_unsure)
{
    const char *text = "Great article, thanks for explaining the voting on the tram line.";
    cg_result plain = classify(text, NULL);
    cr_assert_neq(plain.label, CG_UNSURE);
    double t[3] = {1, 1, 1};
    cr_assert_eq(cg_workspace_set_thresholds(ws, t), CG_OK);
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, text, strlen(text), NULL, &r), CG_OK);
    cr_expect_eq(r.label, CG_UNSURE);
    for (int c = 0; c < 3; c++)
        cr_expect_eq(r.prob[c], plain.prob[c], "probabilities are still filled in");
    /* A threshold equal to the probability keeps the label; a hair above it does not. */
    t[0] = t[1] = t[2] = 0;
    t[plain.label] = plain.prob[plain.label];
    cr_assert_eq(cg_workspace_set_thresholds(ws, t), CG_OK);
    cr_assert_eq(cg_classify(model, ws, text, strlen(text), NULL, &r), CG_OK);
    cr_expect_eq(r.label, plain.label);
    t[plain.label] = nextafter(plain.prob[plain.label], 2.0);
    cr_assert_eq(cg_workspace_set_thresholds(ws, t), CG_OK);
    cr_assert_eq(cg_classify(model, ws, text, strlen(text), NULL, &r), CG_OK);
    cr_expect_eq(r.label, CG_UNSURE);
    /* Only the winning class's threshold matters. */
    t[0] = t[1] = t[2] = 1;
    t[plain.label] = 0;
    cr_assert_eq(cg_workspace_set_thresholds(ws, t), CG_OK);
    cr_assert_eq(cg_classify(model, ws, text, strlen(text), NULL, &r), CG_OK);
    cr_expect_eq(r.label, plain.label);
    /* Back to zero: never unsure. */
    t[0] = t[1] = t[2] = 0;
    cr_assert_eq(cg_workspace_set_thresholds(ws, t), CG_OK);
    cr_expect_eq(classify(text, NULL).label, plain.label);
}

Test(classify, invalid_thresholds_are_refused_and_change_nothing)
{
    double good[3] = {1, 1, 1};
    cr_assert_eq(cg_workspace_set_thresholds(ws, good), CG_OK);
    const double bad[][3] = {{1.5, 0, 0}, {0, -0.1, 0}, {0, 0, NAN}, {0, INFINITY, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(cg_workspace_set_thresholds(ws, bad[i]), CG_ERR_INPUT, "case %zu", i);
        cr_expect(strstr(cg_workspace_error(ws), "must lie in [0, 1]") != NULL, "message: %s",
                  cg_workspace_error(ws));
    }
    cr_expect(strstr(cg_workspace_error(ws), "off-topic") != NULL, "the message names the class: %s",
              cg_workspace_error(ws));
    cr_expect_eq(cg_workspace_set_thresholds(NULL, good), CG_ERR_INPUT);
    cr_expect_eq(cg_workspace_set_thresholds(ws, NULL), CG_ERR_INPUT);
    /* The earlier setting (all 1) still holds. */
    cg_result r;
    cr_assert_eq(cg_classify(model, ws, "hello", 5, NULL, &r), CG_OK);
    cr_expect_eq(r.label, CG_UNSURE);
}

/* ---- static strings ---- */

Test(classify, status_strings)
{
    cr_expect_str_eq(cg_strerror(CG_OK), "no error");
    cr_expect_str_eq(cg_strerror(CG_ERR_IO), "input/output error");
    cr_expect_str_eq(cg_strerror(CG_ERR_FORMAT), "malformed model or data");
    cr_expect_str_eq(cg_strerror(CG_ERR_VERSION), "model bundle from a newer commentguard");
    cr_expect_str_eq(cg_strerror(CG_ERR_NOMEM), "out of memory");
    cr_expect_str_eq(cg_strerror(CG_ERR_INPUT), "invalid input");
    cr_expect_str_eq(cg_strerror((cg_status)42), "unknown status");
}

Test(classify, label_names_and_version)
{
    cr_expect_str_eq(cg_label_name(CG_ON_TOPIC), "on-topic");
    cr_expect_str_eq(cg_label_name(CG_OFF_TOPIC), "off-topic");
    cr_expect_str_eq(cg_label_name(CG_ABUSIVE), "abusive");
    cr_expect_str_eq(cg_label_name(CG_UNSURE), "unsure");
    cr_expect_null(cg_label_name((cg_label)4));
    cr_expect_null(cg_label_name((cg_label)-1));
    cr_expect_str_eq(cg_version(), CG_VERSION_STRING);
}

/* ---- cg_model_open errors ---- */

/* A copy of the trained bundle as tmp/name, with bundle.json changed by edit (may be NULL). */
static char *variant_bundle(const char *name, void (*edit)(json_t *root))
{
    char dir[256], path[512];
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/%s", bundle_dir, CG_BUNDLE_SVM);
    size_t len;
    char *svm = cgt_read_file(path, &len);
    free(cgt_write_file(dir, CG_BUNDLE_SVM, svm, len));
    free(svm);
    snprintf(path, sizeof path, "%s/%s", bundle_dir, CG_BUNDLE_SETTINGS);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    cr_assert_not_null(root, "%s", jerr.text);
    if (edit)
        edit(root);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    free(cgt_write_file(dir, CG_BUNDLE_SETTINGS, text, strlen(text)));
    free(text);
    json_decref(root);
    return strdup(dir);
}

static void expect_open_fails(const char *dir, cg_status status, const char *fragment)
{
    cg_model *m = (cg_model *)&sentinel;
    err[0] = '\0';
    cr_expect_eq(cg_model_open(dir, &m, err, sizeof err), status, "%s: expected status %d (%s)", dir, status, err);
    cr_expect_null(m, "*out must be NULL after a failure");
    cr_expect(strstr(err, fragment) != NULL, "message \"%s\" lacks \"%s\"", err, fragment);
    cg_model_free(m == (cg_model *)&sentinel ? NULL : m);
}

static void set_version_99(json_t *root)
{
    json_object_set_new(root, "format_version", json_integer(99));
}

static json_t *extractor(json_t *root)
{
    return json_object_get(root, "extractor");
}

static void set_hash_bits_9(json_t *root)
{
    json_object_set_new(extractor(root), "hash_bits", json_integer(9));
}

static void set_hash_bits_fraction(json_t *root)
{
    json_object_set_new(extractor(root), "hash_bits", json_real(18.5));
}

static void set_hash_bits_string(json_t *root)
{
    json_object_set_new(extractor(root), "hash_bits", json_string("18"));
}

static void set_hash_bits_10(json_t *root)
{
    json_object_set_new(extractor(root), "hash_bits", json_integer(10));
}

static void drop_labels(json_t *root)
{
    json_object_del(root, "labels");
}

static void drop_extractor(json_t *root)
{
    json_object_del(root, "extractor");
}

static void drop_seed(json_t *root)
{
    json_object_del(extractor(root), "seed");
}

static void drop_hash_bits(json_t *root)
{
    json_object_del(extractor(root), "hash_bits");
}

static void drop_format_version(json_t *root)
{
    json_object_del(root, "format_version");
}

static void swap_labels(json_t *root)
{
    json_object_set_new(root, "labels", json_pack("[s,s,s]", "off-topic", "on-topic", "abusive"));
}

static void bad_seed(json_t *root)
{
    json_object_set_new(extractor(root), "seed", json_string("not-hex"));
}

static void bad_char_ngrams(json_t *root)
{
    json_object_set_new(extractor(root), "char_ngrams", json_pack("[i,i]", 5, 2));
}

Test(classify, open_missing_directory_is_an_io_error)
{
    expect_open_fails("/nonexistent/cg-bundle", CG_ERR_IO, "/nonexistent/cg-bundle");
}

Test(classify, open_without_model_svm_is_an_io_error)
{
    char *dir = variant_bundle("no_svm", NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, CG_BUNDLE_SVM);
    cr_assert_eq(unlink(path), 0);
    expect_open_fails(dir, CG_ERR_IO, CG_BUNDLE_SVM);
    free(dir);
}

Test(classify, open_newer_format_is_a_version_error)
{
    char *dir = variant_bundle("v99", set_version_99);
    expect_open_fails(dir, CG_ERR_VERSION, "format_version 99");
    free(dir);
}

Test(classify, open_malformed_settings_is_a_format_error)
{
    static const struct {
        const char *name;
        void (*edit)(json_t *);
        const char *fragment;
    } cases[] = {
        {"bits9", set_hash_bits_9, "hash_bits"},
        {"bits_fraction", set_hash_bits_fraction, "extractor settings"},
        {"bits_string", set_hash_bits_string, "extractor settings"},
        {"no_bits", drop_hash_bits, "extractor settings"},
        {"no_labels", drop_labels, "labels"},
        {"swapped_labels", swap_labels, "labels"},
        {"no_extractor", drop_extractor, "extractor"},
        {"no_seed", drop_seed, "seed"},
        {"bad_seed", bad_seed, "seed"},
        {"no_version", drop_format_version, "format_version"},
        {"bad_char_ngrams", bad_char_ngrams, "char n-gram"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = variant_bundle(cases[i].name, cases[i].edit);
        expect_open_fails(dir, CG_ERR_FORMAT, cases[i].fragment);
        free(dir);
    }
}

Test(classify, open_settings_that_are_not_json_is_a_format_error)
{
    char *dir = variant_bundle("not_json", NULL);
    free(cgt_write_file(dir, CG_BUNDLE_SETTINGS, "{\"format_version\": 1,", 21));
    expect_open_fails(dir, CG_ERR_FORMAT, CG_BUNDLE_SETTINGS);
    free(cgt_write_file(dir, CG_BUNDLE_SETTINGS, "", 0));
    expect_open_fails(dir, CG_ERR_FORMAT, CG_BUNDLE_SETTINGS);
    free(cgt_write_file(dir, CG_BUNDLE_SETTINGS, "[1, 2, 3]", 9));
    expect_open_fails(dir, CG_ERR_FORMAT, "format_version");
    free(dir);
}

Test(classify, open_model_with_index_beyond_the_extractor_is_a_format_error)
{
    /* The trained weights use slots up to 2^18; an extractor of 2^10 slots cannot have made them. */
    char *dir = variant_bundle("bits10", set_hash_bits_10);
    expect_open_fails(dir, CG_ERR_FORMAT, "index in 1..");
    free(dir);
    /* A hand-written model.svm one index past the dimension of the bundle's extractor. */
    dir = variant_bundle("one_past", NULL);
    int dim = cg_feature_dim(&model->extractor.config);
    char text[1024];
    snprintf(text, sizeof text,
             "svm_type c_svc\nkernel_type linear\nnr_class 3\ntotal_sv 4\nrho 0 0 0\nlabel 0 1 2\n"
             "probA -1 -1 -1\nprobB 0 0 0\nnr_sv 2 1 1\nSV\n1 0 1:1 \n0 1 %d:1 \n0 1 2:1 \n0 0 \n",
             dim + 1);
    free(cgt_write_file(dir, CG_BUNDLE_SVM, text, strlen(text)));
    expect_open_fails(dir, CG_ERR_FORMAT, "index in 1..");
    /* At the dimension itself it loads. */
    snprintf(text, sizeof text,
             "svm_type c_svc\nkernel_type linear\nnr_class 3\ntotal_sv 4\nrho 0 0 0\nlabel 0 1 2\n"
             "probA -1 -1 -1\nprobB 0 0 0\nnr_sv 2 1 1\nSV\n1 0 1:1 \n0 1 %d:1 \n0 1 2:1 \n0 0 \n",
             dim);
    free(cgt_write_file(dir, CG_BUNDLE_SVM, text, strlen(text)));
    cg_model *m = NULL;
    cr_expect_eq(cg_model_open(dir, &m, err, sizeof err), CG_OK, "%s", err);
    cg_model_free(m);
    free(dir);
}

Test(classify, open_unchanged_copy_works)
{
    char *dir = variant_bundle("copy", NULL);
    cg_model *m = NULL;
    cr_assert_eq(cg_model_open(dir, &m, err, sizeof err), CG_OK, "%s", err);
    cr_expect_str_eq(err, "", "no message on success");
    cg_result a, b;
    cr_assert_eq(cg_classify(model, ws, "the tram line", 13, NULL, &a), CG_OK);
    cr_assert_eq(cg_classify(m, ws, "the tram line", 13, NULL, &b), CG_OK);
    cr_expect(same_result(&a, &b));
    cg_model_free(m);
    free(dir);
}

Test(classify, open_needs_somewhere_to_put_the_model)
{
    cr_expect_eq(cg_model_open(bundle_dir, NULL, err, sizeof err), CG_ERR_INPUT);
}

Test(classify, open_default_follows_the_environment)
{
    cr_assert_eq(setenv("COMMENTGUARD_MODEL", bundle_dir, 1), 0);
    cg_model *m = NULL;
    cr_assert_eq(cg_model_open(NULL, &m, err, sizeof err), CG_OK, "%s", err);
    cr_expect_str_eq(cg_model_path(m), bundle_dir);
    cg_model_free(m);
    cr_assert_eq(setenv("COMMENTGUARD_MODEL", "/nonexistent/cg-default", 1), 0);
    expect_open_fails(NULL, CG_ERR_IO, "/nonexistent/cg-default");
}

Test(classify, open_error_message_is_truncated_safely)
{
    char small[8];
    memset(small, 'x', sizeof small);
    cg_model *m;
    cr_expect_eq(cg_model_open("/nonexistent/cg-bundle", &m, small, sizeof small), CG_ERR_IO);
    cr_expect_eq(strlen(small), sizeof small - 1, "the message is cut and NUL-terminated");
    cr_expect_eq(cg_model_open("/nonexistent/cg-bundle", &m, NULL, 0), CG_ERR_IO);
}

/* Reasons: strongest first, all pushing toward the label, words found where the comment spells them;
 * an insult's reasons name its insulting words. */
Test(classify, explain_names_the_words_that_pushed)
{
    const char *text = "You are a STUPID idiot and a moron.";
    cg_result r = classify(text, NULL);
    cr_assert_eq(r.label, CG_ABUSIVE);
    cg_reason reasons[8];
    size_t n = 0;
    cr_assert_eq(cg_explain(model, ws, text, strlen(text), NULL, r.label, reasons, 8, &n), CG_OK, "%s",
                 cg_workspace_error(ws));
    cr_assert_gt(n, 0);
    int named_insult = 0;
    for (size_t i = 0; i < n; i++) {
        cr_expect_gt(reasons[i].weight, 0.0);
        if (i > 0)
            cr_expect_leq(reasons[i].weight, reasons[i - 1].weight);
        if (reasons[i].start >= 0)
            cr_expect_eq(strncasecmp(text + reasons[i].start, reasons[i].text,
                                     (size_t)(reasons[i].end - reasons[i].start)), 0, "%s", reasons[i].text);
        named_insult |= strcmp(reasons[i].text, "stupid") == 0 || strcmp(reasons[i].text, "idiot") == 0 ||
                        strcmp(reasons[i].text, "moron") == 0;
    }
    cr_expect(named_insult, "no insult among the reasons");
    size_t two = 0;
    cr_assert_eq(cg_explain(model, ws, text, strlen(text), NULL, r.label, reasons, 2, &two), CG_OK);
    cr_expect_eq(two, n < 2 ? n : 2);
}

Test(classify, explain_refuses_what_is_not_a_class)
{
    cg_reason reasons[2];
    size_t n;
    cr_expect_eq(cg_explain(model, ws, "hi", 2, NULL, CG_UNSURE, reasons, 2, &n), CG_ERR_INPUT);
    cr_expect_neq(cg_workspace_error(ws)[0], '\0');
    cr_expect_eq(cg_explain(model, ws, "hi", 2, NULL, CG_ABUSIVE, NULL, 2, &n), CG_ERR_INPUT);
}

/* Count the fixture's comments whose label is not the most probable class, and those labelled c. */
static void label_census(cg_model *m, size_t *inconsistent, size_t labelled[CG_NUM_CLASSES])
{
    cg_workspace *w;
    cr_assert_eq(cg_workspace_new(m, &w), CG_OK);
    cg_dataset ds;
    cr_assert_eq(cg_dataset_load(CG_TRAIN_FIXTURE, &ds, err, sizeof err), CG_OK, "%s", err);
    *inconsistent = 0;
    memset(labelled, 0, CG_NUM_CLASSES * sizeof *labelled);
    for (size_t r = 0; r < ds.n; r++) {
        cg_result res;
        cr_assert_eq(cg_classify(m, w, ds.rows[r].text, ds.rows[r].text_len, NULL, &res), CG_OK);
        for (int c = 0; c < CG_NUM_CLASSES; c++)
            *inconsistent += res.prob[c] > res.prob[res.label];
        labelled[res.label]++;
    }
    cg_dataset_free(&ds);
    cg_workspace_free(w);
}

Test(classify, the_label_is_always_the_most_probable_class)
{
    /* A bundle whose bundle.json keeps decision weights apart from the probabilities (as format-1
     * bundles of earlier versions did): loading folds them into the sigmoids, so the weights still
     * move labels, and every label is the class its probabilities rank first. */
    cg_extractor_config config;
    double weight[CG_NUM_CLASSES];
    cr_assert_eq(cg_bundle_read_settings(bundle_dir, &config, weight, err, sizeof err), CG_OK, "%s", err);
    size_t plain_bad, plain[CG_NUM_CLASSES], weighted_bad, weighted[CG_NUM_CLASSES];
    label_census(model, &plain_bad, plain);
    const double strong[CG_NUM_CLASSES] = {0.01, 100, 100};
    cr_assert_eq(cg_bundle_write_settings(bundle_dir, &config, strong, err, sizeof err), CG_OK, "%s", err);
    cg_model *m;
    cr_assert_eq(cg_model_open(bundle_dir, &m, err, sizeof err), CG_OK, "%s", err);
    label_census(m, &weighted_bad, weighted);
    cg_model_free(m);
    cr_expect_eq(plain_bad, 0);
    cr_expect_eq(weighted_bad, 0);
    cr_expect_lt(weighted[CG_ON_TOPIC], plain[CG_ON_TOPIC], "weights against on-topic name it less often (%zu, not %zu)",
                 weighted[CG_ON_TOPIC], plain[CG_ON_TOPIC]);
}
