/* fuzz_extract.c - libFuzzer harness for the normaliser, tokenizer and feature extractor.
 *
 * Input: one byte choosing the extractor settings, then a comment; if the comment holds a 0xFF
 * byte, what comes before it is first analysed as an article (cg_article_build) and the rest is
 * extracted against it (relevance features). Every vector must have indices strictly ascending
 * within the feature dimension and finite values. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "relevance.h"

/* Settings to choose from: word n-grams 1 to 3 and three character n-gram ranges. */
#define N_EXTRACTORS 9

static cg_extractor extractors[N_EXTRACTORS];
static cg_workspace *ws;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const unsigned chars[3][2] = {{0, 0}, {2, 5}, {1, 8}};
    for (int i = 0; i < N_EXTRACTORS; i++) {
        cg_extractor_config c;
        cg_extractor_config_default(&c);
        c.hash_bits = 12;
        c.word_ngrams = 1 + (unsigned)i % 3;
        c.char_min = chars[i / 3][0];
        c.char_max = chars[i / 3][1];
        c.relevance_center[CG_REL_WORD_COSINE] = 0.25;
        if (cg_extractor_init(&extractors[i], &c, NULL, 0) != CG_OK)
            abort();
    }
    if (cg_workspace_create(&ws) != CG_OK)
        abort();
    return 0;
}

static void check_vector(const cg_extractor *ex)
{
    int dim = cg_feature_dim(&ex->config), last = 0;
    for (size_t i = 0; i < ws->n_nodes; i++) {
        if (ws->nodes[i].index <= last || ws->nodes[i].index > dim || !isfinite(ws->nodes[i].value))
            abort();
        last = ws->nodes[i].index;
    }
    if (ws->nodes[ws->n_nodes].index != -1)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const cg_extractor *ex = &extractors[data[0] % N_EXTRACTORS];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (cg_extract(ex, ws, text, len, NULL) == CG_OK)
        check_vector(ex);
    const char *sep = memchr(text, 0xFF, len);
    if (sep) {
        struct cg_article *article;
        if (cg_article_build(ex, ws, text, (size_t)(sep - text), &article) == CG_OK) {
            if (cg_extract(ex, ws, sep + 1, len - (size_t)(sep + 1 - text), article) == CG_OK)
                check_vector(ex);
            cg_article_destroy(article);
        }
    }
    return 0;
}
