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

/*
 * A new record {"label", "text", "article" (when not NULL), "author", "author_url", "author_email"
 * (each when set and not empty), "source"}, the form `train` reads; callers may add members of
 * their own. The text is the comment's own (comment->text, comment->len), never its author. The
 * name and the URL are kept as given; of the e-mail address only its domain, as "@example.org"
 * (what follows its last '@', or all of it when it has none): what an adapted bundle reads of it,
 * and no address of a reader is written to the disk. NULL with the reason in err when the text,
 * the article or an author field is something `train` would refuse (invalid UTF-8, a NUL byte in
 * the text or article, over CG_MAX_COMMENT_BYTES), or when out of memory.
 */
json_t *feedback_record(cg_label label, const cg_comment *comment, const char *article, size_t article_len,
                        const char *source, char *err, size_t errlen);

/* Add "received" (the UTC time) to `record`, append it as one line and sync it to the disk before
 * returning: 0, or -1 with the reason in err, the file then as it was. Safe to call from several
 * threads at once. */
int feedback_append(feedback *f, json_t *record, char *err, size_t errlen);

#endif
