/*
 * test_lexicon.c - loading a lexicon (src/lexicon.c): entries folded like comments; bad lexicon
 * files refused with file:line; a bundle's copy (src/bundle.c) written, named, found and checked.
 * (The signal it gives a comment: test_extract.c.)
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "commentguard.h"
#include "extract.h"
#include "lexicon.h"

#define INSULTS CG_FIXTURES "/lexicon/insults.txt"

static cg_extractor ex;
static int ex_ready;
static char dir[64];

static void setup(void)
{
    cgt_make_tmpdir(dir, "lexicon");
}

static void teardown(void)
{
    if (ex_ready)
        cg_extractor_destroy(&ex);
    ex_ready = 0;
    cgt_remove_tree(dir);
}

TestSuite(lexicon, .init = setup, .fini = teardown);

/* The default settings with the given lexicon. */
static cg_extractor_config settings(const char *lexicon)
{
    cg_extractor_config c;
    memset(&c, 0, sizeof c);
    cg_extractor_config_default(&c);
    snprintf(c.lexicon, sizeof c.lexicon, "%s", lexicon);
    return c;
}

/* Initialise ex with c and load its lexicon; returns the status of the load, its message in err. */
static cg_status load(const cg_extractor_config *c, char *err, size_t errlen)
{
    if (ex_ready)
        cg_extractor_destroy(&ex);
    cr_assert_eq(cg_extractor_init(&ex, c, err, errlen), CG_OK, "%s", err);
    ex_ready = 1;
    return cg_lexicon_load(&ex, err, errlen);
}

Test(lexicon, spellings_that_fold_alike_are_one_entry)
{
    char err[512] = "";
    cg_extractor_config c = settings(INSULTS);
    cr_assert_eq(load(&c, err, sizeof err), CG_OK, "%s", err);
    /* idiot, 1d10t (folds to idiot), moron, "paid shill" */
    cr_expect_eq(ex.n_lexicon, 3);
}

/* Loading a lexicon file of these bytes fails with `status` and a message containing `message`. */
static void refused(const char *bytes, size_t len, cg_status status, const char *message)
{
    char *path = cgt_write_file(dir, "bad.txt", bytes, len);
    char err[512] = "";
    cg_extractor_config c = settings(path);
    cr_expect_eq(load(&c, err, sizeof err), status, "status for %s", message);
    cr_expect(strstr(err, message) != NULL, "'%s' says '%s'", err, message);
    cr_expect(strstr(err, path) != NULL, "'%s' names the file", err);
    cr_expect_eq(ex.n_lexicon, 0);
    cr_expect_null(ex.lexicon_keys);
    free(path);
}

Test(lexicon, bad_files_are_refused_with_their_line)
{
    refused("idiot\n# fine so far\nthree word entry\n", 35, CG_ERR_FORMAT, ":3: an entry must be one or two words");
    refused("idiot\nhttp://example.com\n", 25, CG_ERR_FORMAT, ":2: an entry must be one or two words");
    refused("idiot\n\xff\xfe\n", 9, CG_ERR_FORMAT, ":2: not valid UTF-8");
    refused("idiot\nid\0iot\n", 13, CG_ERR_FORMAT, ":2: NUL byte in an entry");
    char long_line[300];
    memset(long_line, 'a', sizeof long_line);
    refused(long_line, sizeof long_line, CG_ERR_FORMAT, ":1: an entry has at most 256 bytes");
    refused("# only a comment\n\n   \n", 22, CG_ERR_FORMAT, "no entries");
    refused("", 0, CG_ERR_FORMAT, "no entries");

    char err[512] = "";
    cg_extractor_config missing = settings("/nonexistent/lexicon.txt");
    cr_expect_eq(load(&missing, err, sizeof err), CG_ERR_IO);
    cr_expect(strstr(err, "/nonexistent/lexicon.txt") != NULL, "%s", err);
}

/* Write dir/bundle.json as `original` with extractor.lexicon's value replaced by `value` (JSON). */
static void set_bundle_lexicon(const char *bundle, const char *original, const char *value)
{
    const char *key = "\"lexicon\": \"lexicon.txt\"";
    const char *at = strstr(original, key);
    cr_assert_not_null(at, "bundle.json names its lexicon: %s", original);
    size_t n = strlen(original) + strlen(value) + 16;
    char *edited = malloc(n);
    cr_assert_not_null(edited);
    snprintf(edited, n, "%.*s\"lexicon\": %s%s", (int)(at - original), original, value, at + strlen(key));
    free(cgt_write_file(bundle, CG_BUNDLE_SETTINGS, edited, strlen(edited)));
    free(edited);
}

Test(lexicon, a_bundle_keeps_a_copy_and_refuses_a_missing_or_outside_one)
{
    cg_train_options opt;
    char *bundle = malloc(128);
    cr_assert_not_null(bundle);
    snprintf(bundle, 128, "%s/model", dir);
    cgt_train_options(&opt, bundle);
    snprintf(opt.extractor.lexicon, sizeof opt.extractor.lexicon, "%s", INSULTS);
    cg_train_report report;
    char err[512] = "";
    cr_assert_eq(cg_train_run(&opt, &report, err, sizeof err), CG_OK, "%s", err);
    cg_train_report_free(&report);

    char copy[256];
    snprintf(copy, sizeof copy, "%s/%s", bundle, CG_BUNDLE_LEXICON);
    char *original = cgt_read_file(INSULTS, NULL), *copied = cgt_read_file(copy, NULL);
    cr_expect_str_eq(copied, original, "the bundle holds the lexicon as given");
    free(original);
    free(copied);

    cg_extractor_config config;
    double weight[CG_NUM_CLASSES];
    cr_assert_eq(cg_bundle_read_settings(bundle, &config, weight, err, sizeof err), CG_OK, "%s", err);
    cr_expect_str_eq(config.lexicon, copy, "the settings name the bundle's own copy");
    cg_model *m;
    cr_assert_eq(cg_model_open(bundle, &m, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(m->extractor.n_lexicon, 3);
    cg_model_free(m);

    char settings_path[256];
    snprintf(settings_path, sizeof settings_path, "%s/%s", bundle, CG_BUNDLE_SETTINGS);
    char *settings_text = cgt_read_file(settings_path, NULL);
    const char *outside[] = {"\"../insults.txt\"", "\"/etc/passwd\"", "\"..\"", "\"\"", "7"};
    for (size_t k = 0; k < sizeof outside / sizeof outside[0]; k++) {
        set_bundle_lexicon(bundle, settings_text, outside[k]);
        cr_expect_eq(cg_model_open(bundle, &m, err, sizeof err), CG_ERR_FORMAT, "lexicon %s", outside[k]);
        cr_expect(strstr(err, "extractor.lexicon must name a file of the bundle") != NULL, "%s", err);
    }
    set_bundle_lexicon(bundle, settings_text, "\"lexicon.txt\"");
    free(settings_text);

    cr_assert_eq(unlink(copy), 0);
    cr_expect_eq(cg_model_open(bundle, &m, err, sizeof err), CG_ERR_IO);
    cr_expect(strstr(err, CG_BUNDLE_LEXICON) != NULL, "the message names the missing file: %s", err);
    free(bundle);
}

Test(lexicon, promotion_entries_are_one_or_two_words_and_sections_follow_headers)
{
    const char three[] = "idiot\n[promotion]\nvisit my\ncheck out my\n";
    refused(three, sizeof three - 1, CG_ERR_FORMAT, ":4: an entry must be one or two words");
    const char back[] = "[promotion]\nvisit my\n[unmarked]\nmuslims\n[promotion]\nsubscribe\n";
    char *path = cgt_write_file(dir, "sections.txt", back, sizeof back - 1), err[512] = "";
    cg_extractor_config c = settings(path);
    free(path);
    cr_assert_eq(load(&c, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(ex.n_lexicon, 0);
    cr_expect_eq(ex.n_unmarked, 1);
    cr_expect_eq(ex.n_promotion, 2);
}

Test(lexicon, unmarked_entries_are_single_words)
{
    const char two[] = "idiot\n[unmarked]\nmuslims\ngay people\n";
    refused(two, sizeof two - 1, CG_ERR_FORMAT, ":4: an unmarked entry must be one word");
    char err[512] = "";
    cg_extractor_config c = settings(CG_FIXTURES "/lexicon/unmarked.txt");
    cr_assert_eq(load(&c, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(ex.n_lexicon, 1);
    cr_expect_eq(ex.n_unmarked, 2);
}

/* The format_version a bundle's settings were written with. */
static int bundle_format(const char *bundle)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", bundle, CG_BUNDLE_SETTINGS);
    char *text = cgt_read_file(path, NULL);
    const char *at = strstr(text, "\"format_version\":");
    cr_assert_not_null(at, "%s", text);
    int format = atoi(at + strlen("\"format_version\":"));
    free(text);
    return format;
}

Test(lexicon, a_bundle_with_unmarked_words_is_format_3_with_promotion_4_and_one_without_format_2)
{
    const char *lexicons[] = {INSULTS, CG_FIXTURES "/lexicon/unmarked.txt", CG_FIXTURES "/lexicon/promotion.txt"};
    const int formats[] = {CG_BUNDLE_FORMAT, CG_BUNDLE_FORMAT_UNMARKED, CG_BUNDLE_FORMAT_PROMOTION};
    for (size_t k = 0; k < 3; k++) {
        cg_train_options opt;
        char bundle[128];
        snprintf(bundle, sizeof bundle, "%s/model%zu", dir, k);
        cgt_train_options(&opt, bundle);
        snprintf(opt.extractor.lexicon, sizeof opt.extractor.lexicon, "%s", lexicons[k]);
        cg_train_report report;
        char err[512] = "";
        cr_assert_eq(cg_train_run(&opt, &report, err, sizeof err), CG_OK, "%s", err);
        cg_train_report_free(&report);
        cr_expect_eq(bundle_format(bundle), formats[k], "%s", lexicons[k]);
        cg_model *m;
        cr_assert_eq(cg_model_open(bundle, &m, err, sizeof err), CG_OK, "%s", err);
        cr_expect_eq(m->extractor.n_unmarked, k == 1 ? 2u : 0u);
        cr_expect_eq(m->extractor.n_promotion, k == 2 ? 3u : 0u);
        cg_model_free(m);
    }
    cr_expect_eq(CG_BUNDLE_FORMAT, 2);
    cr_expect_eq(CG_BUNDLE_FORMAT_UNMARKED, 3);
    cr_expect_eq(CG_BUNDLE_FORMAT_PROMOTION, 4);
}

Test(lexicon, a_bundle_with_the_group_placeholder_is_format_5_and_reads_back)
{
    cg_train_options opt;
    char bundle[128];
    snprintf(bundle, sizeof bundle, "%s/group", dir);
    cgt_train_options(&opt, bundle);
    snprintf(opt.extractor.lexicon, sizeof opt.extractor.lexicon, "%s", CG_FIXTURES "/lexicon/unmarked.txt");
    opt.extractor.group_placeholder = 1;
    cg_train_report report;
    char err[512] = "";
    cr_assert_eq(cg_train_run(&opt, &report, err, sizeof err), CG_OK, "%s", err);
    cg_train_report_free(&report);
    cr_expect_eq(bundle_format(bundle), CG_BUNDLE_FORMAT_GROUP);
    cr_expect_eq(CG_BUNDLE_FORMAT_GROUP, 5);
    cg_extractor_config config;
    double weight[CG_NUM_CLASSES];
    cr_assert_eq(cg_bundle_read_settings(bundle, &config, weight, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(config.group_placeholder, 1);
    /* a bundle without the key (every bundle from before it) reads with the setting off */
    cr_assert_eq(cg_bundle_read_settings(CG_FIXTURES "/pinned", &config, weight, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(config.group_placeholder, 0);
}

Test(lexicon, a_bundle_without_the_length_signal_is_format_3_and_reads_back)
{
    cg_train_options opt;
    char bundle[128];
    snprintf(bundle, sizeof bundle, "%s/nolength", dir);
    cgt_train_options(&opt, bundle);
    opt.extractor.length_signal = 0;
    cg_train_report report;
    char err[512] = "";
    cr_assert_eq(cg_train_run(&opt, &report, err, sizeof err), CG_OK, "%s", err);
    cg_train_report_free(&report);
    cr_expect_eq(bundle_format(bundle), CG_BUNDLE_FORMAT_NO_LENGTH);
    cg_extractor_config config;
    double weight[CG_NUM_CLASSES];
    cr_assert_eq(cg_bundle_read_settings(bundle, &config, weight, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(config.length_signal, 0);
}
