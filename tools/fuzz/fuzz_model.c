/* fuzz_model.c - libFuzzer harness for the model readers: the libsvm model parser (cg_svm_parse)
 * and whole bundles (bundle.json, model.svm and lexicon.txt, cg_bundle_load).
 *
 * Input: parsed as a libsvm model text as it is; then, split at its first two 0x1E bytes, written as
 * bundle.json, model.svm and lexicon.txt (each empty when its part is missing) into a temporary
 * directory made once and loaded as a bundle. Whatever parses is used once: decision values and
 * probabilities of a small vector must be finite and the probabilities sum to 1; a loaded bundle
 * also classifies a comment that its lexicon may match. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "scratch.h"

/* Feature dimension for the plain model text. */
#define MAX_INDEX 64

static const char *const files[] = {CG_BUNDLE_SETTINGS, CG_BUNDLE_SVM, CG_BUNDLE_LEXICON};

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

/* A loaded bundle classifies a comment: finite probabilities that sum to 1. */
static void classify_once(const struct cg_model *model)
{
    static const char text[] = "You 1d10t, a paid shill! http://example.com";
    cg_workspace *ws;
    if (cg_workspace_new(model, &ws) != CG_OK)
        abort();
    cg_result r;
    if (cg_classify(model, ws, text, sizeof text - 1, NULL, &r) == CG_OK) {
        double sum = r.prob[0] + r.prob[1] + r.prob[2];
        if (!(fabs(sum - 1) <= 1e-6))
            abort();
    }
    cg_workspace_free(ws);
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

    /* The parts between 0x1E bytes, in the order of files[] (the last takes the rest). */
    const size_t n_files = sizeof files / sizeof files[0];
    const uint8_t *at = data;
    size_t left = size;
    for (size_t f = 0; f < n_files; f++) {
        const uint8_t *sep = f + 1 < n_files ? memchr(at, 0x1E, left) : NULL;
        size_t len = sep ? (size_t)(sep - at) : left;
        scratch_write(files[f], at, len);
        at += len + (sep != NULL);
        left -= len + (sep != NULL);
    }
    struct cg_model *model;
    err[0] = '\0';
    if (cg_bundle_load(scratch_dir(), &model, err, sizeof err) == CG_OK) {
        use(&model->svm);
        classify_once(model);
        cg_model_free(model);
    } else if (err[0] == '\0') {
        abort();
    }
    return 0;
}
