/* vectors.c - `commentguard vectors`: the exact hashed training vectors of labelled comments in
 * libsvm's text format, for trainers elsewhere (liblinear, Spark MLlib, MPI-LIBLINEAR), with the
 * extractor settings that `train --import-weights` needs to turn their weights into a bundle. */
#define _GNU_SOURCE /* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "feature_options.h"
#include "pair_solver.h"
#include "problem.h"
#include "search.h"
#include "train.h"

static const char usage[] =
    "Usage: commentguard vectors --data FILE --out DIR [options]\n"
    "Write the training vectors of labelled comments (TSV or JSONL) exactly as `train` makes them,\n"
    "in libsvm's text format, for a trainer elsewhere:\n"
    "  DIR/vectors.svm       every vector, labelled 0 (on-topic), 1 (off-topic) or 2 (abusive)\n"
    "  DIR/pair-A-B.svm      with --pairs: the vectors of classes A and B, labelled +1 (A) and -1 (B)\n"
    "  DIR/bundle.json       the extractor settings, for `train --import-weights ... --features DIR`\n"
    "and print the liblinear-train commands that train each pair as `train` would.\n"
    "\n"
    "  --data FILE               the labelled comments\n"
    "  --out DIR                 the directory to write (replaced only if all of it was written)\n"
    "  --pairs                   also write one file per class pair\n"
    "  --c X                     the C to put in the printed commands (default 1)\n"
    "  --features DIR            take the extractor settings (relevance centre included) from\n"
    "                            DIR/bundle.json, as written by an earlier run: shards of one data set\n"
    "                            then get vectors of one feature space (the feature options are ignored)\n"
    CLI_FEATURE_OPTIONS_USAGE
    "  --quiet                   no progress on stderr\n";

/* One vector as a libsvm line: the label, then index:value with every digit a double has, so
 * that a trainer reads exactly the vector `train` would train on (the bias node, if any, left out:
 * trainers add their own intercept). */
static int write_vector(FILE *f, const char *label, const struct svm_node *x, int dim)
{
    fputs(label, f);
    for (; x->index != -1 && x->index <= dim; x++)
        fprintf(f, " %d:%.17g", x->index, x->value);
    return putc('\n', f) != EOF;
}

static const char *const class_label[3] = {"0", "1", "2"};

static int write_file(const char *dir, const char *name, const cg_problem *p, int pair)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    int ok = 1;
    for (size_t i = 0; ok && i < p->n; i++) {
        int y = (int)p->y[i];
        if (pair < 0)
            ok = write_vector(f, class_label[y], p->x[i], p->dim);
        else if (y == cg_pair_class[pair][0] || y == cg_pair_class[pair][1])
            ok = write_vector(f, y == cg_pair_class[pair][0] ? "+1" : "-1", p->x[i], p->dim);
    }
    ok &= fclose(f) == 0;
    return ok;
}

static void remove_dir(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/vectors.svm", dir);
    unlink(path);
    cg_bundle_remove_settings(dir);
    for (int pair = 0; pair < CG_NUM_PAIRS; pair++) {
        snprintf(path, sizeof path, "%s/pair-%d-%d.svm", dir, cg_pair_class[pair][0], cg_pair_class[pair][1]);
        unlink(path);
    }
    rmdir(dir);
}

/* Everything into a temporary directory beside out, then swapped into place. */
static int write_all(const char *out, const cg_extractor_config *config, const cg_problem *p, int pairs)
{
    char tmp[4096], err[512] = "";
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out, (long)getpid()) >= (int)sizeof tmp) {
        fprintf(stderr, "commentguard: vectors: output path too long\n");
        return 0;
    }
    remove_dir(tmp);
    if (mkdir(tmp, 0755) != 0) {
        fprintf(stderr, "commentguard: vectors: cannot create %s: %s\n", tmp, strerror(errno));
        return 0;
    }
    const double ones[CG_NUM_CLASSES] = {1, 1, 1};
    int ok = write_file(tmp, "vectors.svm", p, -1);
    for (int pair = 0; ok && pairs && pair < CG_NUM_PAIRS; pair++) {
        char name[64];
        snprintf(name, sizeof name, "pair-%d-%d.svm", cg_pair_class[pair][0], cg_pair_class[pair][1]);
        ok = write_file(tmp, name, p, pair);
    }
    if (!ok)
        fprintf(stderr, "commentguard: vectors: cannot write into %s: %s\n", tmp, strerror(errno));
    if (ok && cg_bundle_write_settings(tmp, config, ones, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: vectors: %s\n", err);
        ok = 0;
    }
    if (ok) {
        struct stat sb;
        int exists = stat(out, &sb) == 0;
        if ((exists ? renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) : rename(tmp, out)) != 0) {
            fprintf(stderr, "commentguard: vectors: cannot move the result to %s: %s\n", out, strerror(errno));
            ok = 0;
        } else if (!exists) {
            return 1;
        }
    }
    remove_dir(tmp); /* the failed attempt, or the old directory swapped out */
    return ok;
}

/* The commands that train each pair as `train` does with balanced class weights. */
static void print_commands(const char *out, const cg_problem *p, const cg_train_options *t, double c, int pairs)
{
    double weight[3];
    cg_balanced_weights(p, NULL, weight);
    printf("# balanced class weights: on-topic %.17g, off-topic %.17g, abusive %.17g\n", weight[0], weight[1],
           weight[2]);
    for (int pair = 0; pairs && pair < CG_NUM_PAIRS; pair++) {
        int a = cg_pair_class[pair][0], b = cg_pair_class[pair][1];
        printf("liblinear-train -s 3 -c %g -e %g -B %g -w1 %.17g -w-1 %.17g %s/pair-%d-%d.svm %s/pair-%d-%d.model\n", c,
               t->eps, t->bias, weight[a], weight[b], out, a, b, out, a, b);
    }
}

static void print_progress(void *ctx, size_t rows, double fraction)
{
    (void)ctx;
    fprintf(stderr, "vectors: %zu rows, %.0f%% of the file\n", rows, 100 * fraction);
}

int cli_vectors(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    const char *data = NULL, *out = NULL, *features = NULL;
    int pairs = 0, quiet = 0, st;
    double c = 1;
    cg_train_options defaults;
    cg_train_options_default(&defaults, NULL, NULL);
    cg_extractor_config config = defaults.extractor;
    cg_problem_options po = {defaults.article_copies, defaults.mismatched_articles, defaults.seed, 0, 0};
    while ((st = cli_args_next(&a)) > 0) {
        int feature = cli_feature_option(&a, &config, &po);
        if (feature == CLI_USAGE)
            return CLI_USAGE;
        if (feature)
            continue;
        if (cli_is(&a, "--data")) {
            if (!(data = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--out")) {
            if (!(out = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--pairs") || cli_is(&a, "--quiet")) {
            int *flag = cli_is(&a, "--pairs") ? &pairs : &quiet;
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            *flag = 1;
        } else if (cli_is(&a, "--features")) {
            if (!(features = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--c")) {
            if (cli_double_value(&a, 1e-6, 1e6, &c) != 0)
                return CLI_USAGE;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!data || !out)
        return cli_usage_error(&a, "--data FILE and --out DIR are required");
    const char *why = cg_extractor_config_check(&config);
    if (why)
        return cli_usage_error(&a, "feature settings: %s", why);

    cg_problem p;
    char err[1024] = "";
    double ignored[CG_NUM_CLASSES];
    if (features && cg_bundle_read_settings(features, &config, ignored, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: vectors: %s\n", err);
        return CLI_USAGE;
    }
    po.keep_center = features != NULL;
    if (cg_problem_read(&config, data, &po, quiet ? NULL : print_progress, NULL, &p, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: vectors: %s\n", err);
        return CLI_FAILED;
    }
    int ok = write_all(out, &config, &p, pairs);
    if (ok)
        print_commands(out, &p, &defaults, c, pairs);
    cg_problem_free(&p);
    return ok ? CLI_OK : CLI_FAILED;
}
