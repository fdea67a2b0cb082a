/* explain.c - why a comment got its label: the words and signals that pushed it there.
 *
 * With a linear model, the decision value of class pair (i, j) is a sum over features of
 * weight * value. A feature's push toward class c is the sum of its terms in the decision values of
 * c's pairs (with the sign that favours c). Hashed features are handed back to the tokens they came
 * from (a slot shared by several tokens is split by their share of its raw count); a word's push is
 * then its unigram, its character n-grams and the bigram it ends. The topicality stage is no linear
 * weight: when it moved a comment toward off-topic, its reason's weight is how far it moved the
 * off-topic log-odds, a scale close to that of the decision values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "relevance.h"
#include "topicality.h"

/* One unit of explanation: a token of the normalised text, a signal, the article, the lexicon or the
 * topicality stage. */
struct cg_unit {
    double weight;
    uint32_t start, len; /* for a token: its bytes in ws->norm */
    int signal;          /* for a signal: its index, or UNIT_ARTICLE or UNIT_LEXICON; -1 for a token */
};

#define UNIT_ARTICLE CG_NUM_SIGNALS       /* the relevance features together */
#define UNIT_LEXICON (CG_NUM_SIGNALS + 1) /* the lexicon signals together */
#define UNIT_TOPICALITY (CG_NUM_SIGNALS + 2) /* the topicality stage: the comment is about something else */

static const char *const signal_names[CG_NUM_SIGNALS] = {
    [CG_SIG_LENGTH] = "length",           [CG_SIG_UPPER] = "capitals",        [CG_SIG_DIGITS] = "digits",
    [CG_SIG_URLS] = "links",              [CG_SIG_EMAILS] = "e-mail addresses", [CG_SIG_MENTIONS] = "mentions",
    [CG_SIG_PHONES] = "phone numbers",    [CG_SIG_MONEY] = "money amounts",   [CG_SIG_IMAGES] = "images",
    [CG_SIG_ANCHORS] = "HTML links",      [CG_SIG_ELONGATIONS] = "stretched words",
    [CG_SIG_EXCLAIMS] = "exclamation and question marks", [CG_SIG_INVALID] = "invalid bytes",
};

/* The weight of feature `index` toward class `label`: its terms in the label's pairs. */
static double push(const cg_svm *svm, int index, int label)
{
    const double *w = svm->weights + (size_t)index * CG_WEIGHT_STRIDE;
    double sum = 0;
    int p = 0;
    for (int i = 0; i < CG_NUM_CLASSES; i++)
        for (int j = i + 1; j < CG_NUM_CLASSES; j++, p++) {
            if (svm->label[i] == label)
                sum += w[p];
            else if (svm->label[j] == label)
                sum -= w[p];
        }
    return sum;
}

/* The value of feature `index` in the extracted vector (binary search; 0 if absent). */
static double value_of(const cg_workspace *ws, int index)
{
    size_t lo = 0, hi = ws->n_nodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ws->nodes[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ws->n_nodes && ws->nodes[lo].index == index ? ws->nodes[lo].value : 0.0;
}

static int by_weight(const void *a, const void *b)
{
    double x = ((const struct cg_unit *)a)->weight, y = ((const struct cg_unit *)b)->weight;
    return (x < y) - (x > y);
}

/* How far the topicality stage moved the off-topic log-odds of the comment last extracted into ws
 * (0 without an article or a stage). With p the model's P(off-topic) and m the stage's share,
 * p' = p + (1 - p) m and 1 - p' = (1 - p)(1 - m), so logit(p') - logit(p) = ln(p' / p) - ln(1 - m). */
static cg_status topicality_push(const cg_model *m, cg_workspace *ws, const cg_article *article, double *out)
{
    *out = 0;
    if (!article || !m->topicality)
        return CG_OK;
    cg_topic_measure measure;
    cg_status st = cg_topicality_measure(m->topicality, &m->extractor, ws, article, &measure);
    if (st != CG_OK)
        return cg_fail(ws, st, "out of memory explaining a comment");
    double share = cg_topicality_misplaced(m->topicality, &measure);
    double prob[CG_NUM_CLASSES];
    cg_svm_predict(&m->svm, ws->nodes, prob);
    double p = fmax(prob[CG_OFF_TOPIC], 1e-12);
    if (share > 0 && share < 1)
        *out = log((p + (1 - p) * share) / p) - log1p(-share);
    return CG_OK;
}

/* Words: each token's share of the hashed features. ws->acc (all zero after cg_extract) first
 * gathers each slot's raw count over all tokens, and is cleared again at the end. */
static cg_status explain_tokens(const cg_model *m, cg_workspace *ws, int label, uint32_t *slot, float *weight)
{
    const cg_extractor *ex = &m->extractor;
    ws->n_touched = 0;
    for (size_t t = 0; t < ws->n_tokens; t++) {
        size_t n = cg_token_slots(ex, ws, t, slot, weight);
        for (size_t k = 0; k < n; k++) {
            if (ws->acc[slot[k]] == 0.0f)
                ws->touched[ws->n_touched++] = slot[k];
            ws->acc[slot[k]] += weight[k];
        }
    }
    for (size_t t = 0; t < ws->n_tokens; t++) {
        struct cg_unit *u = &ws->units[t];
        *u = (struct cg_unit){0, ws->tokens[t].start, ws->tokens[t].len, -1};
        size_t n = cg_token_slots(ex, ws, t, slot, weight);
        for (size_t k = 0; k < n; k++) {
            int index = (int)slot[k] + 1;
            u->weight += value_of(ws, index) * push(&m->svm, index, label) * weight[k] / ws->acc[slot[k]];
        }
    }
    cg_clear_accumulator(ws);
    return CG_OK;
}

/* Merge the units of the same word, so that a word said three times is one reason. */
static size_t merge_words(cg_workspace *ws, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        struct cg_unit *u = &ws->units[i];
        size_t k = 0;
        for (; k < out; k++) {
            struct cg_unit *v = &ws->units[k];
            if (v->signal < 0 && u->signal < 0 && v->len == u->len &&
                memcmp(ws->norm + v->start, ws->norm + u->start, u->len) == 0)
                break;
        }
        if (k < out)
            ws->units[k].weight += u->weight;
        else
            ws->units[out++] = *u;
    }
    return out;
}

static int is_word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c & 0x80);
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
        if (k == wlen && (i == 0 || !is_word_byte(text[i - 1])) && (i + wlen == len || !is_word_byte(text[i + wlen]))) {
            *start = (long)i;
            *end = (long)(i + wlen);
            return;
        }
    }
}

cg_status cg_explain(const cg_model *model, cg_workspace *ws, const char *text, size_t len, const cg_article *article,
                     cg_label label, cg_reason *reasons, size_t max, size_t *count)
{
    if (!model || !ws || !count || (max > 0 && !reasons))
        return CG_ERR_INPUT;
    if (label < CG_ON_TOPIC || label > CG_ABUSIVE)
        return cg_fail(ws, CG_ERR_INPUT, "only a class (not %d) can be explained", (int)label);
    if (!model->svm.weights)
        return cg_fail(ws, CG_ERR_INPUT, "explanations need a model with a linear kernel");
    cg_result ignored;
    cg_status st = cg_classify(model, ws, text, len, article, &ignored);
    if (st != CG_OK)
        return st;
    /* The reasons are the base model's: a bundle adapted to a site extracted the comment again with
     * its site features, so the base's tokens and vector are made again. */
    if (model->site && (st = cg_extract(&model->extractor, ws, text ? text : "", len, article)) != CG_OK)
        return st;
    double moved = 0; /* measured while ws still holds the comment's tokens and vector */
    if (label == CG_OFF_TOPIC && (st = topicality_push(model, ws, article, &moved)) != CG_OK)
        return st;

    const cg_extractor_config *c = &model->extractor.config;
    size_t bound = cg_token_slot_bound(c);
    size_t n_units = ws->n_tokens + CG_NUM_SIGNALS + 3;
    uint32_t *slot = malloc(bound * sizeof *slot);
    float *weight = malloc(bound * sizeof *weight);
    if (!slot || !weight || cg_grow((void **)&ws->units, &ws->units_cap, n_units, sizeof *ws->units) != CG_OK ||
        cg_grow((void **)&ws->reason_text, &ws->reason_text_cap, ws->norm_len + max + 1, 1) != CG_OK) {
        free(slot);
        free(weight);
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory explaining a comment");
    }
    explain_tokens(model, ws, (int)label, slot, weight);
    free(slot);
    free(weight);

    size_t n = merge_words(ws, ws->n_tokens);
    for (int k = 0; k < CG_NUM_SIGNALS; k++) {
        int index = cg_signal_base(c) + k;
        ws->units[n++] = (struct cg_unit){value_of(ws, index) * push(&model->svm, index, label), 0, 0, k};
    }
    double related = 0;
    for (int k = 0; k < CG_NUM_RELEVANCE; k++) {
        int index = cg_relevance_base(c) + k;
        related += value_of(ws, index) * push(&model->svm, index, label);
    }
    ws->units[n++] = (struct cg_unit){related, 0, 0, UNIT_ARTICLE};
    double listed = 0;
    for (int k = 0; k < CG_NUM_LEXICON; k++) {
        int index = cg_lexicon_base(c) + k;
        listed += value_of(ws, index) * push(&model->svm, index, label);
    }
    ws->units[n++] = (struct cg_unit){listed, 0, 0, UNIT_LEXICON};
    ws->units[n++] = (struct cg_unit){moved, 0, 0, UNIT_TOPICALITY};
    qsort(ws->units, n, sizeof *ws->units, by_weight);

    /* Reason texts go to ws->reason_text: words are copied NUL-terminated (at most the normalised
     * text plus one NUL each), signal names are static. */
    size_t used = 0, out = 0;
    for (size_t i = 0; i < n && out < max && ws->units[i].weight > 0; i++, out++) {
        const struct cg_unit *u = &ws->units[i];
        cg_reason *r = &reasons[out];
        r->weight = u->weight;
        r->start = r->end = -1;
        if (u->signal >= 0) {
            r->text = u->signal < CG_NUM_SIGNALS ? signal_names[u->signal]
                      : u->signal == UNIT_ARTICLE ? "relation to the article"
                      : u->signal == UNIT_LEXICON ? "words of the lexicon"
                                                  : "about something else than the article";
            continue;
        }
        char *copy = ws->reason_text + used;
        memcpy(copy, ws->norm + u->start, u->len);
        copy[u->len] = '\0';
        used += u->len + 1;
        r->text = copy;
        locate(text, len, copy, u->len, &r->start, &r->end);
    }
    *count = out;
    return CG_OK;
}
