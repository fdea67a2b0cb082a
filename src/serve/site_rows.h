/* site_rows.h - the rows a retraining of `serve --learn` adapts the model to (site_rows.c). */
#ifndef CG_SERVE_SITE_ROWS_H
#define CG_SERVE_SITE_ROWS_H

#include <stddef.h>

/*
 * Write to out_path (through a temporary file renamed into place) the site's labelled rows as
 * JSON Lines that `train` reads: the history (NULL: none; JSON Lines if its name ends in .jsonl or
 * .json, else TSV, as `train` reads them) then the feedback file (JSON Lines, as serve writes it),
 * one row per comment (its text and author fields): the latest correction of a comment wins over
 * older ones and over the history, so duplicates are merged before the trainer's cross-validation.
 * JSON rows keep all their members (authors, sources). A last feedback line without its newline (being written) is left for the
 * next time. *rows receives the rows written, *feedback_lines the feedback lines read.
 * 0, or -1 with "path:line: reason" in err (nothing written then).
 */
int site_rows_write(const char *history, const char *feedback, const char *out_path, size_t *rows,
                    size_t *feedback_lines, char *err, size_t errlen);

/* The number of whole lines in the feedback file (0 if it does not exist): -1 if it cannot be read. */
long site_rows_count_lines(const char *path);

#endif
