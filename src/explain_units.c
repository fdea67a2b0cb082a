/* explain_units.c - gathering the units of an explanation (explain_units.h). */
#include "explain_units.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

double cg_feature_push(const cg_svm *svm, int index, int label)
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

double cg_feature_value(const cg_workspace *ws, int index)
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

static cg_status new_unit(cg_explanation *e, struct cg_unit unit)
{
    cg_workspace *ws = e->ws;
    if (cg_grow((void **)&ws->units, &ws->units_cap, e->n + 1, sizeof *ws->units) != CG_OK)
        return CG_ERR_NOMEM;
    ws->units[e->n++] = unit;
    return CG_OK;
}

cg_status cg_unit_add(cg_explanation *e, int signal, double weight)
{
    if (e->kind_unit[signal]) {
        e->ws->units[e->kind_unit[signal] - 1].weight += weight;
        return CG_OK;
    }
    e->kind_unit[signal] = e->n + 1;
    return new_unit(e, (struct cg_unit){weight, signal, 0, 0, -1, -1});
}

/* Where word[0..len) is, or would go, in the index of cap (a power of two) slots. */
static size_t word_slot(const cg_explanation *e, const size_t *index, size_t cap, const char *word, size_t len)
{
    size_t i = (size_t)XXH3_64bits(word, len) & (cap - 1);
    for (; index[i]; i = (i + 1) & (cap - 1)) {
        const struct cg_unit *u = &e->ws->units[index[i] - 1];
        if (u->len == len && memcmp(e->ws->reason_text + u->text, word, len) == 0)
            break;
    }
    return i;
}

/* Room in the word index for one more word: at most half of its slots taken. The first word of an
 * explanation starts a new index (one left by an earlier explanation is stale). */
static cg_status room_for_a_word(cg_explanation *e)
{
    cg_workspace *ws = e->ws;
    size_t cap = e->n_words == 0 ? 0 : ws->word_units_cap;
    if (2 * (e->n_words + 1) <= cap)
        return CG_OK;
    size_t new_cap = cap < 64 ? 64 : 2 * cap;
    size_t *index = calloc(new_cap, sizeof *index);
    if (!index)
        return CG_ERR_NOMEM;
    for (size_t k = 0; k < e->n; k++) {
        const struct cg_unit *u = &ws->units[k];
        if (u->signal < 0)
            index[word_slot(e, index, new_cap, ws->reason_text + u->text, u->len)] = k + 1;
    }
    free(ws->word_units);
    ws->word_units = index;
    ws->word_units_cap = new_cap;
    return CG_OK;
}

cg_status cg_unit_add_word(cg_explanation *e, const char *word, size_t len, double weight, long start, long end)
{
    cg_workspace *ws = e->ws;
    if (room_for_a_word(e) != CG_OK)
        return CG_ERR_NOMEM;
    size_t i = word_slot(e, ws->word_units, ws->word_units_cap, word, len);
    if (ws->word_units[i]) {
        struct cg_unit *u = &ws->units[ws->word_units[i] - 1];
        u->weight += weight;
        if (u->start < 0) {
            u->start = start;
            u->end = end;
        }
        return CG_OK;
    }
    if (cg_grow((void **)&ws->reason_text, &ws->reason_text_cap, e->text_used + len + 1, 1) != CG_OK)
        return CG_ERR_NOMEM;
    memcpy(ws->reason_text + e->text_used, word, len);
    ws->reason_text[e->text_used + len] = '\0';
    if (new_unit(e, (struct cg_unit){weight, -1, e->text_used, len, start, end}) != CG_OK)
        return CG_ERR_NOMEM;
    ws->word_units[i] = e->n;
    e->text_used += len + 1;
    e->n_words++;
    return CG_OK;
}

cg_status cg_unit_add_tokens(cg_explanation *e, const cg_extractor *ex, const cg_svm *svm, int label, double scale)
{
    cg_workspace *ws = e->ws;
    size_t bound = cg_token_slot_bound(&ex->config);
    uint32_t *slot = malloc(bound * sizeof *slot);
    float *weight = malloc(bound * sizeof *weight);
    if (!slot || !weight) {
        free(slot);
        free(weight);
        return CG_ERR_NOMEM;
    }
    /* ws->acc (all zero after cg_extract) first gathers each slot's raw count over all tokens. */
    ws->n_touched = 0;
    for (size_t t = 0; t < ws->n_tokens; t++) {
        size_t n = cg_token_slots(ex, ws, t, slot, weight);
        for (size_t k = 0; k < n; k++) {
            if (ws->acc[slot[k]] == 0.0f)
                ws->touched[ws->n_touched++] = slot[k];
            ws->acc[slot[k]] += weight[k];
        }
    }
    cg_status st = CG_OK;
    for (size_t t = 0; t < ws->n_tokens && st == CG_OK; t++) {
        double push = 0;
        size_t n = cg_token_slots(ex, ws, t, slot, weight);
        for (size_t k = 0; k < n; k++) {
            int index = (int)slot[k] + 1;
            push += cg_feature_value(ws, index) * cg_feature_push(svm, index, label) * weight[k] / ws->acc[slot[k]];
        }
        st = cg_unit_add_word(e, ws->norm + ws->tokens[t].start, ws->tokens[t].len, push * scale, -1, -1);
    }
    cg_clear_accumulator(ws);
    free(slot);
    free(weight);
    return st;
}

/* The summed push of count features from index first on. */
static double block_push(const cg_workspace *ws, const cg_svm *svm, int first, int count, int label)
{
    double sum = 0;
    for (int k = 0; k < count; k++)
        sum += cg_feature_value(ws, first + k) * cg_feature_push(svm, first + k, label);
    return sum;
}

cg_status cg_unit_add_dense(cg_explanation *e, const cg_extractor_config *c, const cg_svm *svm, int label, double scale)
{
    cg_status st = CG_OK;
    for (int k = 0; k < CG_NUM_SIGNALS && st == CG_OK; k++)
        st = cg_unit_add(e, k, block_push(e->ws, svm, cg_signal_base(c) + k, 1, label) * scale);
    if (st == CG_OK)
        st = cg_unit_add(e, CG_UNIT_ARTICLE, block_push(e->ws, svm, cg_relevance_base(c), CG_NUM_RELEVANCE, label) * scale);
    if (st == CG_OK)
        st = cg_unit_add(e, CG_UNIT_LEXICON, block_push(e->ws, svm, cg_lexicon_base(c), CG_NUM_LEXICON, label) * scale);
    return st;
}
