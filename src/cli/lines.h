/* lines.h - reading input line by line with bounded memory, whatever the input holds. */
#ifndef CG_CLI_LINES_H
#define CG_CLI_LINES_H

#include <stddef.h>

typedef enum cli_line_status {
    CLI_LINE = 0,      /* a line, without its '\n' (it may hold NUL bytes and end in '\r') */
    CLI_LINE_TOO_LONG, /* a line longer than the limit: its bytes were read and dropped */
    CLI_LINE_END,      /* no more input */
    CLI_LINE_ERROR,    /* read error; errno says why */
} cli_line_status;

typedef struct cli_lines {
    int fd;
    size_t max;    /* longest line returned whole */
    char *buf;     /* input bytes buf[start..end) not yet returned */
    size_t cap, start, end;
    int eof;
} cli_lines;

/* Read lines from fd, returning lines of up to `max` bytes whole. The buffer grows to at most about
 * max + 64 KiB. Returns 0, or -1 if out of memory. */
int cli_lines_init(cli_lines *r, int fd, size_t max);

/* The next line: on CLI_LINE, *line and *len describe it until the next call. A last line without
 * a '\n' still counts; an input ending in '\n' has no empty line after it. */
cli_line_status cli_lines_next(cli_lines *r, const char **line, size_t *len);

void cli_lines_free(cli_lines *r);

#endif
