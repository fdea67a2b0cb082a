/* site_rows.c - the site's history and its moderators' corrections, merged into one training file.
 *
 * Rows are gathered in a JSON object keyed by the comment, its text and author fields (jansson
 * keeps the order in which keys first came), each later row of the same comment replacing the
 * earlier one: a moderator's latest click stands, and the trainer's folds never hold the same
 * comment twice. The same words from two authors stay two rows, as they are two comments. */
#define _POSIX_C_SOURCE 200809L
#include "site_rows.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commentguard.h"
#include "dataset.h"

static int is_label(const char *name)
{
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (strcmp(name, cg_label_name((cg_label)k)) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The key of a row: the JSON text of [text, author, author_url, author_email] (null for an author
 * field absent). A new string, or NULL with "path:line: reason" in err. */
static char *row_key(json_t *o, const char *path, size_t line, char *err, size_t errlen)
{
    static const char *const author_keys[3] = {"author", "author_url", "author_email"};
    json_t *key = json_array();
    int st = key && json_array_append(key, json_object_get(o, "text")) == 0 ? 0 : -1;
    for (int k = 0; k < 3 && st == 0; k++) {
        json_t *v = json_object_get(o, author_keys[k]);
        if (v && !json_is_string(v) && !json_is_null(v)) {
            snprintf(err, errlen, "%s:%zu: \"%s\" is not a string or null", path, line, author_keys[k]);
            json_decref(key);
            return NULL;
        }
        st = json_array_append_new(key, v ? json_incref(v) : json_null());
    }
    char *text = st == 0 ? json_dumps(key, JSON_COMPACT) : NULL;
    json_decref(key);
    if (!text)
        snprintf(err, errlen, "out of memory");
    return text;
}

/* Put row o under its key, after every row before (the latest row of a comment goes last): 0, or
 * -1 with the reason in err. */
static int put_row(json_t *rows, json_t *o, const char *path, size_t line, char *err, size_t errlen)
{
    char *key = row_key(o, path, line, err, errlen);
    if (!key)
        return -1;
    json_object_del(rows, key);
    int st = json_object_set(rows, key, o);
    free(key);
    if (st != 0)
        snprintf(err, errlen, "out of memory");
    return st;
}

/* Add the rows of a JSON Lines file (a last line without its newline only if `whole_lines_only`
 * is 0): 0, or -1 with "path:line: reason" in err. *lines receives the lines read. */
static int add_jsonl(json_t *rows, const char *path, int whole_lines_only, size_t *lines, char *err,
                     size_t errlen)
{
    *lines = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT && whole_lines_only)
            return 0; /* no feedback yet */
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int st = 0;
    while (st == 0 && (got = getline(&line, &cap, f)) > 0) {
        if (whole_lines_only && line[got - 1] != '\n')
            break;
        ++*lines;
        if (strspn(line, " \t\r\n") == (size_t)got)
            continue;
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        json_t *text = json_object_get(o, "text"), *label = json_object_get(o, "label");
        if (!o) {
            snprintf(err, errlen, "%s:%zu: invalid JSON: %s", path, *lines, jerr.text);
            st = -1;
        } else if (!json_is_string(text) || !json_is_string(label) || !is_label(json_string_value(label))) {
            snprintf(err, errlen, "%s:%zu: expected \"text\" and a \"label\" (on-topic, off-topic or abusive)", path,
                     *lines);
            st = -1;
        } else if (memchr(json_string_value(text), '\0', json_string_length(text))) {
            snprintf(err, errlen, "%s:%zu: the text holds a NUL byte", path, *lines);
            st = -1;
        } else {
            st = put_row(rows, o, path, *lines, err, errlen);
        }
        json_decref(o);
    }
    free(line);
    if (st == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        st = -1;
    }
    fclose(f);
    return st;
}

/* Add the rows of a TSV file, read as `train` reads it: 0, or -1 with the reason in err. */
static int add_tsv(json_t *rows, const char *path, char *err, size_t errlen)
{
    cg_dataset ds;
    if (cg_dataset_load(path, &ds, err, errlen) != CG_OK)
        return -1;
    int st = 0;
    for (size_t i = 0; i < ds.n && st == 0; i++) {
        const cg_example *e = &ds.rows[i];
        json_t *o = json_pack("{s:s, s:s%}", "label", cg_label_name(e->label), "text", e->text, e->text_len);
        if (o && e->article && json_object_set_new(o, "article", json_stringn(e->article, e->article_len)) != 0)
            st = -1;
        if (o && *e->source && json_object_set_new(o, "source", json_string(e->source)) != 0)
            st = -1;
        if (!o || st != 0) {
            snprintf(err, errlen, "%s:%ld: out of memory or not UTF-8", path, e->line);
            st = -1;
        } else {
            st = put_row(rows, o, path, (size_t)e->line, err, errlen);
        }
        json_decref(o);
    }
    cg_dataset_free(&ds);
    return st;
}

/* Write the rows to path through path.tmp: 0, or -1 with the reason in err. */
static int write_rows(json_t *rows, const char *path, char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    const char *key;
    json_t *row;
    int failed = 0;
    json_object_foreach(rows, key, row) {
        if (json_dumpf(row, f, JSON_COMPACT) != 0 || fputc('\n', f) == EOF)
            failed = 1;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        failed = 1;
    if (fclose(f) != 0 || failed || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int site_rows_write(const char *history, const char *feedback, const char *out_path, size_t *rows,
                    size_t *feedback_lines, char *err, size_t errlen)
{
    *rows = 0;
    *feedback_lines = 0;
    json_t *all = json_object();
    size_t history_lines;
    int st = all ? 0 : -1;
    if (!all)
        snprintf(err, errlen, "out of memory");
    if (st == 0 && history)
        st = ends_with(history, ".jsonl") || ends_with(history, ".json")
                 ? add_jsonl(all, history, 0, &history_lines, err, errlen)
                 : add_tsv(all, history, err, errlen);
    if (st == 0)
        st = add_jsonl(all, feedback, 1, feedback_lines, err, errlen);
    if (st == 0 && json_object_size(all) == 0) {
        snprintf(err, errlen, "no rows to learn from yet (history and feedback are empty)");
        st = -1;
    }
    if (st == 0)
        st = write_rows(all, out_path, err, errlen);
    if (st == 0)
        *rows = json_object_size(all);
    json_decref(all);
    return st;
}

long site_rows_count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : -1;
    long n = 0;
    int c;
    while ((c = getc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}
