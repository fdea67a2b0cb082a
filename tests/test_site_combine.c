/* test_site_combine.c - how an adapted bundle's site model and base combine (src/site_model.h):
 * exact probabilities for hand-made inputs under both rules for the classes the site has no rows
 * of, and the labels those classes keep. */
#define _GNU_SOURCE
#include "support.h"

#include "site_model.h"

static const int order[CG_NUM_CLASSES] = {0, 1, 2};
static const double ones[CG_NUM_CLASSES] = {1, 1, 1};

/* A site of on-topic and off-topic rows, the site model alone on them (linear blend 1). */
static cg_site_params site_params(cg_unseen_rule unseen)
{
    return (cg_site_params){.has_class = {1, 1, 0}, .unseen = unseen, .blend = 1, .space = CG_BLEND_LINEAR,
                            .class_weight = {1, 1, 1}};
}

TestSuite(site_combine);

Test(site_combine, the_probability_rule_keeps_an_unseen_class_probability)
{
    cg_site_params p = site_params(CG_UNSEEN_PROBABILITY);
    const double base[] = {0.6, 0.1, 0.3}, site[] = {0.01, 0.99, 0};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, base, site, out);
    cr_assert_eq(out[CG_ABUSIVE], 0.3);
    cr_assert_float_eq(out[CG_ON_TOPIC], 0.7 * 0.01, 1e-15);
    cr_assert_float_eq(out[CG_OFF_TOPIC], 0.7 * 0.99, 1e-15);
}

/* The spam comment a base finds a bit rude: the site model's evidence for off-topic takes the
 * abusive mass along with the on-topic mass, the base's odds of abusive against on-topic kept. */
Test(site_combine, the_capped_rule_lowers_an_unseen_class_with_on_topic)
{
    cg_site_params p = site_params(CG_UNSEEN_CAPPED);
    const double base[] = {0.6, 0.1, 0.3}, site[] = {0.01, 0.99, 0};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, base, site, out);
    /* the evidence on on-topic is 0.01 / (0.6 / 0.7): proportional to 0.7 * 0.01, 0.7 * 0.99 and 0.3 * 0.01 * 0.7 / 0.6,
     * that is to 0.01, 0.99 and 0.005 */
    cr_assert_float_eq(out[CG_ON_TOPIC], 0.01 / 1.005, 1e-15);
    cr_assert_float_eq(out[CG_OFF_TOPIC], 0.99 / 1.005, 1e-15);
    cr_assert_float_eq(out[CG_ABUSIVE], 0.005 / 1.005, 1e-15);
    cr_assert_float_eq(out[CG_ABUSIVE] / out[CG_ON_TOPIC], 0.5, 1e-12);
    cr_assert_float_eq(out[0] + out[1] + out[2], 1.0, 1e-15);
}

/* The site model's evidence for on-topic never raises an unseen class: a comment the base is sure is
 * spam (on-topic 0.01) that the site model finds half on-topic keeps the base's 0.04 of abusive (its
 * odds against on-topic would have given it 0.67). */
Test(site_combine, the_capped_rule_never_raises_an_unseen_class)
{
    cg_site_params p = site_params(CG_UNSEEN_CAPPED);
    const double base[] = {0.01, 0.95, 0.04}, site[] = {0.5, 0.5, 0};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, base, site, out);
    cr_assert_eq(out[CG_ABUSIVE], 0.04);
    cr_assert_float_eq(out[CG_ON_TOPIC], 0.96 * 0.5, 1e-15);
    cr_assert_float_eq(out[CG_OFF_TOPIC], 0.96 * 0.5, 1e-15);
}

Test(site_combine, the_capped_rule_with_half_a_blend_and_the_base_alone)
{
    cg_site_params p = site_params(CG_UNSEEN_CAPPED);
    p.blend = 0.5; /* q = 0.5 * (0.6, 0.1) / 0.7 + 0.5 * (0.2, 0.8) */
    const double base[] = {0.6, 0.1, 0.3}, site[] = {0.2, 0.8, 0};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, base, site, out);
    double q_on = 0.5 * 0.6 / 0.7 + 0.1, q_off = 0.5 * 0.1 / 0.7 + 0.4, e = q_on / (0.6 / 0.7);
    double total = 0.7 + 0.3 * e;
    cr_assert_lt(e, 1);
    cr_assert_float_eq(out[CG_ON_TOPIC], 0.7 * q_on / total, 1e-15);
    cr_assert_float_eq(out[CG_OFF_TOPIC], 0.7 * q_off / total, 1e-15);
    cr_assert_float_eq(out[CG_ABUSIVE], 0.3 * e / total, 1e-15);
    cr_assert_float_eq(out[CG_ABUSIVE] / out[CG_ON_TOPIC], 0.3 / 0.6, 1e-12);
    p.blend = 0;
    cg_site_combine(&p, base, site, out);
    cr_assert_eq(memcmp(out, base, sizeof out), 0, "blend 0 must give the base's probabilities bit for bit");
}

/* Without on-topic among the site's classes there is no evidence on it: the probability rule. */
Test(site_combine, the_capped_rule_needs_on_topic_among_the_site_classes)
{
    cg_site_params p = site_params(CG_UNSEEN_CAPPED);
    p.has_class[CG_ON_TOPIC] = 0;
    p.has_class[CG_ABUSIVE] = 1;
    const double base[] = {0.5, 0.2, 0.3}, site[] = {0, 0.9, 0.1};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, base, site, out);
    cr_assert_eq(out[CG_ON_TOPIC], 0.5);
    cr_assert_float_eq(out[CG_OFF_TOPIC], 0.5 * 0.9, 1e-15);
    cr_assert_float_eq(out[CG_ABUSIVE], 0.5 * 0.1, 1e-15);
}

/* An insult the base labels abusive stays abusive whatever the site model says of it: a site
 * history without abusive rows does not teach that insults are fine, nor that they are spam. */
Test(site_combine, an_unseen_class_is_the_label_exactly_when_the_base_says_so)
{
    cg_site_params p = site_params(CG_UNSEEN_CAPPED);
    p.class_weight[CG_OFF_TOPIC] = 2.8;
    const double insult[] = {0.15, 0.05, 0.8}, spam_like[] = {0.05, 0.95, 0};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, insult, spam_like, out);
    cr_assert_gt(out[CG_OFF_TOPIC], out[CG_ABUSIVE]);
    cr_assert_eq(cg_site_decide(&p, insult, ones, out, order), CG_ABUSIVE);
    /* the base labels off-topic; the site model finds it half on-topic, so abusive (kept at 0.4)
     * has the largest probability, but the site's rows cannot make a comment abusive */
    const double unsure[] = {0.1, 0.5, 0.4}, even[] = {0.5, 0.5, 0}, on_like[] = {0.9, 0.1, 0};
    cg_site_combine(&p, unsure, even, out);
    cr_assert_eq(out[CG_ABUSIVE], 0.4);
    cr_assert_gt(out[CG_ABUSIVE], out[CG_ON_TOPIC]);
    cr_assert_eq(cg_site_decide(&p, unsure, ones, out, order), CG_OFF_TOPIC);
    p.class_weight[CG_OFF_TOPIC] = 1; /* on-topic and off-topic tie at 0.3: libsvm's order names on-topic */
    cr_assert_eq(cg_site_decide(&p, unsure, ones, out, order), CG_ON_TOPIC);
    p.class_weight[CG_OFF_TOPIC] = 2.8;
    /* the base's own decision weights decide what the base labels */
    const double base_weight[] = {1, 1, 0.1};
    cg_site_combine(&p, insult, on_like, out);
    cr_assert_eq(cg_site_decide(&p, insult, ones, out, order), CG_ABUSIVE);
    cr_assert_eq(cg_site_decide(&p, insult, base_weight, out, order), CG_ON_TOPIC);
}

Test(site_combine, the_probability_rule_labels_by_the_weighted_probabilities)
{
    cg_site_params p = site_params(CG_UNSEEN_PROBABILITY);
    p.class_weight[CG_OFF_TOPIC] = 2.8;
    const double insult[] = {0.15, 0.05, 0.8}, spam_like[] = {0.05, 0.95, 0};
    double out[CG_NUM_CLASSES];
    cg_site_combine(&p, insult, spam_like, out); /* off-topic 0.19 x 2.8 = 0.532 < 0.8 */
    cr_assert_eq(cg_site_decide(&p, insult, ones, out, order), CG_ABUSIVE);
    const double rude_spam[] = {0.3, 0.3, 0.4};
    cg_site_combine(&p, rude_spam, spam_like, out); /* off-topic 0.57 x 2.8 > 0.4 */
    cr_assert_eq(cg_site_decide(&p, rude_spam, ones, out, order), CG_OFF_TOPIC);
}

Test(site_combine, rule_names)
{
    cg_unseen_rule r = CG_UNSEEN_PROBABILITY;
    cr_assert_eq(cg_unseen_rule_parse("capped", &r), 0);
    cr_assert_eq(r, CG_UNSEEN_CAPPED);
    cr_assert_eq(cg_unseen_rule_parse("probability", &r), 0);
    cr_assert_eq(r, CG_UNSEEN_PROBABILITY);
    cr_assert_eq(cg_unseen_rule_parse("Capped", &r), -1);
    cr_assert_eq(cg_unseen_rule_parse("odds", &r), -1);
    cr_assert_str_eq(cg_unseen_rule_name(CG_UNSEEN_CAPPED), "capped");
}
