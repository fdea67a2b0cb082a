/* word_cache.c - the word cache opened for an extractor's settings, and the sets of a text's words
 * found before analyse.c looks them up (word_cache.h). */
#include "word_cache.h"

#include <stdlib.h>

cg_word_entry *cg_word_cache_open(cg_workspace *ws, const uint64_t settings[2])
{
    if (!ws->word_cache) {
        ws->word_cache = calloc(CG_WORD_CACHE_SIZE, sizeof *ws->word_cache);
        if (!ws->word_cache)
            return NULL;
        memcpy(ws->word_cache_config, settings, sizeof ws->word_cache_config);
    } else if (memcmp(ws->word_cache_config, settings, sizeof ws->word_cache_config) != 0) {
        for (size_t k = 0; k < CG_WORD_CACHE_SIZE; k++)
            ws->word_cache[k].len = 0;
        memcpy(ws->word_cache_config, settings, sizeof ws->word_cache_config);
    }
    return ws->word_cache;
}

void cg_word_cache_place(cg_workspace *ws, const cg_word_entry *cache)
{
    _Static_assert(CG_WORD_CACHE_SIZE / CG_WORD_CACHE_WAYS == 1 << 13, "a set is found by 13 bits");
    for (size_t i = 0; i < ws->n_tokens; i++) {
        cg_token *t = &ws->tokens[i];
        if (t->kind == CG_TOK_WORD && t->len <= CG_WORD_CACHE_KEY) {
            uint64_t key[2];
            cg_word_key(ws->norm + t->start, t->len, key);
            uint64_t set = (key[0] * 0x9E3779B97F4A7C15ull ^ key[1] * 0xC2B2AE3D27D4EB4Full) >> 51;
            t->cache_entry = (uint16_t)(set * CG_WORD_CACHE_WAYS);
            for (unsigned way = 0; way < CG_WORD_CACHE_WAYS; way++)
                __builtin_prefetch(cache + t->cache_entry + way);
        }
    }
}
