/* wxr.c - a WordPress export read with libxml2's xmlTextReader: a pull parser that holds only the
 * current node, so an export of hundreds of MB costs the memory of its largest post and comments.
 *
 * The text of the elements wanted is gathered from the text and CDATA nodes between their start
 * and end; an element is recognised by its local name and namespace (the wp namespace's URI
 * carries the WXR version, so only its stem is compared) and its depth under <item> or
 * <wp:comment>, so that the channel's own <title> or a comment's metadata are not taken. */
#define _POSIX_C_SOURCE 200809L
#include "wxr.h"

#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WP_NS "http://wordpress.org/export/"
#define CONTENT_NS "http://purl.org/rss/1.0/modules/content/"

typedef struct text {
    char *s;
    size_t len, cap;
} text;

enum { T_TITLE, T_LINK, T_CONTENT, T_POST_TYPE, T_STATUS, POST_FIELDS };
enum { C_ID, C_AUTHOR, C_AUTHOR_URL, C_AUTHOR_EMAIL, C_CONTENT, C_APPROVED, C_TYPE, COMMENT_FIELDS };

typedef struct comment_text {
    text f[COMMENT_FIELDS];
    long line;
} comment_text;

typedef struct reader {
    const char *path;
    xmlTextReaderPtr r;
    char *err;
    size_t errlen;
    int failed;
    text post[POST_FIELDS];
    long post_line;
    comment_text *comments; /* the current item's */
    size_t n_comments, cap_comments;
    int item_depth, comment_depth; /* -1 outside */
    text *capture;                 /* the field being gathered, or NULL */
    int capture_depth;
} reader;

static void fail(reader *rd, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(reader *rd, long line, const char *fmt, ...)
{
    if (rd->failed)
        return; /* the first error is the one to fix */
    rd->failed = 1;
    int n = snprintf(rd->err, rd->errlen, "%s:%ld: ", rd->path, line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < rd->errlen)
        vsnprintf(rd->err + n, rd->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* libxml2's own messages (malformed XML, truncation, bad encoding), with their line. */
static void on_parser_error(void *arg, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc)
{
    reader *rd = arg;
    if (severity == XML_PARSER_SEVERITY_WARNING || severity == XML_PARSER_SEVERITY_VALIDITY_WARNING)
        return;
    char clean[300];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "malformed XML");
    clean[strcspn(clean, "\n")] = '\0';
    fail(rd, xmlTextReaderLocatorLineNumber(loc), "%s", clean);
}

/* The line of the current node (the parser itself may have read further). */
static long line_of(reader *rd)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(rd->r);
    long line = node ? xmlGetLineNo(node) : -1;
    return line > 0 ? line : xmlTextReaderGetParserLineNumber(rd->r);
}

static int append(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p)
            return -1;
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
    return 0;
}

static const char *str(const text *t)
{
    return t->len ? t->s : "";
}

static int is_ns(const xmlChar *uri, const char *ns, int stem)
{
    return uri && (stem ? strncmp((const char *)uri, ns, strlen(ns)) == 0 : strcmp((const char *)uri, ns) == 0);
}

/* The field an element at this place fills, or NULL. */
static text *field_of(reader *rd, const char *name, const xmlChar *uri, int depth)
{
    int wp = is_ns(uri, WP_NS, 1);
    if (rd->comment_depth >= 0 && depth == rd->comment_depth + 1 && wp) {
        static const char *const names[COMMENT_FIELDS] = {"comment_id", "comment_author", "comment_author_url",
                                                          "comment_author_email", "comment_content",
                                                          "comment_approved", "comment_type"};
        for (int i = 0; i < COMMENT_FIELDS; i++)
            if (strcmp(name, names[i]) == 0)
                return &rd->comments[rd->n_comments - 1].f[i];
        return NULL;
    }
    if (rd->item_depth < 0 || depth != rd->item_depth + 1)
        return NULL;
    if (!uri && strcmp(name, "title") == 0)
        return &rd->post[T_TITLE];
    if (!uri && strcmp(name, "link") == 0)
        return &rd->post[T_LINK];
    if (is_ns(uri, CONTENT_NS, 0) && strcmp(name, "encoded") == 0)
        return &rd->post[T_CONTENT];
    if (wp && strcmp(name, "post_type") == 0)
        return &rd->post[T_POST_TYPE];
    if (wp && strcmp(name, "status") == 0)
        return &rd->post[T_STATUS];
    return NULL;
}

static void clear_item(reader *rd)
{
    for (int i = 0; i < POST_FIELDS; i++)
        rd->post[i].len = 0;
    for (size_t c = 0; c < rd->n_comments; c++)
        for (int i = 0; i < COMMENT_FIELDS; i++)
            free(rd->comments[c].f[i].s);
    rd->n_comments = 0;
}

static int begin_comment(reader *rd, int depth)
{
    if (rd->n_comments == rd->cap_comments) {
        size_t cap = rd->cap_comments ? 2 * rd->cap_comments : 16;
        comment_text *p = realloc(rd->comments, cap * sizeof *p);
        if (!p)
            return -1;
        rd->comments = p;
        rd->cap_comments = cap;
    }
    rd->comments[rd->n_comments++] = (comment_text){.line = line_of(rd)};
    rd->comment_depth = depth;
    return 0;
}

/* The end of an <item>: hand it over. */
static void end_item(reader *rd, wxr_item_fn fn, void *ctx)
{
    wxr_post post = {str(&rd->post[T_TITLE]), str(&rd->post[T_LINK]), str(&rd->post[T_CONTENT]),
                     str(&rd->post[T_POST_TYPE]), str(&rd->post[T_STATUS]), rd->post_line};
    wxr_comment *list = rd->n_comments ? malloc(rd->n_comments * sizeof *list) : NULL;
    if (rd->n_comments && !list) {
        fail(rd, rd->post_line, "out of memory");
        return;
    }
    for (size_t c = 0; c < rd->n_comments; c++) {
        const text *f = rd->comments[c].f;
        list[c] = (wxr_comment){.id = str(&f[C_ID]),
                                .author = str(&f[C_AUTHOR]),
                                .author_url = str(&f[C_AUTHOR_URL]),
                                .author_email = str(&f[C_AUTHOR_EMAIL]),
                                .content = str(&f[C_CONTENT]),
                                .approved = str(&f[C_APPROVED]),
                                .type = str(&f[C_TYPE]),
                                .line = rd->comments[c].line};
    }
    if (fn(ctx, &post, list, rd->n_comments, rd->err, rd->errlen) != 0)
        rd->failed = 1;
    free(list);
    clear_item(rd);
}

/* One node of the stream. */
static void step(reader *rd, wxr_item_fn fn, void *ctx)
{
    int type = xmlTextReaderNodeType(rd->r), depth = xmlTextReaderDepth(rd->r);
    if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
        type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE) {
        const char *v = (const char *)xmlTextReaderConstValue(rd->r);
        if (rd->capture && v && append(rd->capture, v, strlen(v)) != 0)
            fail(rd, line_of(rd), "out of memory");
        return;
    }
    const char *name = (const char *)xmlTextReaderConstLocalName(rd->r);
    if (type == XML_READER_TYPE_ENTITY_REFERENCE) { /* WordPress declares none; not expanded, for safety */
        fail(rd, line_of(rd), "entity &%s; is declared in a DTD, which is not read",
             name ? name : "");
    } else if (type == XML_READER_TYPE_ELEMENT) {
        const xmlChar *uri = xmlTextReaderConstNamespaceUri(rd->r);
        int empty = xmlTextReaderIsEmptyElement(rd->r);
        if (depth == 0 && strcmp(name, "rss") != 0) {
            fail(rd, line_of(rd), "not a WordPress export: the root is <%s>, not <rss>",
                 name);
        } else if (!uri && strcmp(name, "item") == 0 && rd->item_depth < 0) {
            rd->item_depth = depth;
            rd->post_line = line_of(rd);
            if (empty) {
                end_item(rd, fn, ctx);
                rd->item_depth = -1;
            }
        } else if (rd->item_depth >= 0 && rd->comment_depth < 0 && depth == rd->item_depth + 1 &&
                   is_ns(uri, WP_NS, 1) && strcmp(name, "comment") == 0) {
            if (begin_comment(rd, depth) != 0)
                fail(rd, line_of(rd), "out of memory");
            else if (empty)
                rd->comment_depth = -1;
        } else if (!rd->capture && !empty) {
            rd->capture = field_of(rd, name, uri, depth);
            rd->capture_depth = depth;
            if (rd->capture)
                rd->capture->len = 0;
        }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (rd->capture && depth == rd->capture_depth)
            rd->capture = NULL;
        else if (depth == rd->comment_depth)
            rd->comment_depth = -1;
        else if (depth == rd->item_depth) {
            end_item(rd, fn, ctx);
            rd->item_depth = -1;
        }
    }
}

int wxr_read(const char *path, wxr_item_fn fn, void *ctx, char *err, size_t errlen)
{
    reader rd = {.path = path, .err = err, .errlen = errlen, .item_depth = -1, .comment_depth = -1};
    FILE *probe = fopen(path, "rb"); /* libxml2 would only say "failed to load" */
    if (!probe) {
        snprintf(err, errlen, "%s: cannot open the file", path);
        return -1;
    }
    int empty = fgetc(probe) == EOF;
    fclose(probe);
    if (empty) {
        snprintf(err, errlen, "%s:1: empty file", path);
        return -1;
    }
    /* No entity substitution beyond XML's own, no DTD loading, no network. */
    rd.r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!rd.r) {
        snprintf(err, errlen, "%s: cannot read the file", path);
        return -1;
    }
    xmlTextReaderSetErrorHandler(rd.r, on_parser_error, &rd);
    int st = 0;
    while (!rd.failed && (st = xmlTextReaderRead(rd.r)) == 1)
        step(&rd, fn, ctx);
    if (!rd.failed && st != 0)
        fail(&rd, line_of(&rd), "malformed XML");
    clear_item(&rd);
    for (int i = 0; i < POST_FIELDS; i++)
        free(rd.post[i].s);
    free(rd.comments);
    xmlFreeTextReader(rd.r);
    return rd.failed ? -1 : 0;
}
