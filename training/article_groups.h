/* article_groups.h - the first row of each article thread (article_groups.c). */
#ifndef CG_ARTICLE_GROUPS_H
#define CG_ARTICLE_GROUPS_H

#include <stddef.h>

/* The first row of each article, by the article's (interned) address: open addressing, at most
 * half full. */
typedef struct group_map {
    const char **key;
    size_t *first_row;
    size_t cap, n;
} group_map;

/* The first row that has `article`, recording `row` as such if none did. SIZE_MAX: no memory. */
size_t group_of(group_map *m, const char *article, size_t row);

void group_map_free(group_map *m);

#endif
