/* adapt_support.h - what test_adapt.c and test_adapt_unseen.c share: a base trained on the test
 * fixture in a temporary directory (setup, teardown), adapting it to fixtures/site/blog.jsonl (invented
 * comments on a gardening post, with a printer-support spam campaign whose authors carry one web
 * site), and probes classified by both. Include it once, after support.h. */
#ifndef CG_ADAPT_SUPPORT_H
#define CG_ADAPT_SUPPORT_H

#include "adapt.h"
#include "adapt_report.h"
#include "bundle.h"
#include "site_model.h"

#define SITE_FIXTURE CG_FIXTURES "/site/blog.jsonl"

static char tmp[64];
static char *base_dir;

static inline void setup(void)
{
    cgt_make_tmpdir(tmp, "adapt");
    base_dir = cgt_train_bundle(tmp, "base");
}

static inline void teardown(void)
{
    free(base_dir);
    cgt_remove_tree(tmp);
}

static inline char *path_in(const char *name)
{
    char *p = malloc(strlen(tmp) + strlen(name) + 2);
    cr_assert_not_null(p);
    sprintf(p, "%s/%s", tmp, name);
    return p;
}

/* The rule for classes without site rows that adapt() uses (train --base's default unless a test says). */
static cg_unseen_rule unseen_rule = CG_UNSEEN_CAPPED;

/* Adapt base to data into tmp/out with the figures' cross-validation off unless repeats > 0. */
static inline cg_status adapt(const char *base, const char *data, const char *out, double blend, int repeats,
                       cg_adapt_report *rep, char *err, size_t errlen)
{
    cg_adapt_options opt;
    cg_adapt_options_default(&opt, base, data, out);
    cr_assert_eq(opt.fit.unseen, CG_UNSEEN_CAPPED, "train --base's default rule");
    opt.fit.unseen = unseen_rule;
    opt.fit.blend = blend;
    opt.repeats = repeats;
    cg_status st = cg_adapt_run(&opt, rep, err, errlen);
    if (st == CG_OK)
        st = cg_adapt_write(&opt, rep, err, errlen);
    return st;
}

static inline char *adapted_bundle(double blend)
{
    char *out = path_in("site"), err[512] = "";
    cg_adapt_report rep;
    cg_status st = adapt(base_dir, SITE_FIXTURE, out, blend, 0, &rep, err, sizeof err);
    cr_assert_eq(st, CG_OK, "adapting failed: %s", err);
    cr_assert_eq(rep.fallback, 0);
    cr_assert_eq(rep.count[CG_ON_TOPIC], 30);
    cr_assert_eq(rep.count[CG_OFF_TOPIC], 12);
    cr_assert(rep.has_class[CG_ON_TOPIC] && rep.has_class[CG_OFF_TOPIC] && !rep.has_class[CG_ABUSIVE]);
    cg_adapt_report_free(&rep);
    return out;
}

static inline cg_model *open_model(const char *dir)
{
    cg_model *m = NULL;
    char err[512] = "";
    cr_assert_eq(cg_model_open(dir, &m, err, sizeof err), CG_OK, "cannot open %s: %s", dir, err);
    return m;
}

/* An adapted bundle (adapted_bundle(blend)) opened beside its base, with one workspace for both, made for
 * the adapted bundle: its site part needs buffers the base does not. */
typedef struct adapted_pair {
    char *dir;
    cg_model *base, *site;
    cg_workspace *ws;
} adapted_pair;

static inline adapted_pair adapted_pair_open(double blend)
{
    adapted_pair p;
    p.dir = adapted_bundle(blend);
    p.base = open_model(base_dir);
    p.site = open_model(p.dir);
    cr_assert_eq(cg_workspace_new(p.site, &p.ws), CG_OK);
    return p;
}

static inline void adapted_pair_close(adapted_pair *p)
{
    cg_workspace_free(p->ws);
    cg_model_free(p->base);
    cg_model_free(p->site);
    free(p->dir);
}

static const char *const probes[] = {
    "Thanks, the tomatoes on my balcony are doing great this year.",
    "Printer offline again? Call our printer support number 1-800-555-0199 for instant help.",
    "You are a pathetic idiot and your plants are ugly.",
    "Cheap essay writing service, order online now.",
    "",
};
#define N_PROBES (sizeof probes / sizeof probes[0])

static inline cg_result classify(const cg_model *m, cg_workspace *ws, const char *text, const char *url)
{
    cg_comment c = {text, strlen(text), url ? "Printer Support" : NULL, url, NULL};
    cg_result r;
    cr_assert_eq(cg_classify_comment(m, ws, &c, NULL, &r), CG_OK, "%s", cg_workspace_error(ws));
    return r;
}

/* Every probe (with the author URL url, or none) gets exactly the same probabilities, and with labels_too
 * the same label, from the bundles in dirs a and b. */
static inline void assert_same_scores(const char *a, const char *b, const char *url, int labels_too)
{
    cg_model *ma = open_model(a), *mb = open_model(b);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(ma, &ws), CG_OK);
    for (size_t i = 0; i < N_PROBES; i++) {
        cg_result x = classify(ma, ws, probes[i], url), y = classify(mb, ws, probes[i], url);
        cr_assert_eq(memcmp(x.prob, y.prob, sizeof x.prob), 0, "probe %zu: %s and %s differ", i, a, b);
        if (labels_too)
            cr_assert_eq(x.label, y.label, "probe %zu", i);
    }
    cg_workspace_free(ws);
    cg_model_free(ma);
    cg_model_free(mb);
}

/* Every probe gets exactly the base's probabilities and label from the bundle in dir. */
static inline void assert_scores_as_the_base(const char *dir, const char *url)
{
    assert_same_scores(base_dir, dir, url, 1);
}

#endif
