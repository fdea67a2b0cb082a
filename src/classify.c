/* classify.c - the public interface: opening models, analysing articles, classifying comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "decide.h"
#include "relevance.h"
#include "site_model.h"
#include "topicality.h"

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
    cg_site_model_free(model->site);
    cg_topicality_free(model->topicality);
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
    if (st == CG_OK)
        st = cg_article_build(&model->extractor, ws, text ? text : "", len, out);
    if (st == CG_OK && model->topicality &&
        (st = cg_topicality_article(model->topicality, &model->extractor, ws, *out)) != CG_OK) {
        cg_article_destroy(*out);
        *out = NULL;
    }
    return st;
}

void cg_article_free(cg_article *article)
{
    cg_article_destroy(article);
}

/* cg_model_base_probabilities; with `fast` and a linear model, from the decision values summed during
 * extraction (cg_extract_sums: the same up to rounding), no vector written. */
static cg_status base_probabilities(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                                    const cg_article *article, int fast, double prob[CG_NUM_CLASSES])
{
    const cg_svm *svm = &model->svm;
    cg_status st;
    if (fast && svm->weights) {
        double dec[CG_PAIRS];
        if ((st = cg_extract_sums(&model->extractor, ws, text ? text : "", len, article, svm->weights, dec)) != CG_OK)
            return st;
        for (int p = 0; p < CG_PAIRS; p++)
            dec[p] -= svm->rho[p];
        cg_svm_probabilities(svm, dec, prob);
    } else {
        if ((st = cg_extract(&model->extractor, ws, text ? text : "", len, article)) != CG_OK)
            return st;
        cg_svm_predict(svm, ws->nodes, prob);
    }
    if (article && model->topicality) { /* the comment's tokens are still in ws */
        cg_topic_measure measure;
        if ((st = cg_topicality_measure(model->topicality, &model->extractor, ws, article, &measure)) != CG_OK)
            return st;
        cg_topicality_adjust(model->topicality, &measure, prob);
    }
    return CG_OK;
}

cg_status cg_model_base_probabilities(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                                      const cg_article *article, double prob[CG_NUM_CLASSES])
{
    return base_probabilities(model, ws, text, len, article, 0, prob);
}

cg_status cg_classify_comment(const cg_model *model, cg_workspace *ws, const cg_comment *comment,
                              const cg_article *article, cg_result *out)
{
    if (!model || !ws || !comment || !out)
        return CG_ERR_INPUT;
    ws->error[0] = '\0';
    cg_status st = check_text(ws, comment->text, comment->len, "comment");
    if (st != CG_OK)
        return st;
    if (article && article->owner != &model->extractor)
        return cg_fail(ws, CG_ERR_INPUT, "the article was analysed with another model");
    cg_result r;
    if ((st = base_probabilities(model, ws, comment->text, comment->len, article, !ws->sorted_nodes, r.prob)) != CG_OK)
        return st;
    const cg_site_model *site = model->site;
    if (site && site->has_model && site->params.blend > 0) { /* blend 0: the base's judgement, its rule too */
        double base[CG_NUM_CLASSES], site_prob[CG_NUM_CLASSES];
        memcpy(base, r.prob, sizeof base);
        if ((st = cg_site_vector(&site->extractor, &site->features, ws, comment)) != CG_OK)
            return st;
        cg_site_probabilities(site, ws, site_prob);
        cg_site_combine(&site->params, base, site_prob, r.prob);
        r.label = cg_site_decide(&site->params, base, model->decision_weight, r.prob, model->svm.label);
    } else {
        r.label = cg_decide(r.prob, model->decision_weight, model->svm.label);
    }
    if (r.prob[r.label] < ws->threshold[r.label])
        r.label = CG_UNSURE;
    *out = r;
    return CG_OK;
}

cg_status cg_classify(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                      const cg_article *article, cg_result *out)
{
    cg_comment comment = {text, len, NULL, NULL, NULL};
    return cg_classify_comment(model, ws, &comment, article, out);
}
