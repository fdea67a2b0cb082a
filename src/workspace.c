/* workspace.c - creating, growing and freeing per-thread scratch memory. */
#include "workspace.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds for every regular expression match, so that no input can make pcre2 run away. */
#define CG_PCRE2_MATCH_LIMIT 100000u
#define CG_PCRE2_DEPTH_LIMIT 1000u

cg_status cg_workspace_create(cg_workspace **out)
{
    cg_workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return CG_ERR_NOMEM;
    /* One pair for the whole match and one for each of the token pattern's groups (tokenize.c numbers
     * them by token kind, the word last as group CG_TOK_KINDS), so that pcre2 can say which matched. */
    ws->match = pcre2_match_data_create(CG_TOK_KINDS + 1, NULL);
    ws->match_ctx = pcre2_match_context_create(NULL);
    if (!ws->match || !ws->match_ctx) {
        cg_workspace_free(ws);
        return CG_ERR_NOMEM;
    }
    for (int k = 0; k < 2 * CG_LOG_TABLE; k++) /* below 2: counts below 1 are their own weight */
        ws->log_table[k] = k < 2 ? k / 2.0 : 1.0 + log(k / 2.0);
    pcre2_set_match_limit(ws->match_ctx, CG_PCRE2_MATCH_LIMIT);
    pcre2_set_depth_limit(ws->match_ctx, CG_PCRE2_DEPTH_LIMIT);
    *out = ws;
    return CG_OK;
}

cg_status cg_workspace_new(const cg_model *model, cg_workspace **out)
{
    if (!model || !out)
        return CG_ERR_INPUT;
    return cg_workspace_create(out);
}

void cg_workspace_free(cg_workspace *ws)
{
    if (!ws)
        return;
    free(ws->cps);
    free(ws->norm);
    free(ws->tokens);
    pcre2_match_data_free(ws->match);
    pcre2_match_context_free(ws->match_ctx);
    free(ws->token_hash);
    free(ws->token_lexicon);
    free(ws->rel_scratch);
    free(ws->acc);
    free(ws->touched);
    free(ws->sort_tmp);
    free(ws->slot_bits);
    free(ws->slot_words);
    free(ws->site_slots);
    free(ws->word_cache);
    free(ws->nodes);
    free(ws->units);
    free(ws->reason_text);
    free(ws->word_units);
    free(ws);
}

const char *cg_workspace_error(const cg_workspace *ws)
{
    return ws ? ws->error : "";
}

cg_status cg_workspace_set_thresholds(cg_workspace *ws, const double threshold[CG_NUM_CLASSES])
{
    if (!ws || !threshold)
        return CG_ERR_INPUT;
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        if (!(threshold[c] >= 0.0 && threshold[c] <= 1.0))
            return cg_fail(ws, CG_ERR_INPUT, "threshold for %s must lie in [0, 1]", cg_label_name((cg_label)c));
    memcpy(ws->threshold, threshold, sizeof ws->threshold);
    return CG_OK;
}

cg_status cg_slot_bitmap(cg_workspace *ws, unsigned hash_bits)
{
    size_t dim = (size_t)1 << hash_bits;
    if (ws->slot_bits_dim == dim)
        return CG_OK;
    free(ws->slot_bits);
    free(ws->slot_words);
    ws->slot_bits_dim = 0;
    ws->slot_words_len = (dim + 4095) / 4096;
    ws->slot_bits = calloc((dim + 63) / 64, sizeof *ws->slot_bits);
    ws->slot_words = calloc(ws->slot_words_len, sizeof *ws->slot_words);
    if (!ws->slot_bits || !ws->slot_words)
        return CG_ERR_NOMEM;
    ws->slot_bits_dim = dim;
    return CG_OK;
}

cg_status cg_grow(void **buf, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return CG_OK;
    size_t want = *cap ? *cap : 64;
    while (want < n) {
        if (want > SIZE_MAX / 2 / size)
            return CG_ERR_NOMEM;
        want *= 2;
    }
    void *p = realloc(*buf, want * size);
    if (!p)
        return CG_ERR_NOMEM;
    *buf = p;
    *cap = want;
    return CG_OK;
}

cg_status cg_fail(cg_workspace *ws, cg_status status, const char *fmt, ...)
{
    if (ws) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ws->error, sizeof ws->error, fmt, ap);
        va_end(ap);
    }
    return status;
}
