/* train_report.c - the report of train's cross-validation, beside the model card. */
#define _POSIX_C_SOURCE 200809L
#include "train_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "dataset.h"
#include "decide.h"

static const char card_link[] =
    "\n## Cross-validation report\n\n"
    "[report/index.html](report/index.html): the cross-validated predictions of every training row drawn as "
    "`commentguard eval --report` draws a test set (confusion heat map, precision-recall curves, reliability "
    "diagram, per source, the most confidently misjudged rows with the final model's explanations).\n";

/* Append the link to DIR/CARD.md through a temporary file renamed into place. */
static int link_from_card(const char *dir)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", dir, CG_BUNDLE_CARD);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *in = fopen(path, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    int ok = in && out;
    char buf[8192];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in) && fputs(card_link, out) >= 0;
    if (in)
        fclose(in);
    if (out)
        ok &= fclose(out) == 0;
    if (ok && rename(tmp, path) == 0)
        return 0;
    unlink(tmp);
    fprintf(stderr, "commentguard: train: cannot link the report from %s: %s\n", path, strerror(errno));
    return -1;
}

int cli_write_training_report(const char *bundle_dir, const char *data_path, const cg_train_report *r)
{
    cg_dataset ds;
    char err[1024] = "", dir[4200];
    if (cg_dataset_load(data_path, &ds, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: train: report: %s\n", err);
        return -1;
    }
    cg_model *model = NULL;
    cg_result *results = ds.n == r->n_rows ? calloc(ds.n, sizeof *results) : NULL;
    int status = -1;
    if (!results)
        fprintf(stderr, "commentguard: train: report: %s\n",
                ds.n == r->n_rows ? "out of memory" : "the data file changed during training");
    else if (cg_model_open(bundle_dir, &model, err, sizeof err) != CG_OK)
        fprintf(stderr, "commentguard: train: report: %s\n", err);
    else {
        static const double ones[CG_NUM_CLASSES] = {1, 1, 1};
        static const int order[CG_NUM_CLASSES] = {CG_ON_TOPIC, CG_OFF_TOPIC, CG_ABUSIVE};
        for (size_t i = 0; i < ds.n; i++) {
            const double *p = r->row_prob + i * CG_NUM_CLASSES;
            memcpy(results[i].prob, p, sizeof results[i].prob);
            results[i].label = cg_decide(p, ones, order); /* the published rule: the most probable class */
        }
        snprintf(dir, sizeof dir, "%s/report", bundle_dir);
        status = cli_eval_write_report("train", dir, model, &ds, results, 1);
        if (status == 0)
            status = link_from_card(bundle_dir);
    }
    cg_model_free(model);
    free(results);
    cg_dataset_free(&ds);
    return status;
}
