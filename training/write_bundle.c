/* write_bundle.c - writing a trained model as a bundle directory, all or nothing. */
#define _GNU_SOURCE /* renameat2 */
#include "write_bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"

#define PAIRS 3

/* Dense w of each pair over all feature indices: w[p][f]. */
static double *collapse(const struct svm_model *m, const cg_problem *p, int dim)
{
    double *w = calloc((size_t)PAIRS * ((size_t)dim + 1), sizeof *w);
    if (!w)
        return NULL;
    int start[3] = {0, m->nSV[0], m->nSV[0] + m->nSV[1]};
    int pair = 0;
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++, pair++) {
            double *wp = w + (size_t)pair * ((size_t)dim + 1);
            int cls[2] = {i, j};
            for (int side = 0; side < 2; side++) {
                int c = cls[side];
                const double *coef = side == 0 ? m->sv_coef[j - 1] : m->sv_coef[i];
                for (int k = start[c]; k < start[c] + m->nSV[c]; k++)
                    for (const struct svm_node *x = p->x[m->sv_indices[k] - 1]; x->index != -1; x++)
                        wp[x->index] += coef[k] * x->value;
            }
        }
    return w;
}

static struct svm_node *sparse(const double *w, int dim)
{
    size_t nz = 0;
    for (int f = 1; f <= dim; f++)
        nz += w[f] != 0.0;
    struct svm_node *x = malloc((nz + 1) * sizeof *x);
    if (!x)
        return NULL;
    size_t k = 0;
    for (int f = 1; f <= dim; f++)
        if (w[f] != 0.0)
            x[k++] = (struct svm_node){f, w[f]};
    x[k].index = -1;
    return x;
}

static cg_status save_compact(const char *path, const struct svm_model *trained, const cg_problem *p, int dim)
{
    double *w = collapse(trained, p, dim);
    struct svm_node empty = {-1, 0};
    struct svm_node *sv[4] = {NULL, NULL, NULL, &empty};
    double coef0[4] = {1, 0, 0, 0}, coef1[4] = {0, 1, 1, 0};
    double *coef[2] = {coef0, coef1};
    int n_sv[3] = {2, 1, 1};
    cg_status st = CG_ERR_NOMEM;
    if (w && (sv[0] = sparse(w, dim)) && (sv[1] = sparse(w + (dim + 1), dim)) &&
        (sv[2] = sparse(w + 2 * (size_t)(dim + 1), dim))) {
        struct svm_model compact = {0};
        compact.param = trained->param;
        compact.param.kernel_type = LINEAR;
        compact.nr_class = 3;
        compact.l = 4;
        compact.SV = sv;
        compact.sv_coef = coef;
        compact.rho = trained->rho;
        compact.probA = trained->probA;
        compact.probB = trained->probB;
        compact.label = trained->label;
        compact.nSV = n_sv;
        st = svm_save_model(path, &compact) == 0 ? CG_OK : CG_ERR_IO;
    }
    free(w);
    for (int i = 0; i < 3; i++)
        free(sv[i]);
    return st;
}

static cg_status write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return CG_ERR_IO;
    int ok = fputs(text, f) >= 0;
    ok &= fclose(f) == 0;
    return ok ? CG_OK : CG_ERR_IO;
}

static void remove_bundle_dir(const char *dir)
{
    static const char *const files[] = {CG_BUNDLE_SVM, CG_BUNDLE_SVM_CACHE, CG_BUNDLE_SETTINGS, CG_BUNDLE_CARD};
    char path[4200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

cg_status cg_write_bundle(const char *out_dir, const cg_extractor_config *config,
                          const double decision_weight[CG_NUM_CLASSES], const struct svm_model *trained,
                          const cg_problem *p, const char *card_text, char *err, size_t errlen)
{
    char tmp[4096], path[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out_dir, (long)getpid()) >= (int)sizeof tmp) {
        if (err)
            snprintf(err, errlen, "output path too long");
        return CG_ERR_INPUT;
    }
    remove_bundle_dir(tmp);
    if (mkdir(tmp, 0755) != 0) {
        if (err)
            snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return CG_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/%s", tmp, CG_BUNDLE_SVM);
    cg_status st = save_compact(path, trained, p, cg_feature_dim(config));
    if (st != CG_OK && err)
        snprintf(err, errlen, "cannot write %s", path);
    if (st == CG_OK)
        st = cg_bundle_write_settings(tmp, config, decision_weight, err, errlen);
    if (st == CG_OK)
        st = cg_bundle_write_cache(tmp, err, errlen);
    if (st == CG_OK) {
        snprintf(path, sizeof path, "%s/%s", tmp, CG_BUNDLE_CARD);
        if ((st = write_text(path, card_text)) != CG_OK && err)
            snprintf(err, errlen, "cannot write %s", path);
    }
    if (st == CG_OK) {
        /* Swap atomically if a bundle is there already; the old one then sits at tmp. */
        struct stat sb;
        int exists = stat(out_dir, &sb) == 0;
        int moved = exists ? renameat2(AT_FDCWD, tmp, AT_FDCWD, out_dir, RENAME_EXCHANGE) : rename(tmp, out_dir);
        if (moved != 0) {
            if (err)
                snprintf(err, errlen, "cannot move the new bundle to %s: %s", out_dir, strerror(errno));
            st = CG_ERR_IO;
        } else if (!exists) {
            return CG_OK;
        }
    }
    remove_bundle_dir(tmp);
    return st;
}
