/* article_text.h - the text a post is judged as, the same for `serve --articles` and
 * import-wordpress (article_text.c). */
#ifndef CG_CLI_ARTICLE_TEXT_H
#define CG_CLI_ARTICLE_TEXT_H

#include <stddef.h>

/* A post as the model reads it: its title, a blank line and its text (the title and blank line
 * only when the title is not empty). serve's --articles and import-wordpress both build it so.
 * Returns a new NUL-terminated string (*len its length), or NULL if out of memory. */
char *cli_article_text(const char *title, const char *text, size_t text_len, size_t *len);

#endif
