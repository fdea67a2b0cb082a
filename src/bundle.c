/* bundle.c - a model bundle loaded (its settings: bundle_settings.c), and its binary cache written. */
#define _GNU_SOURCE
#include "bundle.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lexicon.h"
#include "site_model.h"
#include "topicality.h"

cg_status cg_bundle_load(const char *dir, struct cg_model **out, char *err, size_t errlen)
{
    struct cg_model *m = calloc(1, sizeof *m);
    char *svm_path = cg_bundle_path(dir, CG_BUNDLE_SVM), *cache_path = cg_bundle_path(dir, CG_BUNDLE_SVM_CACHE);
    if (!m || !svm_path || !cache_path || !(m->path = strdup(dir))) {
        free(m ? m->path : NULL);
        free(m);
        free(svm_path);
        free(cache_path);
        return CG_ERR_NOMEM;
    }
    cg_extractor_config config;
    cg_status st = cg_bundle_read_settings(dir, &config, m->decision_weight, err, errlen);
    if (st == CG_OK && (st = cg_extractor_init(&m->extractor, &config, err, errlen)) == CG_OK)
        st = cg_lexicon_load(&m->extractor, err, errlen);
    if (st == CG_OK)
        st = cg_svm_load_cached(svm_path, cache_path, cg_feature_dim(&config), &m->svm, NULL, err, errlen);
    if (st == CG_OK) {
        /* Bundles of format 1 may keep decision weights apart from the probabilities; folded in here,
         * the label is always the most probable class. (Training folds them in already.) */
        cg_svm_fold_class_weights(&m->svm, m->decision_weight);
        for (int c = 0; c < CG_NUM_CLASSES; c++)
            m->decision_weight[c] = 1.0;
        st = cg_topicality_load(dir, &m->topicality, err, errlen);
        if (st == CG_OK)
            st = cg_site_model_load(dir, &m->site, err, errlen);
    }
    free(svm_path);
    free(cache_path);
    if (st != CG_OK) {
        cg_topicality_free(m->topicality);
        cg_svm_destroy(&m->svm);
        cg_extractor_destroy(&m->extractor);
        free(m->path);
        free(m);
        return st;
    }
    *out = m;
    return CG_OK;
}

cg_status cg_bundle_write_cache(const char *dir, char *err, size_t errlen)
{
    cg_extractor_config config;
    double decision_weight[CG_NUM_CLASSES];
    cg_status st = cg_bundle_read_settings(dir, &config, decision_weight, err, errlen);
    if (st != CG_OK)
        return st;
    char *svm_path = cg_bundle_path(dir, CG_BUNDLE_SVM), *cache_path = cg_bundle_path(dir, CG_BUNDLE_SVM_CACHE);
    st = svm_path && cache_path ? cg_svm_write_cache(svm_path, cache_path, cg_feature_dim(&config), err, errlen)
                                : CG_ERR_NOMEM;
    free(svm_path);
    free(cache_path);
    return st;
}
