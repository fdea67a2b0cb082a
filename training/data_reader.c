/* data_reader.c - the lines and fields of a data file (dataset.c): a line reader that refuses NUL
 * bytes and invalid UTF-8, tab-separated fields, labels, escapes, and "path:line: ..." messages. */
#define _POSIX_C_SOURCE 200809L
#include "data_reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- error messages ---- */

static void message(char *err, size_t errlen, const char *path, long line, const char *fmt, va_list ap)
{
    if (!err || errlen == 0)
        return;
    int k = line > 0 ? snprintf(err, errlen, "%s:%ld: ", path, line) : snprintf(err, errlen, "%s: ", path);
    if (k >= 0 && (size_t)k < errlen)
        vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
}

cg_status data_fail(cg_status st, char *err, size_t errlen, const char *path, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(err, errlen, path, line, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- line reader ---- */

void data_reader_close(data_reader *r)
{
    if (r->f)
        fclose(r->f);
    free(r->buf);
    r->f = NULL;
    r->buf = NULL;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* Refuse NUL bytes and invalid UTF-8 anywhere in a line (tabs and escapes are ASCII, so checking
 * the whole line checks every field). */
static cg_status check_utf8(data_reader *r, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return BAD(r, "NUL byte at byte %zu", i + 1);
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 0)
            return BAD(r, "invalid UTF-8 at byte %zu", i + 1);
        i += (size_t)k;
    }
    return CG_OK;
}

/* The next non-blank line, without its line ending (LF or CRLF), checked by check_utf8; *line is
 * NULL at the end of the file. The line is the reader's buffer: valid until the next call, and the
 * caller may rewrite it in place. */
cg_status data_reader_next(data_reader *r, char **line, size_t *len)
{
    for (;;) {
        errno = 0;
        ssize_t got = getline(&r->buf, &r->cap, r->f);
        if (got < 0) {
            *line = NULL;
            if (errno == ENOMEM)
                return data_fail(CG_ERR_NOMEM, r->err, r->errlen, r->path, r->line + 1, "out of memory");
            if (ferror(r->f))
                return data_fail(CG_ERR_IO, r->err, r->errlen, r->path, r->line + 1, "read error: %s", strerror(errno));
            return CG_OK;
        }
        r->line++;
        size_t n = (size_t)got;
        if (n > 0 && r->buf[n - 1] == '\n')
            n--;
        if (n > 0 && r->buf[n - 1] == '\r')
            n--;
        r->buf[n] = '\0';
        if (is_blank(r->buf, n))
            continue;
        cg_status st = check_utf8(r, r->buf, n);
        if (st != CG_OK)
            return st;
        *line = r->buf;
        *len = n;
        return CG_OK;
    }
}

/* ---- fields ---- */

/* Split s[0..n) at tabs into at most max fields; returns the number of fields, or max + 1 if there
 * are more. */
int data_split_tabs(char *s, size_t n, char **field, size_t *flen, int max)
{
    int k = 0;
    char *end = s + n;
    for (;;) {
        char *tab = memchr(s, '\t', (size_t)(end - s));
        if (k == max)
            return max + 1;
        field[k] = s;
        flen[k] = (size_t)((tab ? tab : end) - s);
        k++;
        if (!tab)
            return k;
        s = tab + 1;
    }
}

int data_parse_label(const char *s, size_t n, cg_label *out)
{
    for (int c = 0; c < CG_NUM_CLASSES; c++) {
        const char *name = cg_label_name((cg_label)c);
        if (strlen(name) == n && memcmp(name, s, n) == 0) {
            *out = (cg_label)c;
            return 1;
        }
    }
    return 0;
}

cg_status data_bad_label(data_reader *r, const char *s, size_t n)
{
    return BAD(r, "unknown label '%.*s' (expected on-topic, off-topic or abusive)", (int)(n < QUOTE_MAX ? n : QUOTE_MAX),
               s);
}

/* Decode the escapes \\ \n \t \r of s[0..*n) in place; anything else after a backslash is an
 * error. */
cg_status data_unescape(data_reader *r, const char *what, char *s, size_t *n)
{
    size_t j = 0;
    for (size_t i = 0; i < *n; i++) {
        char c = s[i];
        if (c == '\\') {
            if (++i == *n)
                return BAD(r, "%s ends with a lone backslash", what);
            c = s[i];
            switch (c) {
            case '\\': break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            default:
                if (c > ' ' && c < 0x7f)
                    return BAD(r, "bad escape '\\%c' in %s (expected \\\\, \\n, \\t or \\r)", c, what);
                return BAD(r, "bad escape in %s: backslash before byte 0x%02x (expected \\\\, \\n, \\t or \\r)", what,
                           (unsigned)(unsigned char)c);
            }
        }
        s[j++] = c;
    }
    *n = j;
    return CG_OK;
}
