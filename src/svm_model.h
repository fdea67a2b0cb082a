/* svm_model.h - reading a libsvm model file safely, and its collapsed linear form. */
#ifndef CG_SVM_MODEL_H
#define CG_SVM_MODEL_H

#include <svm.h>

#include "commentguard.h"
#include "svm_types.h"

/*
 * Parse the libsvm model file at path (the text svm_save_model writes) without svm_load_model:
 * no setlocale, every count and number checked, feature indices within 1..max_index, nothing
 * allocated beyond what the file's size can justify. The model must be a 3-class C-SVC with
 * probability information and labels 0, 1, 2.
 */
cg_status cg_svm_load(const char *path, int max_index, cg_svm *out, char *err, size_t errlen);

/*
 * cg_svm_load, reading the support vectors from cache_path (written by cg_svm_write_cache) instead
 * of the text when that file is present, intact, of this version and made from exactly the bytes
 * now at path; otherwise (or with cache_path NULL) from the text. Either way the result is the
 * same, bit for bit; *used_cache (may be NULL) says which was read.
 */
cg_status cg_svm_load_cached(const char *path, const char *cache_path, int max_index, cg_svm *out, int *used_cache,
                             char *err, size_t errlen);

/* Parse the model at path (checked with max_index) and write its binary cache to cache_path,
 * through a temporary file renamed into place. */
cg_status cg_svm_write_cache(const char *path, const char *cache_path, int max_index, char *err, size_t errlen);

/* Parse from memory; `name` is used in messages. */
cg_status cg_svm_parse(const char *text, size_t len, const char *name, int max_index, cg_svm *out, char *err,
                       size_t errlen);

void cg_svm_destroy(cg_svm *svm);

/* Zeroed, 64-byte aligned room for the weights of features 0..max_index (free with free). */
double *cg_svm_alloc_weights(int max_index);

/* Decision values of the pairs for x (terminated by index -1), from the collapsed weights. */
void cg_svm_decision_values(const cg_svm *svm, const struct svm_node *x, double dec[CG_PAIRS]);

/* Probabilities from decision values, as libsvm computes them (Platt sigmoids, then the pairwise
 * coupling of Wu, Lin and Weng 2004), indexed by cg_label. */
void cg_svm_probabilities(const cg_svm *svm, const double dec[CG_PAIRS], double prob[CG_NUM_CLASSES]);

/*
 * Make the probabilities carry class weights: each pair's sigmoid (i, j) is shifted so that its
 * P(i | i or j) becomes w_i P / (w_i P + w_j (1 - P)), i.e. probB -= log(w_i / w_j), in svm and in
 * its libsvm struct if any (svm-predict then gives the same). The most probable class is then the
 * one the weights favour: no label is shown beside probabilities that rank another class first.
 */
void cg_svm_fold_class_weights(cg_svm *svm, const double weight[CG_NUM_CLASSES]);

/* The class libsvm predicts from those probabilities: the most probable, first on ties. */
cg_label cg_svm_best(const double prob[CG_NUM_CLASSES], const cg_svm *svm);

/* Probabilities through libsvm's own svm_predict_probability, indexed by cg_label. */
void cg_svm_probabilities_libsvm(const cg_svm *svm, const struct svm_node *x, double prob[CG_NUM_CLASSES]);

/* Probabilities of x, indexed by cg_label: from the collapsed weights when the model has them (a
 * linear model), else through libsvm. */
void cg_svm_predict(const cg_svm *svm, const struct svm_node *x, double prob[CG_NUM_CLASSES]);

#endif
