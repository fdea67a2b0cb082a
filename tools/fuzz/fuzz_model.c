/* fuzz_model.c - libFuzzer harness for the model readers: the libsvm model parser (cg_svm_parse)
 * and whole bundles (bundle.json and model.svm, cg_bundle_load).
 *
 * Input: parsed as a libsvm model text as it is; then, split at its first 0x1E byte, written as
 * bundle.json (before) and model.svm (after) into a temporary directory made once and loaded as a
 * bundle. Whatever parses is used once: decision values and probabilities of a small vector must be
 * finite and the probabilities sum to 1. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"

/* Feature dimension for the plain model text. */
#define MAX_INDEX 64

static char dir[] = "/tmp/cg_fuzz_model_XXXXXX";

static void remove_dir(void)
{
    const char *names[] = {CG_BUNDLE_SETTINGS, CG_BUNDLE_SVM};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    atexit(remove_dir);
    return 0;
}

static void write_file(const char *name, const uint8_t *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}

/* Use a parsed model once, on a vector within its dimension. */
static void use(const cg_svm *svm)
{
    struct svm_node x[] = {{1, 0.5}, {svm->max_index, -0.25}, {-1, 0}};
    double dec[CG_PAIRS], prob[CG_NUM_CLASSES], sum = 0;
    if (svm->max_index <= 1)
        x[1].index = -1;
    if (svm->kernel_type == LINEAR) {
        cg_svm_decision_values(svm, x, dec);
        cg_svm_probabilities(svm, dec, prob);
        for (int p = 0; p < CG_PAIRS; p++)
            if (!isfinite(dec[p]))
                abort();
    } else {
        cg_svm_probabilities_libsvm(svm, x, prob);
    }
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        if (!(prob[c] >= 0 && prob[c] <= 1))
            abort();
        sum += prob[c];
    }
    if (fabs(sum - 1) > 1e-6 || (int)cg_svm_best(prob, svm) >= CG_NUM_CLASSES)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cg_svm svm;
    char err[256] = "";
    if (cg_svm_parse((const char *)data, size, "fuzz", MAX_INDEX, &svm, err, sizeof err) == CG_OK) {
        use(&svm);
        cg_svm_destroy(&svm);
    } else if (err[0] == '\0') {
        abort();
    }

    const uint8_t *sep = memchr(data, 0x1E, size);
    size_t len = sep ? (size_t)(sep - data) : size;
    write_file(CG_BUNDLE_SETTINGS, data, len);
    write_file(CG_BUNDLE_SVM, sep ? sep + 1 : data, sep ? size - len - 1 : 0);
    struct cg_model *model;
    err[0] = '\0';
    if (cg_bundle_load(dir, &model, err, sizeof err) == CG_OK) {
        use(&model->svm);
        cg_model_free(model);
    } else if (err[0] == '\0') {
        abort();
    }
    return 0;
}
