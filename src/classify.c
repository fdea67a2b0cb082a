/* classify.c - the public interface: opening models, analysing articles, classifying comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "decide.h"
#include "relevance.h"

/* Where the default model is looked for, after $COMMENTGUARD_MODEL; set by CMakeLists.txt. */
#ifndef CG_INSTALLED_MODEL_DIR
#define CG_INSTALLED_MODEL_DIR ""
#endif
#ifndef CG_SOURCE_MODEL_DIR
#define CG_SOURCE_MODEL_DIR ""
#endif

static int is_bundle(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, CG_BUNDLE_SETTINGS);
    return *dir && stat(path, &st) == 0;
}

static const char *default_bundle(void)
{
    const char *env = getenv("COMMENTGUARD_MODEL");
    if (env && *env)
        return env;
    if (is_bundle(CG_INSTALLED_MODEL_DIR))
        return CG_INSTALLED_MODEL_DIR;
    if (is_bundle(CG_SOURCE_MODEL_DIR))
        return CG_SOURCE_MODEL_DIR;
    return NULL;
}

cg_status cg_model_open(const char *bundle_dir, cg_model **out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return CG_ERR_INPUT;
    *out = NULL;
    if (!bundle_dir && !(bundle_dir = default_bundle())) {
        if (err)
            snprintf(err, errlen, "no default model: set COMMENTGUARD_MODEL or install commentguard (looked in %s and %s)",
                     CG_INSTALLED_MODEL_DIR, CG_SOURCE_MODEL_DIR);
        return CG_ERR_IO;
    }
    return cg_bundle_load(bundle_dir, out, err, errlen);
}

void cg_model_free(cg_model *model)
{
    if (!model)
        return;
    cg_svm_destroy(&model->svm);
    cg_extractor_destroy(&model->extractor);
    free(model->path);
    free(model);
}

const char *cg_model_path(const cg_model *model)
{
    return model ? model->path : NULL;
}

static cg_status check_text(cg_workspace *ws, const char *text, size_t len, const char *what)
{
    if (!text && len > 0)
        return cg_fail(ws, CG_ERR_INPUT, "%s is NULL", what);
    if (len > CG_MAX_COMMENT_BYTES)
        return cg_fail(ws, CG_ERR_INPUT, "%s of %zu bytes is longer than the limit of %u bytes", what, len,
                       CG_MAX_COMMENT_BYTES);
    return CG_OK;
}

cg_status cg_article_new(const cg_model *model, cg_workspace *ws, const char *text, size_t len, cg_article **out)
{
    if (!model || !ws || !out)
        return CG_ERR_INPUT;
    ws->error[0] = '\0';
    cg_status st = check_text(ws, text, len, "article");
    return st != CG_OK ? st : cg_article_build(&model->extractor, ws, text ? text : "", len, out);
}

void cg_article_free(cg_article *article)
{
    cg_article_destroy(article);
}

cg_status cg_classify(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                      const cg_article *article, cg_result *out)
{
    if (!model || !ws || !out)
        return CG_ERR_INPUT;
    ws->error[0] = '\0';
    cg_status st = check_text(ws, text, len, "comment");
    if (st != CG_OK)
        return st;
    if (article && article->owner != &model->extractor)
        return cg_fail(ws, CG_ERR_INPUT, "the article was analysed with another model");
    st = cg_extract(&model->extractor, ws, text ? text : "", len, article);
    if (st != CG_OK)
        return st;
    cg_result r;
    if (model->svm.weights) {
        double dec[CG_PAIRS];
        cg_svm_decision_values(&model->svm, ws->nodes, dec);
        cg_svm_probabilities(&model->svm, dec, r.prob);
    } else {
        cg_svm_probabilities_libsvm(&model->svm, ws->nodes, r.prob);
    }
    r.label = cg_decide(r.prob, model->decision_weight, model->svm.label);
    if (r.prob[r.label] < ws->threshold[r.label])
        r.label = CG_UNSURE;
    *out = r;
    return CG_OK;
}
