/* feedback.h - the moderators' corrections `serve --feedback FILE` keeps, as JSON Lines that
 * `commentguard train` reads (feedback.c). */
#ifndef CG_CLI_FEEDBACK_H
#define CG_CLI_FEEDBACK_H

#include <jansson.h>
#include <stddef.h>

#include "commentguard.h"

typedef struct feedback feedback;

/* Open (or create) the file for appending, and lock it against a second writer. A last line
 * left unfinished by a crash is cut off first; *cut receives the number of bytes removed. 0, or
 * -1 with the reason in err. */
int feedback_open(const char *path, feedback **out, size_t *cut, char *err, size_t errlen);

void feedback_close(feedback *f);

/* A new record {"label", "text", "article" (when not NULL), "source"}, the form `train` reads;
 * callers may add members of their own. NULL with the reason in err when the text or article is
 * something `train` would refuse (invalid UTF-8, a NUL byte, over CG_MAX_COMMENT_BYTES), or when
 * out of memory. */
json_t *feedback_record(cg_label label, const char *text, size_t len, const char *article, size_t article_len,
                        const char *source, char *err, size_t errlen);

/* Add "received" (the UTC time) to `record`, append it as one line and sync it to the disk before
 * returning: 0, or -1 with the reason in err, the file then as it was. Safe to call from several
 * threads at once. */
int feedback_append(feedback *f, json_t *record, char *err, size_t errlen);

#endif
