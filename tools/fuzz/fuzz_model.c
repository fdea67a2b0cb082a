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
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "scratch.h"

/* Feature dimension for the plain model text. */
#define MAX_INDEX 64

static const char *const files[] = {CG_BUNDLE_SETTINGS, CG_BUNDLE_SVM};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    scratch_open("cg_fuzz_model", files, sizeof files / sizeof files[0]);
    return 0;
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
    scratch_write(CG_BUNDLE_SETTINGS, data, len);
    scratch_write(CG_BUNDLE_SVM, sep ? sep + 1 : data, sep ? size - len - 1 : 0);
    struct cg_model *model;
    err[0] = '\0';
    if (cg_bundle_load(scratch_dir(), &model, err, sizeof err) == CG_OK) {
        use(&model->svm);
        cg_model_free(model);
    } else if (err[0] == '\0') {
        abort();
    }
    return 0;
}
