/* topicality_choose.c - the topicality stage's strengths chosen on measured comments
 * (topicality_choose.h).
 *
 * 1. The strength of m: the largest (in steps of 0.01) for which the stage turns at most
 *    hold_at_most of the on-topic comments under their own article away from on-topic beyond what
 *    the model alone does. Fitted on half moved comments, the regression alone would hold far too
 *    many: a misplaced comment is rare on a real site.
 * 2. The way back, its gate at opt's belong_mass_half (unless given, m's; lower opens it under
 *    titles and lines too: docs/article-relevance.md says what that trades): the largest
 *    belong_strength (in steps of 0.01) for which the stage turns at most release_at_most of the
 *    off-topic comments under their own article away from off-topic beyond the stage without it
 *    (spam repeated in a thread shares words with it; spam under a video title names the video).
 * 3. The strength of m again, as the way back holds fewer comments.
 */
#include "topicality_choose.h"

#include <string.h>

#include "metrics.h"

static int not_on_topic(const double p[CG_NUM_CLASSES])
{
    return p[CG_OFF_TOPIC] > p[CG_ON_TOPIC] || p[CG_ABUSIVE] > p[CG_ON_TOPIC];
}

/* Share of the comments under their own article not labelled on-topic with the stage at t, over
 * the pairs of one kind of article (whole 0 or 1) or of both (-1). */
static double held(const cg_topicality *t, const cg_topic_pair *pairs, size_t n, int whole)
{
    size_t k = 0, of = 0;
    for (size_t i = 0; i < n; i++) {
        if (whole >= 0 && pairs[i].whole != whole)
            continue;
        double p[CG_NUM_CLASSES];
        memcpy(p, pairs[i].own, sizeof p);
        cg_topicality_adjust(t, &pairs[i].own_measure, p);
        k += not_on_topic(p);
        of++;
    }
    return of ? (double)k / (double)of : 0.0;
}

/* ROC-AUC of P(off-topic), moved against own, with the stage at t, over the pairs of one kind of
 * article; positive and score have room for 2 n. */
static double moved_auc(const cg_topicality *t, const cg_topic_pair *pairs, size_t n, int whole, int *positive,
                        double *score)
{
    size_t k = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        const cg_topic_pair *p = &pairs[i % n];
        if (p->whole != whole)
            continue;
        double prob[CG_NUM_CLASSES];
        memcpy(prob, i < n ? p->own : p->moved, sizeof prob);
        cg_topicality_adjust(t, i < n ? &p->own_measure : &p->moved_measure, prob);
        positive[k] = i >= n;
        score[k++] = prob[CG_OFF_TOPIC];
    }
    return cg_roc_auc(positive, score, k);
}

/* How many of the off-topic comments under their own article the stage at t leaves labelled off-topic. */
static size_t still_off_topic(const cg_topicality *t, const cg_topic_kept *offs, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double p[CG_NUM_CLASSES];
        memcpy(p, offs[i].prob, sizeof p);
        cg_topicality_adjust(t, &offs[i].measure, p);
        k += p[CG_OFF_TOPIC] > p[CG_ON_TOPIC] && p[CG_OFF_TOPIC] >= p[CG_ABUSIVE];
    }
    return k;
}

/* The largest strength (in steps of 0.01) within the hold budget, beyond held_model. */
static void choose_strength(cg_topicality *t, const cg_topic_pair *pairs, size_t n, double held_model,
                            double hold_at_most)
{
    for (int k = 1; k <= 100; k++) { /* held grows with the strength: the last within the limit */
        t->strength = k / 100.0;
        if (held(t, pairs, n, -1) - held_model > hold_at_most + 1e-12) {
            t->strength = (k - 1) / 100.0;
            break;
        }
    }
}

/* The largest belong_strength (in steps of 0.01) that releases at most release_at_most of the
 * off-topic comments the stage without it leaves off-topic. */
static void choose_belong(cg_topicality *t, const cg_topic_kept *offs, size_t n_offs, double release_at_most)
{
    t->belong_strength = 0;
    size_t before = still_off_topic(t, offs, n_offs);
    for (int k = 1; k <= 100 && n_offs > 0; k++) { /* fewer stay off-topic as it grows */
        t->belong_strength = k / 100.0;
        if ((double)(before - still_off_topic(t, offs, n_offs)) / (double)n_offs > release_at_most + 1e-12) {
            t->belong_strength = (k - 1) / 100.0;
            break;
        }
    }
}

void cg_topic_choose(cg_topicality *t, const cg_topic_pair *pairs, size_t n, const cg_topic_kept *offs, size_t n_offs,
                     const cg_topic_fit_options *opt, int *positive, double *score, cg_topic_fit_report *report)
{
    t->strength = 0;
    t->belong_strength = 0;
    t->belong_cosine = opt->belong_cosine;
    t->belong_mass_half = opt->belong_mass_half >= 0 ? opt->belong_mass_half : t->article_mass_half;
    double held_model = held(t, pairs, n, -1);
    size_t off_model = still_off_topic(t, offs, n_offs);
    for (int w = 0; w < 2; w++) {
        report->held_model[w] = held(t, pairs, n, w);
        report->auc_model[w] = moved_auc(t, pairs, n, w, positive, score);
    }
    choose_strength(t, pairs, n, held_model, opt->hold_at_most);
    choose_belong(t, offs, n_offs, opt->release_at_most);
    choose_strength(t, pairs, n, held_model, opt->hold_at_most);
    report->held_increase = held(t, pairs, n, -1) - held_model;
    report->off_topic = n_offs / 2;
    report->off_topic_kept[0] = n_offs ? (double)off_model / (double)n_offs : 0.0;
    report->off_topic_kept[1] = n_offs ? (double)still_off_topic(t, offs, n_offs) / (double)n_offs : 0.0;
    for (int w = 0; w < 2; w++) {
        report->held_stage[w] = held(t, pairs, n, w);
        report->auc_stage[w] = moved_auc(t, pairs, n, w, positive, score);
    }
    report->strength = t->strength;
    report->belong_strength = t->belong_strength;
    report->belong_cosine = t->belong_cosine;
    report->belong_mass_half = t->belong_mass_half;
}
