/* test_adapt_unseen.c - what the classes a site has no rows of keep of the base's judgement in an
 * adapted bundle (src/site_model.h, models/README.md): the capped rule (train --base's default), the
 * probability rule, and bundles written before "unseen_classes" was a key. */
#define _GNU_SOURCE
#include "support.h"

#include "adapt_support.h"

TestSuite(adapt_unseen, .init = setup, .fini = teardown);

Test(adapt_unseen, classes_without_site_rows_keep_the_base_probability_exactly_by_the_probability_rule)
{
    unseen_rule = CG_UNSEEN_PROBABILITY;
    adapted_pair ap = adapted_pair_open(-1);
    cg_model *base = ap.base, *site = ap.site;
    cg_workspace *ws = ap.ws;
    int moved = 0;
    for (size_t i = 0; i < N_PROBES; i++) {
        cg_result b = classify(base, ws, probes[i], NULL), s = classify(site, ws, probes[i], NULL);
        cr_assert_eq(s.prob[CG_ABUSIVE], b.prob[CG_ABUSIVE], "probe %zu: abusive %.17g vs %.17g", i,
                     s.prob[CG_ABUSIVE], b.prob[CG_ABUSIVE]);
        cr_assert_float_eq(s.prob[0] + s.prob[1] + s.prob[2], 1.0, 1e-12);
        moved |= s.prob[CG_OFF_TOPIC] != b.prob[CG_OFF_TOPIC];
    }
    cr_assert(moved, "the site model changed nothing");
    /* the insult stays abusive: a site history without abuse does not teach that insults are fine */
    cg_result insult = classify(site, ws, probes[2], NULL);
    cr_assert_eq(classify(base, ws, probes[2], NULL).label, CG_ABUSIVE);
    cr_assert_eq(insult.label, CG_ABUSIVE);
    adapted_pair_close(&ap);
}

/* The capped rule (the default): abusive keeps the base's probability, or its odds against on-topic where
 * the site model lowers on-topic, so the campaign's comment loses abusive mass along with on-topic mass;
 * the insult keeps its label. */
Test(adapt_unseen, classes_without_site_rows_keep_at_most_the_base_probability_and_their_labels)
{
    adapted_pair ap = adapted_pair_open(-1);
    cg_model *base = ap.base, *site = ap.site;
    cr_assert_eq(site->site->params.unseen, CG_UNSEEN_CAPPED);
    cg_workspace *ws = ap.ws;
    for (size_t i = 0; i < N_PROBES; i++) {
        cg_result b = classify(base, ws, probes[i], NULL), s = classify(site, ws, probes[i], NULL);
        double base_odds = b.prob[CG_ABUSIVE] / b.prob[CG_ON_TOPIC], odds = s.prob[CG_ABUSIVE] / s.prob[CG_ON_TOPIC];
        if (s.prob[CG_ABUSIVE] != b.prob[CG_ABUSIVE]) {
            cr_assert_lt(s.prob[CG_ABUSIVE], b.prob[CG_ABUSIVE], "probe %zu", i);
            cr_assert_float_eq(odds, base_odds, 1e-9 * base_odds, "probe %zu: abusive odds %.17g vs %.17g", i, odds,
                               base_odds);
        }
        cr_assert_float_eq(s.prob[0] + s.prob[1] + s.prob[2], 1.0, 1e-12);
        cr_assert_eq(s.label == CG_ABUSIVE, b.label == CG_ABUSIVE, "probe %zu: labels %d and %d", i, b.label, s.label);
    }
    const char *campaign = "Printer not responding? Dial printer support number 1-800-555-0199 today.";
    cg_result b = classify(base, ws, campaign, NULL), s = classify(site, ws, campaign, NULL);
    cr_assert_gt(s.prob[CG_OFF_TOPIC], b.prob[CG_OFF_TOPIC]);
    cr_assert_lt(s.prob[CG_ABUSIVE], b.prob[CG_ABUSIVE], "the site's evidence for off-topic takes abusive mass too");
    cr_assert_float_eq(s.prob[CG_ABUSIVE] / s.prob[CG_ON_TOPIC], b.prob[CG_ABUSIVE] / b.prob[CG_ON_TOPIC],
                       1e-9 * b.prob[CG_ABUSIVE] / b.prob[CG_ON_TOPIC]);
    cr_assert_eq(classify(base, ws, probes[2], NULL).label, CG_ABUSIVE);
    cr_assert_eq(classify(site, ws, probes[2], NULL).label, CG_ABUSIVE);
    adapted_pair_close(&ap);
}

/* The adapted bundle's probabilities, worked out here from its two parts by models/README.md's formula
 * (linear blend w over the site's classes, abusive at p_b * min(1, e) with e the evidence on on-topic). */
Test(adapt_unseen, the_probabilities_are_the_capped_product_of_base_and_site_model)
{
    adapted_pair ap = adapted_pair_open(-1);
    cg_model *base = ap.base, *site = ap.site;
    const cg_site_params *p = &site->site->params;
    cr_assert(p->blend > 0 && p->space == CG_BLEND_LINEAR, "blend %g", p->blend);
    cg_workspace *ws = ap.ws;
    const char *texts[N_PROBES + 1];
    memcpy(texts, probes, sizeof probes);
    texts[N_PROBES] = "Printer not responding? Dial printer support number 1-800-555-0199 today.";
    int lowered = 0, kept = 0;
    for (size_t i = 0; i <= N_PROBES; i++) {
        double pb[CG_NUM_CLASSES], ps[CG_NUM_CLASSES];
        memcpy(pb, classify(base, ws, texts[i], NULL).prob, sizeof pb);
        cg_comment c = {texts[i], strlen(texts[i]), NULL, NULL, NULL};
        cr_assert_eq(cg_site_vector(&site->site->extractor, &site->site->features, ws, &c), CG_OK);
        cg_site_probabilities(site->site, ws, ps);
        double m = pb[0] + pb[1], s = ps[0] + ps[1], w = p->blend;
        double q_on = (1 - w) * pb[0] / m + w * ps[0] / s, q_off = (1 - w) * pb[1] / m + w * ps[1] / s;
        double e = (q_on / (q_on + q_off)) / (pb[0] / m), cap = e < 1 ? e : 1, z = m + pb[2] * cap;
        double want[CG_NUM_CLASSES] = {m * q_on / (q_on + q_off) / z, m * q_off / (q_on + q_off) / z, pb[2] * cap / z};
        cg_result r = classify(site, ws, texts[i], NULL);
        for (int k = 0; k < CG_NUM_CLASSES; k++)
            cr_assert_float_eq(r.prob[k], want[k], 1e-12, "text %zu class %d: %.17g, formula %.17g", i, k, r.prob[k],
                               want[k]);
        lowered += e < 1;
        kept += e >= 1;
    }
    cr_assert(lowered > 0 && kept > 0, "the texts should try both sides of the cap (%d lowered, %d kept)", lowered, kept);
    adapted_pair_close(&ap);
}

/* A bundle written before "unseen_classes" was a key reads as the probability rule; a bad value is refused. */
Test(adapt_unseen, a_site_part_without_unseen_classes_keeps_the_base_probability)
{
    char *out = adapted_bundle(-1), path[256];
    snprintf(path, sizeof path, "%s/bundle.json", out);
    size_t len;
    char *json = cgt_read_file(path, &len), *key = strstr(json, "\"unseen_classes\": \"capped\",");
    cr_assert_not_null(key, "%s", json);
    memmove(key, key + strlen("\"unseen_classes\": \"capped\","), strlen(key) - strlen("\"unseen_classes\": \"capped\",") + 1);
    free(cgt_write_file(out, "bundle.json", json, strlen(json)));
    cg_model *base = open_model(base_dir), *site = open_model(out);
    cr_assert_eq(site->site->params.unseen, CG_UNSEEN_PROBABILITY);
    cg_workspace *ws;
    cr_assert_eq(cg_workspace_new(base, &ws), CG_OK);
    for (size_t i = 0; i < N_PROBES; i++)
        cr_assert_eq(classify(site, ws, probes[i], NULL).prob[CG_ABUSIVE], classify(base, ws, probes[i], NULL).prob[CG_ABUSIVE]);
    cg_workspace_free(ws);
    cg_model_free(base);
    cg_model_free(site);
    char *bad = strstr(json, "\"blend\":");
    cr_assert_not_null(bad);
    char *damaged = malloc(len + 64);
    cr_assert_not_null(damaged);
    snprintf(damaged, len + 64, "%.*s\"unseen_classes\": \"maybe\", %s", (int)(bad - json), json, bad);
    free(cgt_write_file(out, "bundle.json", damaged, strlen(damaged)));
    cg_model *m = NULL;
    char err[512] = "";
    cr_assert_eq(cg_model_open(out, &m, err, sizeof err), CG_ERR_FORMAT);
    cr_assert_not_null(strstr(err, "unseen_classes"), "%s", err);
    free(damaged);
    free(json);
    free(out);
}
