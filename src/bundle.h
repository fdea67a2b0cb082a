/* bundle.h - the loaded model of a bundle directory (bundle.c); its files and settings:
 * bundle_settings.h. */
#ifndef CG_BUNDLE_H
#define CG_BUNDLE_H

#include "bundle_settings.h"
#include "extract.h"
#include "svm_model.h"

struct cg_site_model;
struct cg_topicality;

struct cg_model {
    char *path;
    cg_extractor extractor;
    cg_svm svm;
    double decision_weight[CG_NUM_CLASSES]; /* see decide.h: all 1 once loaded (folded into svm) */
    struct cg_topicality *topicality; /* the topicality stage (format 3, topicality.h), or NULL */
    struct cg_site_model *site; /* the site part of an adapted bundle (format 3), or NULL */
};

/* Load a whole bundle. */
cg_status cg_bundle_load(const char *dir, struct cg_model **out, char *err, size_t errlen);

/* Write dir/model.svm.bin from dir/model.svm (checked against dir/bundle.json), replacing any old
 * one: call it whenever model.svm is written. */
cg_status cg_bundle_write_cache(const char *dir, char *err, size_t errlen);

#endif
