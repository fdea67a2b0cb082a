/* export.h - writing the blog's moderation history as training data for `commentguard train`
 * (export.c). */
#ifndef BLOG_EXPORT_H
#define BLOG_EXPORT_H

#include <stddef.h>

#include "commentguard.h"
#include "store.h"

/*
 * Write to path, as JSON Lines {"label", "text", "article"}, the comments a moderator decided on
 * and those labelled automatically with a probability of at least min_prob (store_each_example),
 * read from one snapshot of the database. The lines go to a temporary file beside path, renamed
 * over it once complete: path is either the old file or the whole new one. counts receives the
 * number of lines per class. Returns 0, or -1 with the reason in err.
 */
int export_examples(store *s, const char *path, double min_prob, size_t counts[CG_NUM_CLASSES], char *err,
                    size_t errlen);

#endif
