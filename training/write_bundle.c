/* write_bundle.c - writing a trained model as a bundle directory, all or nothing. */
#define _GNU_SOURCE /* renameat2 */
#include "write_bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "site_model.h"
#include "topicality.h"

/* The non-zero weights of w[1..dim] as a libsvm vector. */
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

/* The compact libsvm model of DESIGN.md: w01 and w02 as two support vectors of class 0 with
 * coefficients (1, 0) and (0, 1), w12 as one of class 1 with coefficient 1, an empty one for class
 * 2; libsvm then computes exactly f_p(x) = w_p . x - rho_p. */
cg_status cg_save_linear_model(const char *path, const cg_linear_model *m)
{
    struct svm_node empty = {-1, 0};
    struct svm_node *sv[4] = {NULL, NULL, NULL, &empty};
    double coef0[4] = {1, 0, 0, 0}, coef1[4] = {0, 1, 1, 0};
    double *coef[2] = {coef0, coef1};
    int n_sv[3] = {2, 1, 1}, label[3] = {0, 1, 2};
    double rho[3], prob_a[3], prob_b[3];
    memcpy(rho, m->rho, sizeof rho);
    memcpy(prob_a, m->prob_a, sizeof prob_a);
    memcpy(prob_b, m->prob_b, sizeof prob_b);
    cg_status st = CG_ERR_NOMEM;
    if ((sv[0] = sparse(cg_pair_weights(m, 0), m->dim)) && (sv[1] = sparse(cg_pair_weights(m, 1), m->dim)) &&
        (sv[2] = sparse(cg_pair_weights(m, 2), m->dim))) {
        struct svm_model compact = {0};
        compact.param.svm_type = C_SVC;
        compact.param.kernel_type = LINEAR;
        compact.nr_class = 3;
        compact.l = 4;
        compact.SV = sv;
        compact.sv_coef = coef;
        compact.rho = rho;
        compact.probA = prob_a;
        compact.probB = prob_b;
        compact.label = label;
        compact.nSV = n_sv;
        st = svm_save_model(path, &compact) == 0 ? CG_OK : CG_ERR_IO;
    }
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

/* The files of dir/report (train's cross-validation report: one level, no subdirectories). */
static void remove_report(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/report", dir);
    DIR *d = opendir(path);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        char file[4500];
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            unlink(file);
        }
    }
    closedir(d);
    rmdir(path);
}

static void remove_bundle_dir(const char *dir)
{
    remove_report(dir);
    /* Only what a bundle is made of: a file someone put there besides is kept, with the directory. */
    static const char *const files[] = {CG_BUNDLE_SVM, CG_BUNDLE_SVM_CACHE, CG_BUNDLE_CARD, CG_SITE_SVM, CG_SITE_IDF,
                                        CG_BUNDLE_BASE_CARD, CG_TOPIC_TABLE};
    char path[4200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    cg_bundle_remove_settings(dir);
    rmdir(dir);
}

cg_status cg_bundle_dir_begin(const char *out_dir, char *tmp, size_t tmplen, char *err, size_t errlen)
{
    if (snprintf(tmp, tmplen, "%s.tmp-%ld", out_dir, (long)getpid()) >= (int)tmplen) {
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
    return CG_OK;
}

cg_status cg_bundle_dir_commit(const char *tmp, const char *out_dir, char *err, size_t errlen)
{
    /* Swap atomically if a bundle is there already; the old one then sits at tmp. */
    struct stat sb;
    int exists = stat(out_dir, &sb) == 0;
    int moved = exists ? renameat2(AT_FDCWD, tmp, AT_FDCWD, out_dir, RENAME_EXCHANGE) : rename(tmp, out_dir);
    if (moved != 0) {
        if (err)
            snprintf(err, errlen, "cannot move the new bundle to %s: %s", out_dir, strerror(errno));
        remove_bundle_dir(tmp);
        return CG_ERR_IO;
    }
    if (exists)
        remove_bundle_dir(tmp);
    return CG_OK;
}

void cg_bundle_dir_discard(const char *tmp)
{
    remove_bundle_dir(tmp);
}

cg_status cg_write_bundle(const char *out_dir, const cg_extractor_config *config, const cg_linear_model *m,
                          const char *card_text, char *err, size_t errlen)
{
    const double ones[CG_NUM_CLASSES] = {1, 1, 1};
    char tmp[4096], path[4200];
    cg_status st = cg_bundle_dir_begin(out_dir, tmp, sizeof tmp, err, errlen);
    if (st != CG_OK)
        return st;
    snprintf(path, sizeof path, "%s/%s", tmp, CG_BUNDLE_SVM);
    st = cg_save_linear_model(path, m);
    if (st != CG_OK && err)
        snprintf(err, errlen, "cannot write %s", path);
    if (st == CG_OK)
        st = cg_bundle_write_settings(tmp, config, ones, err, errlen);
    if (st == CG_OK)
        st = cg_bundle_write_cache(tmp, err, errlen);
    if (st == CG_OK) {
        snprintf(path, sizeof path, "%s/%s", tmp, CG_BUNDLE_CARD);
        if ((st = write_text(path, card_text)) != CG_OK && err)
            snprintf(err, errlen, "cannot write %s", path);
    }
    if (st == CG_OK)
        return cg_bundle_dir_commit(tmp, out_dir, err, errlen);
    remove_bundle_dir(tmp);
    return st;
}
