/* lines.c - reading input line by line with bounded memory: a line longer than the limit is
 * dropped as it streams past, never buffered whole. */
#include "lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64u * 1024u)

int cli_lines_init(cli_lines *r, int fd, size_t max)
{
    *r = (cli_lines){.fd = fd, .max = max, .cap = CHUNK};
    r->buf = malloc(r->cap);
    return r->buf ? 0 : -1;
}

void cli_lines_free(cli_lines *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Read once into buf[end..cap): 1 if bytes came, 0 at end of input, -1 on error. */
static int fill(cli_lines *r)
{
    ssize_t got;
    do
        got = read(r->fd, r->buf + r->end, r->cap - r->end);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return -1;
    if (got == 0) {
        r->eof = 1;
        return 0;
    }
    r->end += (size_t)got;
    return 1;
}

/* Drop the rest of an overlong line, up to and including its '\n'. */
static cli_line_status skip_rest(cli_lines *r)
{
    for (;;) {
        r->start = r->end = 0;
        int got = fill(r);
        if (got <= 0)
            return got < 0 ? CLI_LINE_ERROR : CLI_LINE_TOO_LONG;
        char *nl = memchr(r->buf, '\n', r->end);
        if (nl) {
            r->start = (size_t)(nl - r->buf) + 1;
            return CLI_LINE_TOO_LONG;
        }
    }
}

/* Make room after the buffered bytes: move them to the front, grow the buffer up to max + 1 bytes
 * (enough to see that a line is too long). */
static int make_room(cli_lines *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end < r->cap)
        return 0;
    size_t cap = r->cap * 2 < r->max + 1 ? r->cap * 2 : r->max + 1;
    char *buf = realloc(r->buf, cap);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    r->buf = buf;
    r->cap = cap;
    return 0;
}

cli_line_status cli_lines_next(cli_lines *r, const char **line, size_t *len)
{
    size_t scanned = 0; /* bytes after start already known to hold no '\n' */
    for (;;) {
        char *from = r->buf + r->start;
        char *nl = memchr(from + scanned, '\n', r->end - r->start - scanned);
        if (nl) {
            *line = from;
            *len = (size_t)(nl - from);
            r->start += *len + 1;
            return *len > r->max ? CLI_LINE_TOO_LONG : CLI_LINE;
        }
        if (r->end - r->start > r->max)
            return skip_rest(r);
        if (r->eof) {
            if (r->end == r->start)
                return CLI_LINE_END;
            *line = from;
            *len = r->end - r->start;
            r->start = r->end;
            return CLI_LINE;
        }
        scanned = r->end - r->start;
        if (make_room(r) < 0 || fill(r) < 0)
            return CLI_LINE_ERROR;
    }
}
