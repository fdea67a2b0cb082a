/* topicality_table.c - count word stems of texts into the topicality stage's table (topicality_table.h). */
#define _GNU_SOURCE
#include "topicality_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "tokenize.h"
#include "topicality.h"

#define MAX_STEM_BYTES (4 * CG_TOPIC_MAX_STEM_CHARS)

struct stem_entry {
    uint64_t key; /* cg_topic_stem_hash; 0: empty */
    size_t df;
    size_t last_doc; /* the last document counted, so that a document counts once */
    unsigned len;
    char stem[MAX_STEM_BYTES];
};

static int counts_grow(cg_stem_counts *c)
{
    size_t size = c->e ? 2 * (c->mask + 1) : 1u << 14;
    struct stem_entry *e = calloc(size, sizeof *e);
    if (!e)
        return 0;
    for (size_t i = 0; c->e && i <= c->mask; i++) {
        if (!c->e[i].key)
            continue;
        size_t j = (size_t)c->e[i].key & (size - 1);
        while (e[j].key)
            j = (j + 1) & (size - 1);
        e[j] = c->e[i];
    }
    free(c->e);
    c->e = e;
    c->mask = size - 1;
    return 1;
}

static int count_stem(cg_stem_counts *c, const char *stem, size_t len, size_t doc)
{
    if (2 * (c->n + 1) > c->mask + 1 && !counts_grow(c))
        return 0;
    uint64_t key = cg_topic_stem_hash(stem, len);
    size_t i = (size_t)key & c->mask;
    while (c->e[i].key && c->e[i].key != key)
        i = (i + 1) & c->mask;
    struct stem_entry *e = &c->e[i];
    if (!e->key) {
        e->key = key;
        e->len = (unsigned)len;
        memcpy(e->stem, stem, len);
        e->last_doc = (size_t)-1;
        c->n++;
    }
    if (e->last_doc != doc) {
        e->last_doc = doc;
        e->df++;
    }
    return 1;
}

cg_status cg_stem_counts_add_text(const cg_extractor *ex, cg_workspace *ws, unsigned stem_chars, const char *text,
                            size_t len, size_t doc, cg_stem_counts *c)
{
    cg_status st = cg_normalize(ws, text, len);
    if (st == CG_OK)
        st = cg_tokenize(ex->patterns, ws);
    for (size_t i = 0; st == CG_OK && i < ws->n_tokens; i++) {
        size_t n = cg_topic_stem_len(ex, ws, i, stem_chars);
        if (n > 0 && !count_stem(c, ws->norm + ws->tokens[i].start, n, doc))
            st = CG_ERR_NOMEM;
    }
    return st;
}

static int compare_stems(const void *a, const void *b)
{
    const struct stem_entry *x = *(const struct stem_entry *const *)a, *y = *(const struct stem_entry *const *)b;
    int d = memcmp(x->stem, y->stem, x->len < y->len ? x->len : y->len);
    return d ? d : (x->len > y->len) - (x->len < y->len);
}

/* The table's text: "documents N", then the stems of at least min_df documents, in byte order. */
char *cg_stem_counts_table(const cg_stem_counts *c, size_t documents, unsigned min_df, size_t *len, size_t *stems)
{
    struct stem_entry **sorted = malloc((c->n + 1) * sizeof *sorted);
    char *text = malloc(32 + c->n * (MAX_STEM_BYTES + 24));
    if (!sorted || !text) {
        free(sorted);
        free(text);
        return NULL;
    }
    size_t n = 0, pos = (size_t)sprintf(text, "documents %zu\n", documents);
    for (size_t i = 0; i <= c->mask; i++)
        if (c->e[i].key && c->e[i].df >= min_df)
            sorted[n++] = &c->e[i];
    qsort(sorted, n, sizeof *sorted, compare_stems);
    for (size_t i = 0; i < n; i++)
        pos += (size_t)sprintf(text + pos, "%.*s\t%zu\n", (int)sorted[i]->len, sorted[i]->stem, sorted[i]->df);
    free(sorted);
    *len = pos;
    *stems = n;
    return text;
}

