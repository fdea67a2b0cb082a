/* data_reader.h - the lines and fields of the data files dataset.c reads (data_reader.c). */
#ifndef CG_DATA_READER_H
#define CG_DATA_READER_H

#include <stddef.h>
#include <stdio.h>

#include "commentguard.h"

#define QUOTE_MAX 60 /* longest piece of a bad field quoted in an error message */

/* A data file read line by line; err[0..errlen) receives the message of a failure. */
typedef struct data_reader {
    FILE *f;
    const char *path;
    long line; /* of the line last read */
    char *buf;
    size_t cap;
    char *err;
    size_t errlen;
} data_reader;

/* Write "path:line: message" (just "path: message" for a line of 0) into err; returns st. */
cg_status data_fail(cg_status st, char *err, size_t errlen, const char *path, long line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#define BAD(r, ...) data_fail(CG_ERR_FORMAT, (r)->err, (r)->errlen, (r)->path, (r)->line, __VA_ARGS__)
#define NOMEM(r) data_fail(CG_ERR_NOMEM, (r)->err, (r)->errlen, (r)->path, (r)->line, "out of memory")

void data_reader_close(data_reader *r);

/* The next non-blank line, without its line ending (LF or CRLF), checked for NUL bytes and invalid
 * UTF-8; *line is NULL at the end of the file. The line is the reader's buffer: valid until the next
 * call, and the caller may rewrite it in place. */
cg_status data_reader_next(data_reader *r, char **line, size_t *len);

/* Split s[0..n) at tabs into at most max fields; returns the number of fields, or max + 1 if there
 * are more. */
int data_split_tabs(char *s, size_t n, char **field, size_t *flen, int max);

/* 1 with *out the label named s[0..n), or 0 if none is. */
int data_parse_label(const char *s, size_t n, cg_label *out);

/* Report s[0..n) as an unknown label; returns CG_ERR_FORMAT. */
cg_status data_bad_label(data_reader *r, const char *s, size_t n);

/* Decode the escapes \\ \n \t \r of s[0..*n) in place; anything else after a backslash is an
 * error. */
cg_status data_unescape(data_reader *r, const char *what, char *s, size_t *n);

#endif
