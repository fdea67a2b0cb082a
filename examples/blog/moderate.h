/* moderate.h - classifying the blog's comments against their posts and turning the result into a
 * moderation state (moderate.c). */
#ifndef BLOG_MODERATE_H
#define BLOG_MODERATE_H

#include <stddef.h>

#include "commentguard.h"
#include "store.h"

typedef struct moderator moderator;

/* Load the model in model_dir (NULL: the library's default model), with the thresholds of its
 * unsure band (NULL: one half for every class); with thread > 0, each comment is judged against its
 * post and the latest `thread` comments approved before it. On failure *out is NULL and err holds
 * the reason. */
int moderator_open(const char *model_dir, const double *thresholds, long long thread, moderator **out, char *err,
                   size_t errlen);
void moderator_free(moderator *m);

/*
 * Classify the comment (its text and author; a bundle adapted to the blog reads the author's name,
 * the public model the text alone) on post post_id (c->id: the comment's id, 0 for a new one, whose
 * thread is every approved comment), filling c's state, model_label and prob:
 * "approved" when it is on-topic, "rejected" when abusive, "held" for a moderator when off-topic or
 * when the model is unsure (its class under its threshold). Returns STORE_OK, or an error of the store
 * (reading the post) or STORE_ERROR with the classifier's message in err.
 */
int moderator_judge(moderator *m, store *s, long long post_id, const cg_comment *comment, store_comment *c,
                    char *err, size_t errlen);

#endif
