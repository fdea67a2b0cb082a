/* test_adapt.c - `train --base`: adapting a bundle to one site's rows (training/adapt.h) and the
 * adapted bundle as the library reads it (src/site_model.h), on adapt_support.h's base and site;
 * what classes without site rows keep is test_adapt_unseen.c's. */
#define _GNU_SOURCE
#include "support.h"

#include <dirent.h>
#include <math.h>
#include <svm.h>

#include "adapt_support.h"
#include "metrics.h"

TestSuite(adapt, .init = setup, .fini = teardown);

Test(adapt, writes_a_format_3_bundle_beside_the_base_files)
{
    char *out = adapted_bundle(-1);
    static const char *const files[] = {"model.svm", "model.svm.bin", "site.svm", "site.idf", "bundle.json",
                                        "CARD.md", "BASE-CARD.md"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", out, files[i]);
        cr_assert_eq(access(path, R_OK), 0, "%s missing", path);
    }
    /* the base's model file is copied byte for byte */
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/model.svm", base_dir);
    snprintf(b, sizeof b, "%s/model.svm", out);
    size_t la, lb;
    char *ta = cgt_read_file(a, &la), *tb = cgt_read_file(b, &lb);
    cr_assert(la == lb && memcmp(ta, tb, la) == 0);
    free(ta);
    free(tb);
    snprintf(a, sizeof a, "%s/bundle.json", out);
    char *settings = cgt_read_file(a, NULL);
    cr_assert_not_null(strstr(settings, "\"format_version\": 3"));
    cr_assert_not_null(strstr(settings, "\"site\""));
    free(settings);
    /* the base stays a format-2 bundle without a site part */
    snprintf(a, sizeof a, "%s/bundle.json", base_dir);
    settings = cgt_read_file(a, NULL);
    cr_assert_not_null(strstr(settings, "\"format_version\": 2"));
    cr_assert_null(strstr(settings, "\"site\""));
    free(settings);
    cg_model *base = open_model(base_dir), *site = open_model(out);
    cr_assert_null(base->site);
    cr_assert_not_null(site->site);
    cr_assert(site->site->has_model);
    cg_model_free(base);
    cg_model_free(site);
    free(out);
}

Test(adapt, a_base_of_a_newer_format_keeps_its_format)
{
    /* A base whose lexicon has a [promotion] section is format 4: the adapted bundle stays 4, not 3,
     * so that a reader of format 3 refuses it rather than read the section's header as an insult. */
    char *base = path_in("promotion-base"), *out = path_in("promotion-site"), err[512] = "";
    cg_train_options opt;
    cgt_train_options(&opt, base);
    snprintf(opt.extractor.lexicon, sizeof opt.extractor.lexicon, "%s", CG_FIXTURES "/lexicon/promotion.txt");
    cg_train_report report;
    cr_assert_eq(cg_train_run(&opt, &report, err, sizeof err), CG_OK, "%s", err);
    cg_train_report_free(&report);
    cg_adapt_report rep;
    cr_assert_eq(adapt(base, SITE_FIXTURE, out, 0.5, 0, &rep, err, sizeof err), CG_OK, "%s", err);
    cg_adapt_report_free(&rep);
    char *path = malloc(strlen(out) + sizeof "/bundle.json");
    cr_assert_not_null(path);
    sprintf(path, "%s/bundle.json", out);
    char *settings = cgt_read_file(path, NULL);
    cr_expect_not_null(strstr(settings, "\"format_version\": 4"), "%s", settings);
    cr_expect_not_null(strstr(settings, "\"site\""));
    free(settings);
    free(path);
    cg_model *m = open_model(out);
    cr_expect_eq(m->extractor.n_promotion, 3u);
    cr_expect_not_null(m->site);
    cg_model_free(m);
    free(base);
    free(out);
}

Test(adapt, site_svm_is_a_libsvm_model_and_agrees_with_svm_predict)
{
    char *out = adapted_bundle(-1);
    char path[256];
    snprintf(path, sizeof path, "%s/site.svm", out);
    struct svm_model *ref = svm_load_model(path);
    cr_assert_not_null(ref, "svm_load_model cannot read %s", path);
    cr_assert_eq(svm_get_nr_class(ref), 3);
    cr_assert_eq(svm_check_probability_model(ref), 1);
    cg_model *m = open_model(out);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(m, &ws), CG_OK);
    for (size_t i = 0; i < N_PROBES; i++) {
        cg_comment c = {probes[i], strlen(probes[i]), "Printer Support", "https://printerfix.example/", NULL};
        cr_assert_eq(cg_site_vector(&m->site->extractor, &m->site->features, ws, &c), CG_OK);
        double ours[CG_NUM_CLASSES], theirs[CG_NUM_CLASSES];
        cg_site_probabilities(m->site, ws, ours);
        svm_predict_probability(ref, ws->nodes, theirs);
        for (int k = 0; k < CG_NUM_CLASSES; k++)
            cr_assert_float_eq(ours[k], theirs[ref->label[k]], 1e-9, "probe %zu class %d: %g vs %g", i, k, ours[k],
                               theirs[ref->label[k]]);
    }
    svm_free_and_destroy_model(&ref);
    cg_workspace_free(ws);
    cg_model_free(m);
    free(out);
}

Test(adapt, blend_zero_gives_the_base_probabilities_exactly)
{
    char *out = adapted_bundle(0);
    cg_model *site = open_model(out);
    cr_assert_eq(site->site->params.blend, 0.0);
    cg_model_free(site);
    assert_scores_as_the_base(out, "https://printerfix.example/x");
    free(out);
}

Test(adapt, a_new_comment_of_the_campaign_moves_to_off_topic)
{
    adapted_pair ap = adapted_pair_open(-1);
    cg_model *base = ap.base, *site = ap.site;
    cg_workspace *ws = ap.ws;
    const char *text = "Lovely tomatoes! Printer not responding? Dial printer support number 1-800-555-0199.";
    cg_result b = classify(base, ws, text, "http://printerfix.example/new"),
              s = classify(site, ws, text, "http://printerfix.example/new");
    cr_assert_gt(s.prob[CG_OFF_TOPIC], b.prob[CG_OFF_TOPIC]);
    cr_assert_eq(s.label, CG_OFF_TOPIC, "P(off-topic) %g", s.prob[CG_OFF_TOPIC]);
    cg_result reader = classify(site, ws, "How often do you water the tomato pots in August?", NULL);
    cr_assert_eq(reader.label, CG_ON_TOPIC, "P(on-topic) %g", reader.prob[CG_ON_TOPIC]);
    /* cg_classify is cg_classify_comment without an author */
    cg_result plain, fields;
    cg_comment c = {text, strlen(text), NULL, NULL, NULL};
    cr_assert_eq(cg_classify(site, ws, text, strlen(text), NULL, &plain), CG_OK);
    cr_assert_eq(cg_classify_comment(site, ws, &c, NULL, &fields), CG_OK);
    cr_assert_eq(memcmp(plain.prob, fields.prob, sizeof plain.prob), 0);
    adapted_pair_close(&ap);
}

/* For a class the site had no rows of, the reasons of an adapted bundle are its base part's: the same
 * words with the same weights, not the base's weights read off the site model's vector. */
Test(adapt, explanations_of_a_class_the_site_lacks_are_the_base_parts)
{
    adapted_pair ap = adapted_pair_open(-1);
    cg_model *base = ap.base, *site = ap.site;
    cg_workspace *ws = ap.ws;
    cg_reason from_base[8], from_site[8];
    size_t n_base = 0, n_site = 0;
    const char *text = probes[2];
    cr_assert_eq(cg_explain(base, ws, text, strlen(text), NULL, CG_ABUSIVE, from_base, 8, &n_base), CG_OK);
    char words[8][64];
    for (size_t i = 0; i < n_base; i++)
        snprintf(words[i], sizeof words[i], "%s", from_base[i].text); /* the next call reuses ws */
    cr_assert_eq(cg_explain(site, ws, text, strlen(text), NULL, CG_ABUSIVE, from_site, 8, &n_site), CG_OK,
                 "%s", cg_workspace_error(ws));
    cr_assert_gt(n_base, 1);
    cr_assert_eq(n_site, n_base);
    for (size_t i = 0; i < n_base; i++) {
        cr_assert_str_eq(from_site[i].text, words[i], "reason %zu", i);
        cr_assert_eq(from_site[i].weight, from_base[i].weight, "reason %zu", i);
        cr_assert_eq(from_site[i].start, from_base[i].start);
    }
    adapted_pair_close(&ap);
}

/* A reason kept past the workspace that held its text. */
typedef struct kept_reason {
    char text[64];
    double weight;
    long start, end;
} kept_reason;

/* The reasons for off-topic of a comment of the campaign, with its author's web site, from the bundle
 * adapted with the site model's weight `blend`, into kept[0..64). */
static size_t campaign_reasons(double blend, kept_reason *kept)
{
    static const char text[] = "Printer offline again? Call our printer support number 1-800-555-0199 for instant help.";
    char *out = adapted_bundle(blend);
    cg_model *site = open_model(out);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(site, &ws), CG_OK);
    cg_comment c = {text, strlen(text), "Printer Support", "https://printerfix.example/x", NULL};
    cg_reason reasons[64];
    size_t n = 0;
    cr_assert_eq(cg_explain_comment(site, ws, &c, NULL, CG_OFF_TOPIC, reasons, 64, &n), CG_OK, "%s",
                 cg_workspace_error(ws));
    for (size_t i = 0; i < n; i++) {
        snprintf(kept[i].text, sizeof kept[i].text, "%s", reasons[i].text);
        kept[i].weight = reasons[i].weight;
        kept[i].start = reasons[i].start;
        kept[i].end = reasons[i].end;
    }
    cg_workspace_free(ws);
    cg_model_free(site);
    cgt_remove_tree(out);
    free(out);
    return n;
}

static const kept_reason *reason_named(const kept_reason *reasons, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(reasons[i].text, text) == 0)
            return &reasons[i];
    return NULL;
}

/* For the site's classes the site model's share is explained too: its words, where they stand in the
 * comment, and the author's web site that the campaign's rows share. */
Test(adapt, explanations_of_the_sites_classes_name_the_site_models_reasons)
{
    kept_reason reasons[64];
    size_t n = campaign_reasons(1, reasons);
    const kept_reason *printer = reason_named(reasons, n, "printer"), *site = reason_named(reasons, n, "the author's website");
    cr_assert_not_null(printer, "no reason \"printer\" among %zu", n);
    cr_assert_eq(printer->start, 0); /* "Printer" as written, first of its two places */
    cr_assert_eq(printer->end, 7);
    cr_assert_not_null(site);
    cr_assert_gt(site->weight, 0);
    /* with the site model's weight 1 the base counts for nothing: none of its signals is a reason */
    cr_assert_null(reason_named(reasons, n, "phone numbers"));
    cr_assert_null(reason_named(reasons, n, "about something else than the article"));
    for (size_t i = 1; i < n; i++)
        cr_assert_geq(reasons[i - 1].weight, reasons[i].weight, "strongest first");
}

/* Each part's pushes count by its share of the blend: the author's web site, which only the site model
 * reads, weighs half as much at blend 0.5 as at 1; at blend 0 it is no reason at all. */
Test(adapt, the_site_models_reasons_count_by_its_share_of_the_blend)
{
    kept_reason whole[64], half[64], none[64];
    size_t n_whole = campaign_reasons(1, whole), n_half = campaign_reasons(0.5, half), n_none = campaign_reasons(0, none);
    const kept_reason *a = reason_named(whole, n_whole, "the author's website"),
                      *b = reason_named(half, n_half, "the author's website");
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_float_eq(b->weight, 0.5 * a->weight, 1e-12 * a->weight);
    cr_assert_null(reason_named(none, n_none, "the author's website"));
}

Test(adapt, the_author_fields_are_features_of_the_site_model)
{
    char *out = adapted_bundle(-1);
    cg_model *site = open_model(out);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(site, &ws), CG_OK);
    const char *text = "Nice post, thanks for sharing.";
    cg_comment with_campaign = {text, strlen(text), "Joe", "https://www.printerfix.example/", NULL},
               with_other = {text, strlen(text), "Joe", "https://www.tomato-lovers.example/", NULL},
               with_same = {text, strlen(text), "Joe", "HTTP://printerfix.example/other/page?x=1", NULL};
    cg_result campaign, other, same;
    cr_assert_eq(cg_classify_comment(site, ws, &with_campaign, NULL, &campaign), CG_OK);
    cr_assert_eq(cg_classify_comment(site, ws, &with_other, NULL, &other), CG_OK);
    cr_assert_eq(cg_classify_comment(site, ws, &with_same, NULL, &same), CG_OK);
    /* the campaign's web site speaks for off-topic; a web site never seen does not */
    cr_assert_gt(campaign.prob[CG_OFF_TOPIC], other.prob[CG_OFF_TOPIC] + 0.02, "%g vs %g", campaign.prob[CG_OFF_TOPIC],
                 other.prob[CG_OFF_TOPIC]);
    /* the host is read without scheme, "www.", port, path or case */
    cr_assert_eq(memcmp(same.prob, campaign.prob, sizeof same.prob), 0);
    cg_workspace_free(ws);
    cg_model_free(site);
    free(out);
}

Test(adapt, an_adapted_base_is_adapted_again_from_its_base_part)
{
    char *first = adapted_bundle(-1), *again = path_in("again"), err[512] = "";
    cg_adapt_report rep;
    cr_assert_eq(adapt(first, SITE_FIXTURE, again, -1, 0, &rep, err, sizeof err), CG_OK, "%s", err);
    cg_adapt_report_free(&rep);
    assert_same_scores(first, again, NULL, 0); /* same data and seed, same model */
    free(first);
    free(again);
}

Test(adapt, a_damaged_site_part_is_refused_at_load)
{
    char *out = adapted_bundle(-1);
    static const char *const bad_idf[] = {"", "rows 0\n", "rows 42\n70000 3\n", "rows 42\n5 43\n", "rows 42\n5\n"};
    for (size_t i = 0; i < sizeof bad_idf / sizeof bad_idf[0]; i++) {
        free(cgt_write_file(out, "site.idf", bad_idf[i], strlen(bad_idf[i])));
        cg_model *m = NULL;
        char err[512] = "";
        cr_assert_eq(cg_model_open(out, &m, err, sizeof err), CG_ERR_FORMAT, "site.idf \"%s\" was accepted", bad_idf[i]);
        cr_assert_null(m);
        cr_assert_not_null(strstr(err, "site.idf"), "%s", err);
    }
    free(out);
}

/* The entries of tmp, for checking that a failed run left nothing. */
static int entries_of_tmp(void)
{
    DIR *d = opendir(tmp);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void expect_bad_site(const char *content, const char *message)
{
    char *data = cgt_write_file(tmp, "bad.jsonl", content, strlen(content)), *out = path_in("out"), err[512] = "";
    int before = entries_of_tmp();
    cg_adapt_report rep;
    cg_status st = adapt(base_dir, data, out, -1, 0, &rep, err, sizeof err);
    cg_adapt_report_free(&rep);
    cr_assert_eq(st, CG_ERR_FORMAT, "status %d: %s", st, err);
    cr_assert_not_null(strstr(err, message), "message \"%s\" lacks \"%s\"", err, message);
    cr_assert_eq(entries_of_tmp(), before, "a failed run left files behind");
    cr_assert_neq(access(out, F_OK), 0);
    free(data);
    free(out);
}

Test(adapt, bad_site_files_fail_with_file_and_line_and_leave_nothing)
{
    expect_bad_site("{\"label\": \"on-topic\", \"text\": \"fine\"}\n"
                    "{\"label\": \"off-topic\", \"text\": \"spam\"}\n"
                    "{\"label\": \"spam\", \"text\": \"x\"}\n",
                    "bad.jsonl:3:");
    expect_bad_site("{\"label\": \"on-topic\", \"text\": \"fine\"}\n"
                    "{\"label\": \"on-topic\", \"text\": \"x\", \"author_url\": 5}\n",
                    "bad.jsonl:2: \"author_url\" is not a string or null");
    expect_bad_site("{\"label\": \"on-topic\", \"text\": \"fine\", \"author\": [\"a\"]}\n", "bad.jsonl:1:");
    expect_bad_site("not json\n", "bad.jsonl:1:");
}

Test(adapt, a_handful_of_rows_falls_back_to_the_base)
{
    const char *few = "{\"label\": \"on-topic\", \"text\": \"Nice tomatoes\"}\n"
                      "{\"label\": \"on-topic\", \"text\": \"Thanks for the tips\"}\n"
                      "{\"label\": \"off-topic\", \"text\": \"Call printer support now\"}\n";
    char *data = cgt_write_file(tmp, "few.jsonl", few, strlen(few)), *out = path_in("few"), err[512] = "";
    cg_adapt_report rep;
    cr_assert_eq(adapt(base_dir, data, out, -1, 5, &rep, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(rep.fallback, 1);
    cg_adapt_report_free(&rep);
    char path[256];
    snprintf(path, sizeof path, "%s/site.svm", out);
    cr_assert_neq(access(path, F_OK), 0, "a fallback bundle has no site model");
    cg_model *site = open_model(out);
    cr_assert_not_null(site->site);
    cr_assert_eq(site->site->has_model, 0);
    cg_model_free(site);
    assert_scores_as_the_base(out, NULL);
    free(data);
    free(out);
}

Test(adapt, the_figures_compare_base_and_adapted_in_nested_cross_validation)
{
    char *out = path_in("cv"), err[512] = "";
    cg_adapt_report rep;
    cr_assert_eq(adapt(base_dir, SITE_FIXTURE, out, -1, 2, &rep, err, sizeof err), CG_OK, "%s", err);
    cr_assert(rep.have_cv);
    cr_assert_eq(rep.cv.repeats, 2);
    cr_assert_eq(rep.cv.folds, 5);
    /* the base is not retrained: its figures are the same in every repetition */
    cr_assert_eq(rep.cv.rep[0][CG_SITE_BASE].auc, rep.cv.rep[1][CG_SITE_BASE].auc);
    cr_assert_eq(rep.cv.sd[CG_SITE_BASE].auc, 0.0);
    /* the campaign is easy to learn from the site's own rows */
    cr_assert_gt(rep.cv.mean[CG_SITE_ADAPTED].auc, rep.cv.mean[CG_SITE_BASE].auc);
    cr_assert(rep.cv.blend_min >= 0 && rep.cv.blend_max <= 1);
    cr_assert(rep.cv_grouped.grouped);
    cg_adapt_report_free(&rep);
    snprintf(err, sizeof err, "%s/CARD.md", out);
    char *card = cgt_read_file(err, NULL);
    cr_assert_not_null(strstr(card, "| adapted |"));
    cr_assert_not_null(strstr(card, "Grouped by article"));
    free(card);
    free(out);
}

Test(adapt, caught_at_held_and_held_share)
{
    /* on-topic scores 0.0, 0.1, ..., 0.9: the 90th percentile is 0.81 (interpolated) */
    int gold[14];
    double score[14];
    for (int i = 0; i < 10; i++) {
        gold[i] = CG_ON_TOPIC;
        score[i] = i / 10.0;
    }
    double off[4] = {0.95, 0.85, 0.80, 0.2};
    for (int i = 0; i < 4; i++) {
        gold[10 + i] = CG_OFF_TOPIC;
        score[10 + i] = off[i];
    }
    cr_assert_float_eq(cg_caught_at_held(gold, score, 14, 0.10), 0.5, 1e-12);
    cr_assert_float_eq(cg_caught_at_held(gold, score, 14, 0.0), 1.0 / 4, 1e-12);
    cr_assert(isnan(cg_caught_at_held(gold, score, 10, 0.10)));
    int label[14] = {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
    cr_assert_float_eq(cg_held_share(gold, label, 14), 0.2, 1e-12);
}

Test(adapt, a_wrong_sign_sigmoid_becomes_the_pair_prior)
{
    cg_site_data d;
    memset(&d, 0, sizeof d);
    d.has_class[CG_ON_TOPIC] = d.has_class[CG_OFF_TOPIC] = 1;
    cg_linear_model m;
    cr_assert_eq(cg_linear_model_init(&m, 4), CG_OK);
    /* pair 0 is on-topic against off-topic: P(on-topic) = 1 / (1 + exp(a f + b)) must fall as f falls */
    m.prob_a[0] = 1.5725;
    m.prob_b[0] = 0.3;
    m.prob_a[1] = 0.5; /* on-topic against abusive: not the site's pair, left to decide_foreign_pairs */
    m.prob_b[1] = 2;
    size_t count[CG_NUM_CLASSES] = {18, 6, 0};
    cg_site_guard_sigmoids(&d, count, &m);
    cr_assert_eq(m.prob_a[0], 0.0);
    cr_assert_eq(cg_site_has_evidence(&d, &m), 0, "a guarded pair is no evidence: the blend will be 0");
    cr_assert_float_eq(m.prob_b[0], log(7.0 / 19.0), 1e-15); /* P(on-topic) = 19 / 26 */
    cr_assert_eq(m.prob_a[1], 0.5);
    cr_assert_eq(m.prob_b[1], 2.0);
    m.prob_a[1] = -1; /* a pair with a class the site has no rows of tells nothing of the site's classes */
    cr_assert_eq(cg_site_has_evidence(&d, &m), 0);
    /* a sigmoid of the right sign is kept as it is */
    m.prob_a[0] = -2.25;
    m.prob_b[0] = 0.125;
    cg_site_guard_sigmoids(&d, count, &m);
    cr_assert_eq(m.prob_a[0], -2.25);
    cr_assert_eq(cg_site_has_evidence(&d, &m), 1);
    cr_assert_eq(m.prob_b[0], 0.125);
    cg_linear_model_free(&m);
}

/* Each of six texts is on-topic three times and off-topic once: nothing to learn, whatever the rows. */
Test(adapt, rows_that_teach_nothing_keep_the_base)
{
    static const char *const texts[] = {"The basil grew well.", "Water them at dawn.", "Nice photos of the beds.",
                                        "Which soil do you use?", "My peppers froze.", "Thanks for the list."};
    char rows[4096] = "";
    for (int copy = 0; copy < 4; copy++)
        for (int t = 0; t < 6; t++)
            snprintf(rows + strlen(rows), sizeof rows - strlen(rows), "{\"label\": \"%s\", \"text\": \"%s\"}\n",
                     copy == 3 ? "off-topic" : "on-topic", texts[t]);
    char *data = cgt_write_file(tmp, "noise.jsonl", rows, strlen(rows)), *out = path_in("noise"), err[512] = "";
    cg_adapt_report rep;
    cr_assert_eq(adapt(base_dir, data, out, -1, 0, &rep, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(rep.fallback, 0);
    cr_assert_eq(rep.params.blend, 0.0);
    cr_assert_leq(rep.fit.m.prob_a[0], 0.0, "the site model's sigmoid rises with on-topic evidence");
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        cr_assert_eq(rep.params.class_weight[c], 1.0);
    cg_adapt_report_free(&rep);
    assert_scores_as_the_base(out, NULL);
    free(data);
    free(out);
}

/* The cross-validation weighs the text n-grams by the document frequencies of a fold's training rows: rows
 * outside the fold count nothing, and every row's text block keeps its length. */
Test(adapt, document_frequencies_count_only_the_rows_given)
{
    cg_adapt_options opt;
    cg_adapt_options_default(&opt, base_dir, SITE_FIXTURE, NULL);
    cg_extractor site;
    char err[512] = "";
    cr_assert_eq(cg_extractor_init(&site, &opt.site_extractor, err, sizeof err), CG_OK, "%s", err);
    cg_model *base = open_model(base_dir);
    cg_site_data d;
    cr_assert_eq(cg_site_data_load(SITE_FIXTURE, &base, &site, &opt.features, 1.0, 0, &d, err, sizeof err), CG_OK,
                 "%s", err);
    cr_assert_null(base, "the base is freed before the site vectors are made");
    cr_assert_eq(d.p.n, 42);
    unsigned char use[42];
    for (size_t i = 0; i < 42; i++)
        use[i] = i % 3 != 0; /* 28 rows */
    cr_assert_eq(cg_site_data_weigh_idf(&d, &site, &opt.features, NULL), CG_OK);
    size_t slots = (size_t)1 << CG_SITE_TEXT_BITS;
    unsigned *all = malloc(slots * sizeof *all);
    cr_assert_not_null(all);
    memcpy(all, d.df, slots * sizeof *all);
    cr_assert_eq(d.df_rows, 42);
    cr_assert_eq(cg_site_data_weigh_idf(&d, &site, &opt.features, use), CG_OK);
    cr_assert_eq(d.df_rows, 28);
    int lo = cg_feature_dim(&site.config) + 1, hi = lo + (int)slots;
    size_t only_outside = 0;
    for (size_t k = 0; k < slots; k++) {
        unsigned in = 0;
        for (size_t i = 0; i < 42; i++)
            for (struct svm_node *x = d.p.x[i]; use[i] && x->index != -1; x++)
                in += x->index == lo + (int)k;
        cr_assert_eq(d.df[k], in, "slot %zu: df %u, present in %u used rows", k, d.df[k], in);
        cr_assert_leq(d.df[k], all[k]);
        only_outside += all[k] > 0 && d.df[k] == 0;
        cr_assert_float_eq(d.idf[k], cg_site_idf(d.df[k], 28), 1e-6);
    }
    cr_assert_gt(only_outside, 0, "the held-out rows' own n-grams are not counted");
    for (size_t i = 0; i < 42; i++) {
        double norm = 0;
        for (struct svm_node *x = d.p.x[i]; x->index != -1; x++)
            if (x->index >= lo && x->index < hi)
                norm += x->value * x->value;
        cr_assert_float_eq(sqrt(norm), opt.features.text_weight, 1e-9, "row %zu", i);
    }
    free(all);
    cg_site_data_free(&d);
    cg_extractor_destroy(&site);
}
