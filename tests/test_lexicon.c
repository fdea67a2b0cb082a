/*
 * test_lexicon.c - a lexicon's entries (src/lexicon.c) and its signal (src/extract.c): entries
 * folded like comments, hits counted however a comment spells them, nothing else of the vector
 * changed; bad lexicon files refused with file:line; a bundle's copy (src/bundle.c) written,
 * named, found and checked.
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
#include "workspace.h"

#define INSULTS CG_FIXTURES "/lexicon/insults.txt"

static cg_workspace *ws;
static cg_extractor ex;
static int ex_ready;
static char dir[64];

static void setup(void)
{
    cr_assert_eq(cg_workspace_create(&ws), CG_OK);
    cgt_make_tmpdir(dir, "lexicon");
}

static void teardown(void)
{
    if (ex_ready)
        cg_extractor_destroy(&ex);
    ex_ready = 0;
    cg_workspace_free(ws);
    cgt_remove_tree(dir);
}

TestSuite(lexicon, .init = setup, .fini = teardown);

/* The default settings with dense signals at weight `signal_weight` and the given lexicon ("": none). */
static cg_extractor_config settings(double signal_weight, const char *lexicon)
{
    cg_extractor_config c;
    memset(&c, 0, sizeof c);
    cg_extractor_config_default(&c);
    c.signal_weight = signal_weight;
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

/* The value of the lexicon signal for text (0 when the vector has no such node). */
static double lexicon_signal(const char *text)
{
    cr_assert_eq(cg_extract(&ex, ws, text, strlen(text), NULL), CG_OK, "%s", ws->error);
    int index = cg_lexicon_base(&ex.config) + CG_LEX_HITS;
    for (size_t k = 0; k < ws->n_nodes; k++)
        if (ws->nodes[k].index == index)
            return ws->nodes[k].value;
    return 0.0;
}

Test(lexicon, spellings_that_fold_alike_are_one_entry)
{
    char err[512] = "";
    cg_extractor_config c = settings(1, INSULTS);
    cr_assert_eq(load(&c, err, sizeof err), CG_OK, "%s", err);
    /* idiot, 1d10t (folds to idiot), moron, "paid shill" */
    cr_expect_eq(ex.n_lexicon, 3);
}

Test(lexicon, hits_are_counted_however_a_comment_spells_them)
{
    char err[512] = "";
    cg_extractor_config c = settings(1, INSULTS);
    cr_assert_eq(load(&c, err, sizeof err), CG_OK, "%s", err);
    /* capped at 2 hits: one hit is 0.5 */
    cr_expect_float_eq(lexicon_signal("what an idiot"), 0.5, 1e-12);
    cr_expect_float_eq(lexicon_signal("What an IDI0T"), 0.5, 1e-12);
    cr_expect_float_eq(lexicon_signal("the author is a PAID SHILL and a m0r0n"), 1.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("idiot idiot idiot idiot"), 1.0, 1e-12);
    /* the two words of a phrase must be adjacent words; parts of words do not count */
    cr_expect_float_eq(lexicon_signal("I paid for the shill's book"), 0.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("idiotic and moronic ideas"), 0.0, 1e-12);
    cr_expect_float_eq(lexicon_signal("Thanks, a clear and useful post."), 0.0, 1e-12);
}

Test(lexicon, the_signal_takes_the_signal_weight_and_changes_nothing_else)
{
    const char *text = "You are an idiot, see http://example.com";
    char err[512] = "";
    cg_extractor_config plain = settings(0.5, "");
    cr_assert_eq(load(&plain, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_extract(&ex, ws, text, strlen(text), NULL), CG_OK);
    size_t n = ws->n_nodes;
    struct svm_node *without = malloc((n + 1) * sizeof *without);
    cr_assert_not_null(without);
    memcpy(without, ws->nodes, (n + 1) * sizeof *without);

    cg_extractor_config listed = settings(0.5, INSULTS);
    cr_assert_eq(load(&listed, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_extract(&ex, ws, text, strlen(text), NULL), CG_OK);
    cr_assert_eq(ws->n_nodes, n + 1, "one node more: the lexicon signal");
    for (size_t k = 0; k < n; k++) {
        cr_expect_eq(ws->nodes[k].index, without[k].index);
        cr_expect_float_eq(ws->nodes[k].value, without[k].value, 1e-15);
    }
    cr_expect_eq(ws->nodes[n].index, cg_lexicon_base(&listed) + CG_LEX_HITS);
    cr_expect_eq(ws->nodes[n].index, cg_feature_dim(&listed), "the lexicon is the last block");
    cr_expect_float_eq(ws->nodes[n].value, 0.25, 1e-12, "one hit of two, at signal weight 0.5");
    free(without);

    cg_extractor_config silent = settings(0, INSULTS);
    cr_assert_eq(load(&silent, err, sizeof err), CG_OK, "%s", err);
    cr_expect_float_eq(lexicon_signal(text), 0.0, 1e-12, "signal weight 0: no dense signals at all");
}

/* Loading a lexicon file of these bytes fails with `status` and a message containing `message`. */
static void refused(const char *bytes, size_t len, cg_status status, const char *message)
{
    char *path = cgt_write_file(dir, "bad.txt", bytes, len);
    char err[512] = "";
    cg_extractor_config c = settings(1, path);
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
    cg_extractor_config missing = settings(1, "/nonexistent/lexicon.txt");
    cr_expect_eq(load(&missing, err, sizeof err), CG_ERR_IO);
    cr_expect(strstr(err, "/nonexistent/lexicon.txt") != NULL, "%s", err);
}

Test(lexicon, crlf_lines_and_a_last_line_without_newline_are_read)
{
    char *path = cgt_write_file(dir, "crlf.txt", "idiot\r\nmoron", 12);
    char err[512] = "";
    cg_extractor_config c = settings(1, path);
    cr_assert_eq(load(&c, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(ex.n_lexicon, 2);
    cr_expect_float_eq(lexicon_signal("moron"), 0.5, 1e-12);
    free(path);
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
