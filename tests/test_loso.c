/*
 * test_loso.c - leave-one-source-out figures from training (training/loso.c): every source held
 * out once, its rows counted, the figures in the report and the model card.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <string.h>

static char tmp[64];

static void setup(void)
{
    cgt_make_tmpdir(tmp, "loso");
}

static void teardown(void)
{
    cgt_remove_tree(tmp);
}

TestSuite(loso, .init = setup, .fini = teardown);

/* The training fixture with a "source" added to each row: a, b, c in turn. */
static char *fixture_with_sources(void)
{
    size_t len;
    char *text = cgt_read_file(CG_TRAIN_FIXTURE, &len);
    char *out = malloc(2 * len + 1024), *o = out;
    int k = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *brace = strrchr(line, '}');
        cr_assert_not_null(brace);
        o += sprintf(o, "%.*s, \"source\": \"%c\"}\n", (int)(brace - line), line, "abc"[k++ % 3]);
    }
    char *path = cgt_write_file(tmp, "sources.jsonl", out, (size_t)(o - out));
    free(text);
    free(out);
    return path;
}

Test(loso, every_source_is_held_out_once)
{
    char *data = fixture_with_sources(), *dir;
    cr_assert_geq(asprintf(&dir, "%s/bundle", tmp), 0);
    cg_train_options opt;
    cgt_train_options(&opt, dir);
    opt.data_path = data;
    opt.loso = 1;
    cg_train_report r;
    char err[512] = "";
    cr_assert_eq(cg_train_run(&opt, &r, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(r.n_loso, 3);
    size_t rows = 0;
    for (int k = 0; k < 3; k++) {
        cr_expect_eq(r.loso[k].source[0], "abc"[k], "sources in order of appearance");
        cr_expect_eq(r.loso[k].rows, 20, "each source's rows, as given");
        rows += r.loso[k].rows;
    }
    cr_expect_eq(rows, r.n_rows);
    char *card_path;
    cr_assert_geq(asprintf(&card_path, "%s/CARD.md", dir), 0);
    char *card = cgt_read_file(card_path, NULL);
    cr_expect_not_null(strstr(card, "## Leave-one-source-out"));
    cr_expect_not_null(strstr(card, "| b | 20 |"));
    cg_train_report_free(&r);
    cr_expect_null(r.loso);
    free(card);
    free(card_path);
    free(dir);
    free(data);
}

Test(loso, not_measured_without_the_option_or_with_one_source)
{
    char *dir;
    cr_assert_geq(asprintf(&dir, "%s/bundle", tmp), 0);
    cg_train_options opt;
    cgt_train_options(&opt, dir);
    opt.loso = 1; /* the fixture names no source: one source, nothing to hold out */
    cg_train_report r;
    char err[512] = "";
    cr_assert_eq(cg_train_run(&opt, &r, err, sizeof err), CG_OK, "%s", err);
    cr_expect_eq(r.n_loso, 0);
    cg_train_report_free(&r);
    free(dir);
}
