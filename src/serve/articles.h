/* articles.h - the posts `serve --articles FILE` knows by permalink, so that a comment sent with
 * only its post's permalink (as Akismet clients send it) is judged against its post (articles.c). */
#ifndef CG_CLI_ARTICLES_H
#define CG_CLI_ARTICLES_H

#include <stddef.h>

typedef struct articles articles;           /* the current table, replaced on reload */
typedef struct article_table article_table; /* one immutable version of it */

/* Read FILE, JSON Lines {"permalink": ..., "title": ... (optional), "text": ...}: 0, or -1 with
 * "path:line: reason" in err. */
int articles_open(const char *path, articles **out, char *err, size_t errlen);

/* Read the file again and, if it is valid, make it the current table (requests still using the
 * old one keep it until they release it): 0, or -1 with the reason in err, the old table kept. */
int articles_reload(articles *a, char *err, size_t errlen);

/* Call once no table is held any more. */
void articles_close(articles *a);

/* The current table, held until articles_release. */
const article_table *articles_acquire(articles *a);
void articles_release(articles *a, const article_table *t);

/* The number of articles in t. */
size_t articles_count(const article_table *t);

/* The article (its title, a blank line and its text) whose permalink is `permalink`, ignoring a
 * "#fragment" and trailing slashes; NULL if none. Valid while t is held. */
const char *articles_find(const article_table *t, const char *permalink, size_t *len);

#endif
