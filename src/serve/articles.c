/* articles.c - the permalink table of `serve --articles`.
 *
 * Each version of the table is immutable and reference-counted: a request takes the current one
 * (under the lock, only long enough to count itself in) and reads it without locking; a reload
 * (SIGHUP) builds a new table off-lock and swaps it in, and the old one is freed by whoever
 * releases it last. */
#define _POSIX_C_SOURCE 200809L
#include "articles.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article_text.h"
#include "article_thread.h"
#include "commentguard.h"

typedef struct article_entry {
    char *key;  /* the permalink without fragment and trailing slashes */
    char *text; /* title, blank line, text */
    size_t len;
    long line;
} article_entry;

struct article_table {
    article_entry *entries; /* sorted by key */
    size_t n;
    unsigned refs; /* the `articles` holder's reference plus one per request holding it */
};

struct articles {
    char *path;
    pthread_mutex_t lock;
    article_table *current;
};

static void table_free(article_table *t)
{
    for (size_t i = 0; t && i < t->n; i++) {
        free(t->entries[i].key);
        free(t->entries[i].text);
    }
    if (t)
        free(t->entries);
    free(t);
}

/* A permalink's length without its "#fragment" and trailing slashes. */
static size_t key_length(const char *permalink)
{
    size_t n = strcspn(permalink, "#");
    while (n > 0 && permalink[n - 1] == '/')
        n--;
    return n;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const article_entry *)a)->key, ((const article_entry *)b)->key);
}

/* Whether `thread` is absent, null or an array of strings. */
static int is_thread(const json_t *thread)
{
    if (!thread || json_is_null(thread))
        return 1;
    if (!json_is_array(thread))
        return 0;
    for (size_t i = 0; i < json_array_size(thread); i++)
        if (!json_is_string(json_array_get(thread, i)))
            return 0;
    return 1;
}

/* The post's text with its thread's comments after it (cg_thread_text), in place of *text; *text is
 * freed and set to NULL if out of memory. */
static void add_thread(const json_t *thread, char **text, size_t *len)
{
    size_t n = json_is_array(thread) ? json_array_size(thread) : 0;
    if (n == 0 || !*text)
        return;
    const char **comments = malloc(n * sizeof *comments);
    size_t *lens = malloc(n * sizeof *lens);
    char *joined = NULL;
    if (comments && lens) {
        for (size_t i = 0; i < n; i++) {
            comments[i] = json_string_value(json_array_get(thread, i));
            lens[i] = json_string_length(json_array_get(thread, i));
        }
        joined = cg_thread_text(*text, *len, comments, lens, n, len);
    }
    free(comments);
    free(lens);
    free(*text);
    *text = joined;
}

/* One line's entry: 0, or -1 with the reason (without file:line) in err. */
static int parse_line(const char *line, long lineno, article_entry *e, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
    json_t *permalink = json_object_get(o, "permalink"), *title = json_object_get(o, "title"),
           *text = json_object_get(o, "text"), *thread = json_object_get(o, "thread");
    int st = -1;
    if (!o)
        snprintf(err, errlen, "invalid JSON: %s", jerr.text);
    else if (!json_is_object(o))
        snprintf(err, errlen, "not a JSON object");
    else if (!json_is_string(permalink) || key_length(json_string_value(permalink)) == 0)
        snprintf(err, errlen, "\"permalink\" must be a non-empty string");
    else if (!json_is_string(text) || (title && !json_is_string(title) && !json_is_null(title)))
        snprintf(err, errlen, "\"text\" must be a string, \"title\" a string or null");
    else if (!is_thread(thread))
        snprintf(err, errlen, "\"thread\" must be an array of strings or null");
    else
        st = 0;
    if (st == 0) {
        e->len = 0;
        e->key = strndup(json_string_value(permalink), key_length(json_string_value(permalink)));
        e->text = cli_article_text(json_is_string(title) ? json_string_value(title) : "", json_string_value(text),
                                   json_string_length(text), &e->len);
        e->line = lineno;
        if (e->text && e->len > CG_MAX_COMMENT_BYTES) {
            free(e->text);
            e->text = NULL;
        }
        add_thread(thread, &e->text, &e->len);
        if (!e->key || !e->text) {
            if (e->len > CG_MAX_COMMENT_BYTES)
                snprintf(err, errlen, "article longer than %u bytes", (unsigned)CG_MAX_COMMENT_BYTES);
            else
                snprintf(err, errlen, "out of memory");
            free(e->key);
            free(e->text);
            st = -1;
        }
    }
    json_decref(o);
    return st;
}

/* Read path into a new table with one reference: NULL with "path:line: reason" in err. */
static article_table *load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    article_table *t = calloc(1, sizeof *t);
    size_t cap = 0, linecap = 0;
    char *line = NULL, why[300];
    long lineno = 0;
    int failed = !t;
    if (failed)
        snprintf(err, errlen, "%s: out of memory", path);
    while (!failed && getline(&line, &linecap, f) >= 0) {
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (t->n == cap) {
            article_entry *grown = realloc(t->entries, (cap = cap ? 2 * cap : 256) * sizeof *grown);
            if (!grown) {
                snprintf(err, errlen, "%s: out of memory", path);
                failed = 1;
                break;
            }
            t->entries = grown;
        }
        if (parse_line(line, lineno, &t->entries[t->n], why, sizeof why) != 0) {
            snprintf(err, errlen, "%s:%ld: %s", path, lineno, why);
            failed = 1;
        } else {
            t->n++;
        }
    }
    if (!failed && ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        failed = 1;
    }
    free(line);
    fclose(f);
    if (!failed && t->n > 1) {
        qsort(t->entries, t->n, sizeof *t->entries, by_key);
        for (size_t i = 1; i < t->n && !failed; i++)
            if (strcmp(t->entries[i - 1].key, t->entries[i].key) == 0) {
                long a = t->entries[i - 1].line, b = t->entries[i].line;
                snprintf(err, errlen, "%s:%ld: permalink already on line %ld", path, a > b ? a : b, a > b ? b : a);
                failed = 1;
            }
    }
    if (failed) {
        table_free(t);
        return NULL;
    }
    t->refs = 1;
    return t;
}

int articles_open(const char *path, articles **out, char *err, size_t errlen)
{
    *out = NULL;
    articles *a = calloc(1, sizeof *a);
    if (!a || !(a->path = strdup(path)) || pthread_mutex_init(&a->lock, NULL) != 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        if (a)
            free(a->path);
        free(a);
        return -1;
    }
    if (!(a->current = load(path, err, errlen))) {
        articles_close(a);
        return -1;
    }
    *out = a;
    return 0;
}

int articles_reload(articles *a, char *err, size_t errlen)
{
    article_table *fresh = load(a->path, err, errlen);
    if (!fresh)
        return -1;
    pthread_mutex_lock(&a->lock);
    article_table *old = a->current;
    a->current = fresh;
    int last = --old->refs == 0;
    pthread_mutex_unlock(&a->lock);
    if (last)
        table_free(old);
    return 0;
}

void articles_close(articles *a)
{
    if (!a)
        return;
    table_free(a->current);
    pthread_mutex_destroy(&a->lock);
    free(a->path);
    free(a);
}

const article_table *articles_acquire(articles *a)
{
    pthread_mutex_lock(&a->lock);
    article_table *t = a->current;
    t->refs++;
    pthread_mutex_unlock(&a->lock);
    return t;
}

void articles_release(articles *a, const article_table *t)
{
    article_table *held = (article_table *)t;
    pthread_mutex_lock(&a->lock);
    int last = --held->refs == 0;
    pthread_mutex_unlock(&a->lock);
    if (last)
        table_free(held);
}

size_t articles_count(const article_table *t)
{
    return t->n;
}

const char *articles_find(const article_table *t, const char *permalink, size_t *len)
{
    size_t n = key_length(permalink);
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *key = t->entries[mid].key;
        int c = strncmp(key, permalink, n);
        if (c == 0)
            c = key[n] != '\0';
        if (c == 0) {
            *len = t->entries[mid].len;
            return t->entries[mid].text;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
