/* article_thread.h - the text of an article with the comments under it (article_thread.c), as
 * cg_article_new_thread reads it and serve's articles file holds it. */
#ifndef CG_ARTICLE_THREAD_H
#define CG_ARTICLE_THREAD_H

#include <stddef.h>

/* text[0..len) and then each non-empty comments[i] (lens[i] bytes), a blank line between, with the
 * oldest comments left out where the whole would pass CG_MAX_COMMENT_BYTES; len must be within it
 * and no comment with a length NULL. A new NUL-terminated string (*out_len its length), or NULL if
 * out of memory. */
char *cg_thread_text(const char *text, size_t len, const char *const *comments, const size_t *lens, size_t n,
                     size_t *out_len);

#endif
