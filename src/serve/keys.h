/* keys.h - the API keys `serve --keys FILE` accepts (keys.c). */
#ifndef CG_CLI_KEYS_H
#define CG_CLI_KEYS_H

#include <stddef.h>

typedef struct keys keys;

/* Read FILE: one key per line, optionally followed by blanks and the blog URL it is for; blank
 * lines and lines starting with '#' are ignored. 0, or -1 with "path:line: reason" in err (a
 * message that never contains a key). */
int keys_load(const char *path, keys **out, char *err, size_t errlen);

void keys_free(keys *k);

/* Whether `key` is listed and, when its line names a blog and `blog` is not NULL, `blog` is that
 * blog (trailing slashes and letter case aside). Keys are compared in time that does not depend on
 * where they differ. */
int keys_valid(const keys *k, const char *key, const char *blog);

#endif
