/* store.h - the blog's SQLite database: posts, and comments with their classification and the
 * moderator's decision (store.c). Every statement is prepared once, when the database is opened. */
#ifndef BLOG_STORE_H
#define BLOG_STORE_H

#include <stddef.h>

#include "commentguard.h"

typedef struct store store;

enum {
    STORE_OK = 0,
    STORE_ERROR = -1,     /* SQLite failed; the message is in store_error */
    STORE_NOT_FOUND = -2, /* no such post or comment */
};

/* Open the database at path: with create, make a new one (an existing blog database is an error);
 * without, open an existing one. On failure *out is NULL and err holds the reason. */
int store_open(const char *path, int create, store **out, char *err, size_t errlen);
void store_close(store *s);

/* The message of the last failure. */
const char *store_error(const store *s);

/* Transactions: a write transaction takes the write lock at once; a read one sees one snapshot. */
int store_begin_write(store *s);
int store_begin_read(store *s);
int store_commit(store *s);
void store_rollback(store *s);

int store_add_post(store *s, const char *title, const char *body, long long *id);

/* The text a post's comments are judged against (and exported with): its title, a blank line, its
 * body. On success *text is the caller's to free. */
int store_article(store *s, long long post_id, char **text, size_t *len);

/* Calls fn with the text of each of the latest `max` approved comments on post_id whose id is below
 * before_id, oldest first (the text is valid during the call); stops early and returns fn's value if
 * it is not 0. */
typedef int (*store_text_fn)(void *ctx, const char *text, size_t len);
int store_each_approved(store *s, long long post_id, long long before_id, long long max, store_text_fn fn, void *ctx);

/* A classified comment, as stored. */
typedef struct store_comment {
    long long id, post_id;
    const char *author;
    const char *text;
    size_t text_len;
    const char *state;       /* "approved", "held" or "rejected" */
    const char *model_label; /* the classifier's label (cg_label_name), possibly "unsure" */
    double prob[CG_NUM_CLASSES];
} store_comment;

/* Add c (its id is ignored); *id receives the new one. */
int store_add_comment(store *s, const store_comment *c, long long *id);

/* Replace a comment's classification (state, model label, probabilities) with c's. */
int store_update_classification(store *s, const store_comment *c);

/* A moderator's decision: the new state and the label it means for training. */
int store_decide(store *s, long long id, const char *state, const char *label);

/* A comment's probabilities, as last classified. */
int store_comment_probs(store *s, long long id, double prob[CG_NUM_CLASSES]);

/* Calls fn for each comment in turn (the strings are valid during the call); stops early and
 * returns fn's value if it is not 0. */
typedef int (*store_comment_fn)(void *ctx, const store_comment *c);

/* The held comments, oldest first. */
int store_each_held(store *s, store_comment_fn fn, void *ctx);

/* The comments no moderator has decided on, by post. */
int store_each_undecided(store *s, store_comment_fn fn, void *ctx);

/* Training examples: the comments a moderator decided on (with the moderator's label), and those
 * whose automatic label, not "unsure", has a probability of at least min_prob. */
typedef int (*store_example_fn)(void *ctx, const char *label, const char *text, size_t text_len,
                                const char *article, size_t article_len, const char *author);
int store_each_example(store *s, double min_prob, store_example_fn fn, void *ctx);

#endif
