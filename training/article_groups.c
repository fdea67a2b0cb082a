/* article_groups.c - the rows of one article thread, found by the article's interned address, so
 * that problem.c puts a whole thread into one cross-validation fold. */
#include "article_groups.h"

#include <stdint.h>
#include <stdlib.h>

static size_t hash_pointer(const void *p, size_t mask)
{
    return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull) >> 20) & mask;
}

/* The first row that has `article`, recording `row` as such if none did. SIZE_MAX: no memory. */
size_t group_of(group_map *m, const char *article, size_t row)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        group_map grown = {calloc(cap, sizeof *grown.key), malloc(cap * sizeof *grown.first_row), cap, m->n};
        if (!grown.key || !grown.first_row) {
            free(grown.key);
            free(grown.first_row);
            return SIZE_MAX;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i]) {
                size_t j = hash_pointer(m->key[i], cap - 1);
                while (grown.key[j])
                    j = (j + 1) & (cap - 1);
                grown.key[j] = m->key[i];
                grown.first_row[j] = m->first_row[i];
            }
        free(m->key);
        free(m->first_row);
        *m = grown;
    }
    size_t j = hash_pointer(article, m->cap - 1);
    while (m->key[j] && m->key[j] != article)
        j = (j + 1) & (m->cap - 1);
    if (!m->key[j]) {
        m->key[j] = article;
        m->first_row[j] = row;
        m->n++;
    }
    return m->first_row[j];
}

void group_map_free(group_map *m)
{
    free(m->key);
    free(m->first_row);
}
