/* keys.c - the API keys `serve --keys FILE` accepts, each optionally bound to one blog. */
#define _POSIX_C_SOURCE 200809L
#include "keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct key_entry {
    char *key;
    char *blog; /* NULL: any blog */
} key_entry;

struct keys {
    key_entry *entries;
    size_t n;
};

void keys_free(keys *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++) {
        free(k->entries[i].key);
        free(k->entries[i].blog);
    }
    free(k->entries);
    free(k);
}

/* Add the key and blog of one line (fields already split off): 0, or -1 if out of memory. */
static int add(keys *k, const char *key, const char *blog)
{
    key_entry *grown = realloc(k->entries, (k->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    k->entries = grown;
    key_entry e = {.key = strdup(key), .blog = blog ? strdup(blog) : NULL};
    if (!e.key || (blog && !e.blog)) {
        free(e.key);
        free(e.blog);
        return -1;
    }
    k->entries[k->n++] = e;
    return 0;
}

int keys_load(const char *path, keys **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    keys *k = calloc(1, sizeof *k);
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    int failed = !k;
    if (failed)
        snprintf(err, errlen, "%s: out of memory", path);
    while (!failed && getline(&line, &cap, f) >= 0) {
        lineno++;
        const char *blank = " \t\r\n";
        char *save, *key = strtok_r(line, blank, &save);
        if (!key || key[0] == '#')
            continue;
        char *blog = strtok_r(NULL, blank, &save);
        if (blog && strtok_r(NULL, blank, &save)) {
            snprintf(err, errlen, "%s:%ld: expected a key and at most one blog URL", path, lineno);
            failed = 1;
        } else if (add(k, key, blog) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            failed = 1;
        }
    }
    if (!failed && ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        failed = 1;
    }
    if (!failed && k->n == 0) {
        snprintf(err, errlen, "%s: no key in the file", path);
        failed = 1;
    }
    free(line);
    fclose(f);
    if (failed) {
        keys_free(k);
        return -1;
    }
    *out = k;
    return 0;
}

/* Whether a and b hold the same bytes, looking at every byte of a whatever b holds. */
static int same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)a[i] ^ (unsigned char)(i < lb ? b[i] : 0);
    return diff == 0;
}

/* The length of url without its trailing slashes. */
static size_t trimmed(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    return n;
}

int keys_valid(const keys *k, const char *key, const char *blog)
{
    if (!key)
        return 0;
    int valid = 0;
    for (size_t i = 0; i < k->n; i++) {
        const key_entry *e = &k->entries[i];
        if (!same_secret(e->key, key))
            continue;
        valid |= !e->blog || !blog || (trimmed(blog) == trimmed(e->blog) &&
                              strncasecmp(blog, e->blog, trimmed(blog)) == 0);
    }
    return valid;
}
