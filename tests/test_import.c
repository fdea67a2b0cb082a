/*
 * test_import.c - the round trip through an external trainer: `commentguard vectors --pairs`
 * writes the fixture's training vectors, Debian's liblinear-train trains each class pair with the
 * commands `vectors` prints, and `train --import-weights` turns its model files into a bundle,
 * which must score like the bundle `commentguard train` builds natively with the same C, weights,
 * tolerance and bias. Also the import's refusals.
 */
#define _GNU_SOURCE
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bundle.h"
#include "problem.h"
#include "search.h"

static char tmp[64];

static void setup(void)
{
    cgt_make_tmpdir(tmp, "import");
}

static void teardown(void)
{
    cgt_remove_tree(tmp);
}

TestSuite(import, .init = setup, .fini = teardown);

/* Run a shell command line; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char *cmd;
    va_list ap;
    va_start(ap, fmt);
    cr_assert_geq(vasprintf(&cmd, fmt, ap), 0);
    va_end(ap);
    int st = system(cmd);
    free(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(import, liblinear_train_round_trip_scores_like_the_native_bundle)
{
    const char *fixture = CG_TRAIN_FIXTURE;
    cr_assert_eq(sh("'%s' train --data '%s' --out %s/native --folds 0 --c 1 --class-weights balanced --quiet "
                    ">/dev/null",
                    CG_PROGRAM, fixture, tmp),
                 0);
    /* The commands `vectors` prints are the recipe; run them as a user would. */
    cr_assert_eq(sh("'%s' vectors --data '%s' --out %s/vec --pairs --c 1 --quiet > %s/commands", CG_PROGRAM, fixture,
                    tmp, tmp),
                 0);
    cr_assert_eq(sh("grep -c '^liblinear-train' %s/commands | grep -qx 3", tmp), 0, "three pair commands");
    cr_assert_eq(sh("grep '^liblinear-train' %s/commands | sed 's/^liblinear-train/liblinear-train -q/' | sh", tmp), 0);
    cr_assert_eq(sh("'%s' train --import-weights %s/vec/pair-0-1.model,%s/vec/pair-0-2.model,%s/vec/pair-1-2.model "
                    "--features %s/vec --data '%s' --out %s/imported --quiet >/dev/null",
                    CG_PROGRAM, tmp, tmp, tmp, tmp, fixture, tmp),
                 0);

    char err[512] = "", *native_dir, *imported_dir;
    cr_assert_geq(asprintf(&native_dir, "%s/native", tmp), 0);
    cr_assert_geq(asprintf(&imported_dir, "%s/imported", tmp), 0);
    cg_model *native, *imported;
    cr_assert_eq(cg_model_open(native_dir, &native, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_model_open(imported_dir, &imported, err, sizeof err), CG_OK, "%s", err);
    /* Same extractor: the settings travelled through vectors' bundle.json. */
    cr_assert_eq(memcmp(&native->extractor.config, &imported->extractor.config, sizeof native->extractor.config), 0);

    /* The decision values of every training vector: liblinear-train shuffles with its own rand()
     * sequence, so the two solutions differ within the solver's tolerance, not more. */
    cg_dataset ds;
    cr_assert_eq(cg_dataset_load(fixture, &ds, err, sizeof err), CG_OK, "%s", err);
    cg_extractor_config config = native->extractor.config;
    cg_problem p;
    cg_problem_options po = {.keep_center = 1};
    cr_assert_eq(cg_problem_build(&config, &ds, &po, &p, err, sizeof err), CG_OK, "%s", err);
    double worst = 0, scale = 0;
    size_t agree = 0;
    for (size_t i = 0; i < p.n; i++) {
        double a[CG_PAIRS], b[CG_PAIRS];
        cg_svm_decision_values(&native->svm, p.x[i], a);
        cg_svm_decision_values(&imported->svm, p.x[i], b);
        for (int k = 0; k < CG_PAIRS; k++) {
            worst = fmax(worst, fabs(a[k] - b[k]));
            scale = fmax(scale, fabs(a[k]));
        }
        agree += cg_vote(a) == cg_vote(b);
    }
    cr_log_info("imported vs native: largest decision difference %.3g (largest value %.3g), votes agree on %zu of %zu",
                worst, scale, agree, p.n);
    cr_expect_gt(scale, 0.5, "the native model decides something");
    cr_expect_lt(worst, 0.05 * scale);
    cr_expect_geq((double)agree, 0.95 * (double)p.n);

    cg_problem_free(&p);
    cg_dataset_free(&ds);
    cg_model_free(native);
    cg_model_free(imported);
    free(native_dir);
    free(imported_dir);
}

Test(import, three_class_liblinear_model_is_taken_as_one_versus_rest)
{
    const char *fixture = CG_TRAIN_FIXTURE;
    cr_assert_eq(sh("'%s' vectors --data '%s' --out %s/vec --quiet >/dev/null", CG_PROGRAM, fixture, tmp), 0);
    cr_assert_eq(sh("liblinear-train -q -s 3 -B 1 %s/vec/vectors.svm %s/multi.model", tmp, tmp), 0);
    cr_assert_eq(sh("'%s' train --import-weights %s/multi.model --features %s/vec --data '%s' --out %s/b --quiet "
                    ">/dev/null",
                    CG_PROGRAM, tmp, tmp, fixture, tmp),
                 0);
    char err[512] = "", *dir;
    cr_assert_geq(asprintf(&dir, "%s/b", tmp), 0);
    cg_model *m;
    cr_assert_eq(cg_model_open(dir, &m, err, sizeof err), CG_OK, "%s", err);
    cg_model_free(m);
    free(dir);
}

Test(import, refuses_what_is_not_a_usable_liblinear_model)
{
    const char *fixture = CG_TRAIN_FIXTURE;
    cr_assert_eq(sh("'%s' vectors --data '%s' --out %s/vec --quiet >/dev/null", CG_PROGRAM, fixture, tmp), 0);
    cr_assert_eq(sh("printf 'not a model\\n' > %s/junk.model", tmp), 0);
    /* Not a model: exit 1, the file named, no bundle. */
    cr_expect_eq(sh("'%s' train --import-weights %s/junk.model --features %s/vec --data '%s' --out %s/b --quiet "
                    "2> %s/err",
                    CG_PROGRAM, tmp, tmp, fixture, tmp, tmp),
                 1);
    cr_expect_eq(sh("grep -q 'junk.model: cannot be read as a liblinear model' %s/err", tmp), 0);
    cr_expect_neq(sh("test -e %s/b", tmp), 0);
    /* Two files: neither one model nor one per pair. */
    cr_expect_eq(sh("'%s' train --import-weights %s/junk.model,%s/junk.model --features %s/vec --data '%s' --out %s/b "
                    "2>/dev/null",
                    CG_PROGRAM, tmp, tmp, tmp, fixture, tmp),
                 2);
    /* A model of more features than the vectors' settings have. */
    cr_assert_eq(sh("printf '+1 300000:1\\n-1 1:1\\n' > %s/wide.svm && liblinear-train -q -s 3 %s/wide.svm "
                    "%s/wide.model",
                    tmp, tmp, tmp),
                 0);
    cr_expect_eq(sh("'%s' train --import-weights %s/wide.model,%s/wide.model,%s/wide.model --features %s/vec "
                    "--data '%s' --out %s/b --quiet 2> %s/err",
                    CG_PROGRAM, tmp, tmp, tmp, tmp, fixture, tmp, tmp),
                 1);
    cr_expect_eq(sh("grep -q 'more features' %s/err", tmp), 0);
    /* --features without weights, and the reverse. */
    cr_expect_eq(sh("'%s' train --features %s/vec --data '%s' --out %s/b 2>/dev/null", CG_PROGRAM, tmp, fixture, tmp),
                 2);
}

Test(import, a_shard_with_the_first_runs_features_gets_the_same_vectors)
{
    /* Shards of one data set, exported with --features of a first run, share its feature space:
     * the first 20 rows alone give the lines the whole file gave them. */
    const char *fixture = CG_TRAIN_FIXTURE;
    cr_assert_eq(sh("'%s' vectors --data '%s' --out %s/all --quiet >/dev/null", CG_PROGRAM, fixture, tmp), 0);
    cr_assert_eq(sh("head -20 '%s' > %s/shard.jsonl", fixture, tmp), 0);
    cr_assert_eq(sh("'%s' vectors --data %s/shard.jsonl --features %s/all --out %s/shard --quiet >/dev/null", CG_PROGRAM,
                    tmp, tmp, tmp),
                 0);
    cr_expect_eq(sh("cmp -s %s/all/bundle.json %s/shard/bundle.json", tmp, tmp), 0, "the same settings");
    cr_expect_eq(sh("n=$(wc -l < %s/shard/vectors.svm) && head -n $n %s/all/vectors.svm | cmp -s - %s/shard/vectors.svm",
                    tmp, tmp, tmp),
                 0, "the same vectors");
    /* Without --features, the shard's own relevance centre differs (it has fewer articles). */
    cr_assert_eq(sh("'%s' vectors --data %s/shard.jsonl --out %s/own --quiet >/dev/null", CG_PROGRAM, tmp, tmp), 0);
    cr_expect_neq(sh("cmp -s %s/all/bundle.json %s/own/bundle.json", tmp, tmp), 0);
}

Test(import, vectors_replace_their_directory_whole)
{
    /* Written again without a lexicon, the directory holds no lexicon, and nothing of the old one is
     * left beside it. */
    cr_assert_eq(sh("'%s' vectors --data '%s' --out %s/vec --lexicon '%s' --quiet >/dev/null", CG_PROGRAM,
                    CG_TRAIN_FIXTURE, tmp, CG_FIXTURES "/lexicon/insults.txt"),
                 0);
    cr_assert_eq(sh("test -f %s/vec/lexicon.txt", tmp), 0);
    cr_assert_eq(sh("'%s' vectors --data '%s' --out %s/vec --quiet >/dev/null", CG_PROGRAM, CG_TRAIN_FIXTURE, tmp), 0);
    cr_expect_neq(sh("test -e %s/vec/lexicon.txt", tmp), 0, "the old lexicon is gone");
    cr_expect_eq(sh("test \"$(ls -A %s)\" = vec", tmp), 0, "only vec/ in %s", tmp);
}
