/* comment_text.h - the text classified for a blog comment that comes with its author's name and
 * web site, as Akismet clients and WordPress exports give them (comment_text.c). */
#ifndef CG_CLI_COMMENT_TEXT_H
#define CG_CLI_COMMENT_TEXT_H

#include <stddef.h>

/*
 * The comment as the model reads it: its content, then, when either is given, a blank line and
 * the author's name and URL separated by a space. Spammers put their links and keywords in these
 * fields, so they count as evidence through the same features as the comment's own words and
 * links (a URL is a link signal); an ordinary name adds little. serve's Akismet endpoints,
 * its feedback lines and import-wordpress all build the text this way, so that a model trained on
 * a site's history reads new comments as it read the old ones.
 * NULL fields count as empty. Returns a new NUL-terminated string (*len its length), or NULL if
 * out of memory.
 */
char *cli_comment_text(const char *content, size_t content_len, const char *author, const char *url,
                       size_t *len);

/* A post as the model reads it: its title, a blank line and its text (the title and blank line
 * only when the title is not empty). serve's --articles and import-wordpress both build it so.
 * Returns a new NUL-terminated string (*len its length), or NULL if out of memory. */
char *cli_article_text(const char *title, const char *text, size_t text_len, size_t *len);

#endif
