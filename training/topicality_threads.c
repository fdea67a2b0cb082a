/* topicality_threads.c - the threads of a labelled data set (topicality_threads.h). */
#include "topicality_threads.h"

#include <stdlib.h>
#include <string.h>

/* The articles are interned by the dataset, so one pointer is one thread. */
static long find(const cg_topic_threads *t, const char *article)
{
    for (size_t k = 0; k < t->n; k++)
        if (t->text[k] == article)
            return (long)k;
    return -1;
}

cg_status cg_topic_threads_collect(const cg_dataset *ds, cg_topic_threads *t)
{
    memset(t, 0, sizeof *t);
    size_t n = ds->n;
    long *of = malloc((n + 1) * sizeof *of);
    t->text = malloc((n + 1) * sizeof *t->text);
    t->len = malloc((n + 1) * sizeof *t->len);
    t->first = calloc(n + 2, sizeof *t->first);
    t->row = malloc((n + 1) * sizeof *t->row);
    if (!of || !t->text || !t->len || !t->first || !t->row) {
        free(of);
        cg_topic_threads_free(t);
        return CG_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) { /* which thread each row is in, and each thread's size */
        const cg_example *e = &ds->rows[i];
        of[i] = e->article ? find(t, e->article) : -1;
        if (e->article && of[i] < 0) {
            of[i] = (long)t->n;
            t->text[t->n] = e->article;
            t->len[t->n++] = e->article_len;
        }
        if (of[i] >= 0)
            t->first[of[i] + 1]++;
    }
    for (size_t k = 0; k < t->n; k++)
        t->first[k + 1] += t->first[k];
    size_t *fill = calloc(t->n + 1, sizeof *fill);
    if (!fill) {
        free(of);
        cg_topic_threads_free(t);
        return CG_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (of[i] >= 0)
            t->row[t->first[of[i]] + fill[of[i]]++] = i;
    free(fill);
    free(of);
    return CG_OK;
}

long cg_topic_thread_of(const cg_topic_threads *t, const cg_example *row)
{
    return row->article ? find(t, row->article) : -1;
}

cg_status cg_topic_thread_text(const cg_topic_threads *t, const cg_dataset *ds, size_t k, const char *except,
                               size_t except_len, char **out, size_t *len)
{
    size_t size = t->len[k] + 1;
    for (size_t j = t->first[k]; j < t->first[k + 1]; j++)
        size += ds->rows[t->row[j]].text_len + 1;
    if (size > CG_MAX_COMMENT_BYTES)
        size = CG_MAX_COMMENT_BYTES;
    char *text = malloc(size + 1);
    if (!text)
        return CG_ERR_NOMEM;
    size_t n = t->len[k] < size ? t->len[k] : size;
    memcpy(text, t->text[k], n);
    for (size_t j = t->first[k]; j < t->first[k + 1]; j++) {
        const cg_example *e = &ds->rows[t->row[j]];
        if (except && e->text_len == except_len && memcmp(e->text, except, except_len) == 0)
            continue; /* the comment itself, and copies of it, are not what it answers */
        if (n + 1 + e->text_len > size)
            break;
        text[n++] = '\n';
        memcpy(text + n, e->text, e->text_len);
        n += e->text_len;
    }
    text[n] = '\0';
    *out = text;
    *len = n;
    return CG_OK;
}

void cg_topic_threads_free(cg_topic_threads *t)
{
    free(t->text);
    free(t->len);
    free(t->first);
    free(t->row);
    memset(t, 0, sizeof *t);
}
