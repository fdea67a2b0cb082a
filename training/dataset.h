/* dataset.h - labelled comments read from TSV or JSON Lines files, for training and evaluation. */
#ifndef CG_DATASET_H
#define CG_DATASET_H

#include <stddef.h>

#include "commentguard.h"

/* Limits: a file with more rows, or a row with a longer text or article, is refused (with
 * file:line), never truncated. */
#define CG_DATASET_MAX_ROWS 5000000
#define CG_DATASET_MAX_FIELD_BYTES CG_MAX_COMMENT_BYTES

typedef struct cg_example {
    cg_label label;      /* CG_ON_TOPIC, CG_OFF_TOPIC or CG_ABUSIVE */
    const char *text;    /* UTF-8 comment (escapes decoded), NUL-terminated; owned by the dataset */
    size_t text_len;
    const char *article; /* the post it answers, or NULL; owned by the dataset (rows of one thread
                            share one copy) */
    size_t article_len;
    const char *source;  /* the corpus it came from ("" if not given); owned by the dataset */
    const char *author;       /* JSONL "author", "author_url", "author_email": NUL-terminated, or */
    const char *author_url;   /* NULL when absent or null; owned by the dataset (a stream's as its */
    const char *author_email; /* text) */
    long line;           /* 1-based line in the file it was read from */
} cg_example;

typedef struct cg_dataset {
    cg_example *rows;
    size_t n;
    size_t count[CG_NUM_CLASSES]; /* rows per label */
    char *path;                   /* the file read */
    void *storage;                /* private: the memory behind the strings */
} cg_dataset;

/*
 * Read labelled comments from `path`. The format is chosen by the file name: ".jsonl" (or
 * ".json") for JSON Lines, anything else for TSV.
 *
 * TSV: no header, one row per line, `label TAB text [TAB context_id [TAB source]]`; in text,
 * `\\`, `\n`, `\t` and `\r` stand for backslash, newline, tab and carriage return. A non-empty
 * context_id is looked up in `contexts.tsv` in the same directory (`context_id TAB text`, same
 * escaping), which must then exist.
 * JSONL: one object per line with "label" and "text" (strings), optional "article" (string or
 * null), "source", "author", "author_url" and "author_email" (strings or null); other keys are
 * ignored. Blank lines are skipped in both formats.
 *
 * Labels are "on-topic", "off-topic", "abusive". Any malformed row (bad escape, missing field,
 * unknown label, invalid UTF-8, unknown context id, invalid JSON, text too long, ...) fails the
 * whole read with CG_ERR_FORMAT and a message "path:line: what is wrong" in err. A file with no
 * rows at all is an error too. On failure *out is left empty (nothing to free).
 */
cg_status cg_dataset_load(const char *path, cg_dataset *out, char *err, size_t errlen);

void cg_dataset_free(cg_dataset *ds);

/*
 * The same rows read one at a time, for files too large to hold (training reads a file once this
 * way). cg_dataset_stream_next fills *row with the next row; row->text is NULL after the last one.
 * The row's text is valid until the next call; its article and source (interned, as in a dataset)
 * until the stream is closed. Errors are those of cg_dataset_load, with their "path:line: ..."
 * message in the err buffer given to cg_dataset_stream_open (which must outlive the stream); a
 * file without rows is an error at its end.
 */
typedef struct cg_dataset_stream cg_dataset_stream;

cg_status cg_dataset_stream_open(const char *path, cg_dataset_stream **out, char *err, size_t errlen);
cg_status cg_dataset_stream_next(cg_dataset_stream *s, cg_example *row);

/* The share of the file read so far (0 when unknown), for progress estimates. */
double cg_dataset_stream_fraction(const cg_dataset_stream *s);
const char *cg_dataset_stream_path(const cg_dataset_stream *s);

void cg_dataset_stream_close(cg_dataset_stream *s);

#endif
