/* topicality_threads.h - the threads of a labelled data set for fitting the topicality stage
 * (topicality_threads.c): its distinct articles, the rows under each, and each thread's whole text
 * (the article followed by its comments), which is a long article made from short ones. */
#ifndef CG_TOPICALITY_THREADS_H
#define CG_TOPICALITY_THREADS_H

#include "dataset.h"

typedef struct cg_topic_threads {
    const char **text; /* each distinct article (the dataset's interned copy) */
    size_t *len;
    size_t *first;     /* the thread's rows: first[k] .. first[k + 1] - 1 index row */
    size_t *row;
    size_t n;
} cg_topic_threads;

/* Collect the threads of ds (rows that share an article). CG_ERR_NOMEM if memory ran out. */
cg_status cg_topic_threads_collect(const cg_dataset *ds, cg_topic_threads *t);

/* The thread that row i's article opens, or -1 if the row has none. */
long cg_topic_thread_of(const cg_topic_threads *t, const cg_example *row);

/* Thread k's text: its article, then each of its comments on a line of its own, leaving out those
 * whose text is the same as except (NULL: none left out), up to CG_MAX_COMMENT_BYTES. malloc'd
 * into *out; CG_ERR_NOMEM if memory ran out. */
cg_status cg_topic_thread_text(const cg_topic_threads *t, const cg_dataset *ds, size_t k, const char *except,
                               size_t except_len, char **out, size_t *len);

void cg_topic_threads_free(cg_topic_threads *t);

#endif
