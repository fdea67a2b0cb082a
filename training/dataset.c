/*
 * dataset.c - reading labelled comments from TSV or JSON Lines files into a cg_dataset.
 *
 * Every string of a dataset (texts, articles, sources, the path) lives in one chunked arena (`storage`,
 * string_store.h). Articles and sources are interned: rows that answer the same post, or come from the
 * same corpus, point at one copy. A stream (cg_dataset_stream) reads the same rows one at a time and
 * keeps only the interned strings. For TSV the articles come from contexts.tsv, read once, and only
 * when a row names a context.
 */
#define _POSIX_C_SOURCE 200809L
#include "dataset.h"

#include "data_reader.h"
#include "string_store.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FIRST_ROWS 1024
#define TSV_MAX_FIELDS 4

static cg_status check_length(data_reader *r, const char *what, size_t n)
{
    if (n > CG_DATASET_MAX_FIELD_BYTES)
        return BAD(r, "%s is %zu bytes, over the limit of %u", what, n, (unsigned)CG_DATASET_MAX_FIELD_BYTES);
    return CG_OK;
}

/* ---- loading ---- */

/* Reads rows either into ds.rows with their text copied (cg_dataset_load) or one at a time into
 * `current`, whose text lives in the line buffer or `held` until the next row (a stream). */
typedef struct loader {
    cg_dataset ds;
    cg_arena_chunk *mem; /* becomes ds.storage */
    size_t cap;          /* rows allocated */
    data_reader r;            /* the data file */
    cg_strmap contexts;  /* TSV context id -> article */
    int have_contexts;
    cg_strmap interned;  /* articles and sources, each stored once */
    int streaming;
    cg_example current;
    json_t *held;        /* the JSON object current.text points into */
} loader;

static cg_arena_chunk **arena(loader *L)
{
    return &L->mem;
}

/* The stored copy of s[0..n), shared by every row that uses the same bytes. NULL if out of memory. */
static const char *intern(loader *L, const char *s, size_t n)
{
    cg_strmap_entry *e = cg_strmap_find(&L->interned, s, n);
    if (e)
        return e->key;
    const char *copy = cg_arena_copy(arena(L), s, n);
    if (!copy || !cg_strmap_add(&L->interned, copy, n))
        return NULL;
    return copy;
}

static cg_status add_row(loader *L, cg_example row)
{
    cg_dataset *ds = &L->ds;
    row.line = L->r.line;
    if (L->streaming) {
        L->current = row;
        ds->n++;
        ds->count[row.label]++;
        return CG_OK;
    }
    if (ds->n == CG_DATASET_MAX_ROWS)
        return BAD(&L->r, "more than %d rows", CG_DATASET_MAX_ROWS);
    if (ds->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : FIRST_ROWS;
        cg_example *rows = realloc(ds->rows, cap * sizeof *rows);
        if (!rows)
            return NOMEM(&L->r);
        ds->rows = rows;
        L->cap = cap;
    }
    ds->rows[ds->n++] = row;
    ds->count[row.label]++;
    return CG_OK;
}

/* path with its last component replaced by name. */
static char *sibling_path(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    char *p = malloc(dir + strlen(name) + 1);
    if (p) {
        memcpy(p, path, dir);
        strcpy(p + dir, name);
    }
    return p;
}

/* One line of contexts.tsv: `context_id TAB text`. */
static cg_status context_row(loader *L, data_reader *r, char *line, size_t len)
{
    char *field[2];
    size_t flen[2];
    if (data_split_tabs(line, len, field, flen, 2) != 2)
        return BAD(r, "expected 2 fields: context id TAB text");
    if (flen[0] == 0)
        return BAD(r, "empty context id");
    cg_status st = check_length(r, "context id", flen[0]);
    if (st == CG_OK)
        st = data_unescape(r, "context text", field[1], &flen[1]);
    if (st == CG_OK)
        st = check_length(r, "context text", flen[1]);
    if (st != CG_OK)
        return st;
    cg_strmap_entry *old = cg_strmap_find(&L->contexts, field[0], flen[0]);
    if (old)
        return BAD(r, "duplicate context id '%.*s' (first on line %ld)", (int)(flen[0] < QUOTE_MAX ? flen[0] : QUOTE_MAX),
                   field[0], old->line);
    const char *id = cg_arena_copy(arena(L), field[0], flen[0]);
    const char *text = id ? cg_arena_copy(arena(L), field[1], flen[1]) : NULL;
    cg_strmap_entry *e = text ? cg_strmap_add(&L->contexts, id, flen[0]) : NULL;
    if (!e)
        return NOMEM(r);
    e->val = text;
    e->vlen = flen[1];
    e->line = r->line;
    return CG_OK;
}

/* Read contexts.tsv next to the data file, the first time a row names a context. */
static cg_status load_contexts(loader *L)
{
    data_reader *data = &L->r;
    char *path = sibling_path(data->path, "contexts.tsv");
    if (!path)
        return NOMEM(data);
    data_reader r = {.path = path, .err = data->err, .errlen = data->errlen};
    r.f = fopen(path, "r");
    cg_status st = CG_OK;
    if (!r.f)
        st = data_fail(CG_ERR_IO, data->err, data->errlen, data->path, data->line,
                  "a row has a context id but %s cannot be read: %s", path, strerror(errno));
    char *line;
    size_t len;
    while (st == CG_OK && (st = data_reader_next(&r, &line, &len)) == CG_OK && line)
        st = context_row(L, &r, line, len);
    data_reader_close(&r);
    free(path);
    L->have_contexts = 1;
    return st;
}

static cg_status tsv_row(loader *L, char *line, size_t len)
{
    data_reader *r = &L->r;
    char *field[TSV_MAX_FIELDS];
    size_t flen[TSV_MAX_FIELDS];
    int nf = data_split_tabs(line, len, field, flen, TSV_MAX_FIELDS);
    if (nf > TSV_MAX_FIELDS)
        return BAD(r, "too many fields (expected label TAB text [TAB context_id [TAB source]])");
    if (nf < 2)
        return BAD(r, "missing text field (expected label TAB text [TAB context_id [TAB source]])");

    cg_example row = {.source = ""};
    if (!data_parse_label(field[0], flen[0], &row.label))
        return data_bad_label(r, field[0], flen[0]);
    cg_status st = data_unescape(r, "text", field[1], &flen[1]);
    if (st == CG_OK)
        st = check_length(r, "text", flen[1]);
    if (st == CG_OK && nf == 4 && flen[3] > 0)
        st = check_length(r, "source", flen[3]);
    if (st != CG_OK)
        return st;

    if (nf >= 3 && flen[2] > 0) {
        if (!L->have_contexts && (st = load_contexts(L)) != CG_OK)
            return st;
        cg_strmap_entry *e = cg_strmap_find(&L->contexts, field[2], flen[2]);
        if (!e)
            return BAD(r, "unknown context id '%.*s'", (int)(flen[2] < QUOTE_MAX ? flen[2] : QUOTE_MAX), field[2]);
        row.article = e->val;
        row.article_len = e->vlen;
    }
    if (nf == 4 && flen[3] > 0 && !(row.source = intern(L, field[3], flen[3])))
        return NOMEM(r);
    if (L->streaming) {
        field[1][flen[1]] = '\0'; /* unescaping may have shortened it in place */
        row.text = field[1];
    } else if (!(row.text = cg_arena_copy(arena(L), field[1], flen[1]))) {
        return NOMEM(r);
    }
    row.text_len = flen[1];
    return add_row(L, row);
}

/* The string value of key in obj. An optional key may be absent or null (*s is then NULL). */
static cg_status json_string_field(data_reader *r, json_t *obj, const char *key, int required, const char **s, size_t *n)
{
    json_t *v = json_object_get(obj, key);
    *s = NULL;
    *n = 0;
    if (!v && required)
        return BAD(r, "missing \"%s\"", key);
    if (!v || (json_is_null(v) && !required))
        return CG_OK;
    if (!json_is_string(v))
        return BAD(r, "\"%s\" is not a string%s", key, required ? "" : " or null");
    *s = json_string_value(v);
    *n = json_string_length(v);
    return check_length(r, key, *n);
}

static cg_status jsonl_fields(loader *L, json_t *obj)
{
    data_reader *r = &L->r;
    if (!json_is_object(obj))
        return BAD(r, "not a JSON object");
    const char *label, *text, *article, *source;
    size_t label_len, text_len, article_len, source_len;
    cg_status st = json_string_field(r, obj, "label", 1, &label, &label_len);
    if (st == CG_OK)
        st = json_string_field(r, obj, "text", 1, &text, &text_len);
    if (st == CG_OK)
        st = json_string_field(r, obj, "article", 0, &article, &article_len);
    if (st == CG_OK)
        st = json_string_field(r, obj, "source", 0, &source, &source_len);
    static const char *const author_keys[3] = {"author", "author_url", "author_email"};
    const char *author[3];
    size_t author_len[3];
    for (int k = 0; k < 3 && st == CG_OK; k++)
        st = json_string_field(r, obj, author_keys[k], 0, &author[k], &author_len[k]);
    if (st != CG_OK)
        return st;
    /* Only score and serve read a thread (cg_article_new_thread); a file that has one would otherwise be
     * trained or evaluated without it, silently. */
    json_t *thread = json_object_get(obj, "thread");
    if (thread && !json_is_null(thread) && !(json_is_array(thread) && json_array_size(thread) == 0))
        return BAD(r, "\"thread\" is read by score and serve only: join its comments into \"article\" (a blank "
                      "line between) to train or evaluate with them");

    cg_example row = {.source = "", .text_len = text_len, .article_len = article_len};
    if (!data_parse_label(label, label_len, &row.label))
        return data_bad_label(r, label, label_len);
    if (article && !(row.article = intern(L, article, article_len)))
        return NOMEM(r);
    if (source && !(row.source = intern(L, source, source_len)))
        return NOMEM(r);
    if (!(row.text = L->streaming ? text : cg_arena_copy(arena(L), text, text_len)))
        return NOMEM(r);
    const char **author_out[3] = {&row.author, &row.author_url, &row.author_email};
    for (int k = 0; k < 3; k++)
        if (author[k] && !(*author_out[k] = L->streaming ? author[k] : cg_arena_copy(arena(L), author[k], author_len[k])))
            return NOMEM(r);
    return add_row(L, row);
}

static cg_status jsonl_row(loader *L, const char *line, size_t len)
{
    json_error_t je;
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!obj) {
        if (json_error_code(&je) == json_error_out_of_memory)
            return NOMEM(&L->r);
        return BAD(&L->r, "invalid JSON at byte %d: %s", je.position + 1, je.text);
    }
    cg_status st = jsonl_fields(L, obj);
    if (L->streaming && st == CG_OK)
        L->held = obj; /* the row's text lives in it until the next row */
    else
        json_decref(obj);
    return st;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static cg_status load_rows(loader *L, int jsonl)
{
    char *line;
    size_t len;
    cg_status st;
    while ((st = data_reader_next(&L->r, &line, &len)) == CG_OK && line) {
        st = jsonl ? jsonl_row(L, line, len) : tsv_row(L, line, len);
        if (st != CG_OK)
            return st;
    }
    if (st == CG_OK && L->ds.n == 0)
        st = data_fail(CG_ERR_FORMAT, L->r.err, L->r.errlen, L->r.path, 0, "no rows");
    return st;
}

static int is_jsonl(const char *path)
{
    return ends_with(path, ".jsonl") || ends_with(path, ".json");
}

/* Open path for L; on failure the message is in err. */
static cg_status loader_open(loader *L, const char *path, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!path) {
        if (err)
            snprintf(err, errlen, "no data file given");
        return CG_ERR_INPUT;
    }
    L->r = (data_reader){.path = path, .err = err, .errlen = errlen};
    L->ds.path = cg_arena_copy(arena(L), path, strlen(path));
    if (!L->ds.path)
        return data_fail(CG_ERR_NOMEM, err, errlen, path, 0, "out of memory");
    L->r.path = L->ds.path;
    if (!(L->r.f = fopen(path, "r")))
        return data_fail(CG_ERR_IO, err, errlen, path, 0, "cannot open: %s", strerror(errno));
    return CG_OK;
}

static void loader_close(loader *L)
{
    data_reader_close(&L->r);
    cg_strmap_free(&L->contexts);
    cg_strmap_free(&L->interned);
    json_decref(L->held);
    L->held = NULL;
}

cg_status cg_dataset_load(const char *path, cg_dataset *out, char *err, size_t errlen)
{
    if (!out)
        return CG_ERR_INPUT;
    *out = (cg_dataset){0};
    loader L = {0};
    cg_status st = loader_open(&L, path, err, errlen);
    if (st == CG_OK)
        st = load_rows(&L, is_jsonl(path));
    loader_close(&L);
    L.ds.storage = L.mem;
    if (st != CG_OK) {
        cg_dataset_free(&L.ds);
        return st;
    }
    *out = L.ds;
    return CG_OK;
}

/* ---- streaming ---- */

struct cg_dataset_stream {
    loader L;
    int jsonl;
    double size; /* of the file in bytes, for cg_dataset_stream_fraction */
};

cg_status cg_dataset_stream_open(const char *path, cg_dataset_stream **out, char *err, size_t errlen)
{
    *out = NULL;
    cg_dataset_stream *s = calloc(1, sizeof *s);
    if (!s) {
        if (err)
            snprintf(err, errlen, "out of memory");
        return CG_ERR_NOMEM;
    }
    s->L.streaming = 1;
    cg_status st = loader_open(&s->L, path, err, errlen);
    if (st != CG_OK) {
        cg_dataset_stream_close(s);
        return st;
    }
    s->jsonl = is_jsonl(path);
    struct stat sb;
    s->size = fstat(fileno(s->L.r.f), &sb) == 0 && sb.st_size > 0 ? (double)sb.st_size : 0;
    *out = s;
    return CG_OK;
}

cg_status cg_dataset_stream_next(cg_dataset_stream *s, cg_example *row)
{
    loader *L = &s->L;
    json_decref(L->held);
    L->held = NULL;
    memset(row, 0, sizeof *row);
    char *line;
    size_t len;
    cg_status st = data_reader_next(&L->r, &line, &len);
    if (st != CG_OK)
        return st;
    if (!line)
        return L->ds.n ? CG_OK : data_fail(CG_ERR_FORMAT, L->r.err, L->r.errlen, L->r.path, 0, "no rows");
    if (L->ds.n == CG_DATASET_MAX_ROWS)
        return BAD(&L->r, "more than %d rows", CG_DATASET_MAX_ROWS);
    st = s->jsonl ? jsonl_row(L, line, len) : tsv_row(L, line, len);
    if (st == CG_OK)
        *row = L->current;
    return st;
}

double cg_dataset_stream_fraction(const cg_dataset_stream *s)
{
    long at = s->L.r.f ? ftell(s->L.r.f) : -1;
    return s->size > 0 && at >= 0 ? (double)at / s->size : 0;
}

const char *cg_dataset_stream_path(const cg_dataset_stream *s)
{
    return s->L.ds.path;
}

void cg_dataset_stream_close(cg_dataset_stream *s)
{
    if (!s)
        return;
    loader_close(&s->L);
    cg_arena_free(s->L.mem);
    free(s);
}

void cg_dataset_free(cg_dataset *ds)
{
    if (!ds)
        return;
    free(ds->rows);
    cg_arena_free(ds->storage);
    *ds = (cg_dataset){0};
}
