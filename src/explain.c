/* explain.c - why a comment got its label: the words and signals that pushed it there.
 *
 * With a linear model, the decision value of class pair (i, j) is a sum over features of
 * weight * value. A feature's push toward class c is the sum of its terms in the decision values of
 * c's pairs (with the sign that favours c). Hashed features are handed back to the tokens they came
 * from (explain_units.c). The topicality stage is no linear weight: when it moved a comment toward
 * off-topic, its reason's weight is how far it moved the off-topic log-odds, a scale close to that
 * of the decision values. A bundle adapted to a site mixes two models: for a class the site model
 * knows, each part's pushes count by its share of the blend (w for the site model, 1 - w for the
 * base), the way a blend of log-odds would weigh them; a class it does not know is the base's alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "explain_site.h"
#include "explain_units.h"
#include "topicality.h"

static const char *const signal_names[CG_NUM_SIGNALS] = {
    [CG_SIG_LENGTH] = "length",           [CG_SIG_UPPER] = "capitals",        [CG_SIG_DIGITS] = "digits",
    [CG_SIG_URLS] = "links",              [CG_SIG_EMAILS] = "e-mail addresses", [CG_SIG_MENTIONS] = "mentions",
    [CG_SIG_PHONES] = "phone numbers",    [CG_SIG_MONEY] = "money amounts",   [CG_SIG_IMAGES] = "images",
    [CG_SIG_ANCHORS] = "HTML links",      [CG_SIG_ELONGATIONS] = "stretched words",
    [CG_SIG_EXCLAIMS] = "exclamation and question marks", [CG_SIG_INVALID] = "invalid bytes",
};

static int by_weight(const void *a, const void *b)
{
    double x = ((const struct cg_unit *)a)->weight, y = ((const struct cg_unit *)b)->weight;
    return (x < y) - (x > y);
}

/* How far the topicality stage moved the off-topic log-odds of the comment last extracted into ws
 * (0 without an article or a stage): logit(p') - logit(p), p the model's P(off-topic) and p' the
 * stage's. Negative when its way back won: the comment shares content with a long article. */
static cg_status topicality_push(const cg_model *m, cg_workspace *ws, const cg_article *article, double *out)
{
    *out = 0;
    if (!article || !m->topicality)
        return CG_OK;
    cg_topic_measure measure;
    cg_status st = cg_topicality_measure(m->topicality, &m->extractor, ws, article, &measure);
    if (st != CG_OK)
        return cg_fail(ws, st, "out of memory explaining a comment");
    double prob[CG_NUM_CLASSES];
    cg_svm_predict(&m->svm, ws->nodes, prob);
    double p = fmin(fmax(prob[CG_OFF_TOPIC], 1e-12), 1 - 1e-12);
    cg_topicality_adjust(m->topicality, &measure, prob);
    double q = fmin(fmax(prob[CG_OFF_TOPIC], 1e-12), 1 - 1e-12);
    *out = log(q / (1 - q)) - log(p / (1 - p));
    return CG_OK;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Where a normalised word stands in the original text: its first case-insensitive ASCII match
 * that is a whole word. Words that normalisation changed (accents, disguises) are not found. */
static void locate(const char *text, size_t len, const char *word, size_t wlen, long *start, long *end)
{
    *start = *end = -1;
    for (size_t i = 0; wlen > 0 && i + wlen <= len; i++) {
        size_t k = 0;
        while (k < wlen && (text[i + k] >= 'A' && text[i + k] <= 'Z' ? text[i + k] | 0x20 : text[i + k]) == word[k])
            k++;
        if (k == wlen && (i == 0 || !is_word_byte((unsigned char)text[i - 1])) &&
            (i + wlen == len || !is_word_byte((unsigned char)text[i + wlen]))) {
            *start = (long)i;
            *end = (long)(i + wlen);
            return;
        }
    }
}

/* The text of a unit that is not a word. */
static const char *unit_name(int signal)
{
    static const char *const names[CG_UNIT_KINDS - CG_NUM_SIGNALS] = {
        [CG_UNIT_ARTICLE - CG_NUM_SIGNALS] = "relation to the article",
        [CG_UNIT_LEXICON - CG_NUM_SIGNALS] = "words of the lexicon",
        [CG_UNIT_TOPICALITY - CG_NUM_SIGNALS] = "about something else than the article",
        [CG_UNIT_BELONGS - CG_NUM_SIGNALS] = "shares the article's subject",
        [CG_UNIT_WRITING - CG_NUM_SIGNALS] = "how it is written (spaces, punctuation, markup)",
        [CG_UNIT_AUTHOR_NAME - CG_NUM_SIGNALS] = "the author's name",
        [CG_UNIT_AUTHOR_URL - CG_NUM_SIGNALS] = "the author's website",
        [CG_UNIT_AUTHOR_EMAIL - CG_NUM_SIGNALS] = "the author's e-mail domain",
    };
    return signal < CG_NUM_SIGNALS ? signal_names[signal] : names[signal - CG_NUM_SIGNALS];
}

/* The base model's part, times scale: the comment extracted into ws by the base's extractor. */
static cg_status explain_base(cg_explanation *e, const cg_model *model, const cg_article *article, int label,
                              double scale)
{
    cg_workspace *ws = e->ws;
    double moved = 0; /* measured while ws still holds the comment's tokens and vector */
    cg_status st = label != CG_ABUSIVE ? topicality_push(model, ws, article, &moved) : CG_OK;
    if (st == CG_OK)
        st = cg_unit_add_tokens(e, &model->extractor, &model->svm, label, scale);
    if (st == CG_OK)
        st = cg_unit_add_dense(e, &model->extractor.config, &model->svm, label, scale);
    /* The stage moved the off-topic log-odds up (the comment is about something else) or, by its way
     * back, down (it shares the article's subject): a reason for off-topic, or for on-topic. */
    if (st == CG_OK && label == CG_OFF_TOPIC)
        st = cg_unit_add(e, CG_UNIT_TOPICALITY, moved * scale);
    if (st == CG_OK && label == CG_ON_TOPIC)
        st = cg_unit_add(e, CG_UNIT_BELONGS, -moved * scale);
    return st;
}

cg_status cg_explain_comment(const cg_model *model, cg_workspace *ws, const cg_comment *comment,
                             const cg_article *article, cg_label label, cg_reason *reasons, size_t max, size_t *count)
{
    if (!model || !ws || !comment || !count || (max > 0 && !reasons))
        return CG_ERR_INPUT;
    if (label < CG_ON_TOPIC || label > CG_ABUSIVE)
        return cg_fail(ws, CG_ERR_INPUT, "only a class (not %d) can be explained", (int)label);
    if (!model->svm.weights || (model->site && model->site->has_model && !model->site->svm.weights))
        return cg_fail(ws, CG_ERR_INPUT, "explanations need a model with a linear kernel");
    cg_result ignored;
    /* The base's vector left in ws sorted (explain_units.c looks features up by index). */
    int sorted = ws->sorted_nodes;
    ws->sorted_nodes = 1;
    cg_status st = cg_classify_comment(model, ws, comment, article, &ignored);
    ws->sorted_nodes = sorted;
    if (st != CG_OK)
        return st;
    const char *text = comment->text ? comment->text : "";
    size_t len = comment->len;
    cg_explanation e = {.ws = ws};
    const cg_site_model *site = model->site;
    /* The site model's share: cg_classify_comment ran it (ws holds its vector) when it counts. */
    double share = site && site->has_model && site->params.has_class[label] ? site->params.blend : 0;
    if (share > 0)
        st = cg_explain_site(&e, site, comment, (int)label, share);
    /* The site's part (or cg_classify_comment's own) extracted the comment with other settings: the
     * base's tokens and vector are made again. */
    if (st == CG_OK && site)
        st = cg_extract(&model->extractor, ws, text, len, article);
    if (st == CG_OK)
        st = explain_base(&e, model, article, (int)label, 1 - share);
    if (st != CG_OK)
        return st == CG_ERR_NOMEM ? cg_fail(ws, st, "out of memory explaining a comment") : st;
    qsort(ws->units, e.n, sizeof *ws->units, by_weight);

    size_t out = 0;
    for (size_t i = 0; i < e.n && out < max && ws->units[i].weight > 0; i++, out++) {
        struct cg_unit *u = &ws->units[i];
        cg_reason *r = &reasons[out];
        r->weight = u->weight;
        r->start = r->end = -1;
        if (u->signal >= 0) {
            r->text = unit_name(u->signal);
            continue;
        }
        r->text = ws->reason_text + u->text;
        if (u->start < 0)
            locate(text, len, r->text, u->len, &u->start, &u->end);
        r->start = u->start;
        r->end = u->end;
    }
    *count = out;
    return CG_OK;
}

cg_status cg_explain(const cg_model *model, cg_workspace *ws, const char *text, size_t len, const cg_article *article,
                     cg_label label, cg_reason *reasons, size_t max, size_t *count)
{
    cg_comment comment = {text, len, NULL, NULL, NULL};
    return cg_explain_comment(model, ws, &comment, article, label, reasons, max, count);
}
