/* score_batch.h - a batch of `commentguard score` (score_batch.c): its input lines, read from
 * either input format, and its output lines, classified by one worker. score.c moves batches through
 * its reader, workers and writer. */
#ifndef CG_CLI_SCORE_BATCH_H
#define CG_CLI_SCORE_BATCH_H

#include <pthread.h>
#include <stddef.h>

#include "commentguard.h"
#include "lines.h"
#include "result_json.h"

#define BATCH_LINES 256
#define BATCH_BYTES (256u * 1024u)
/* JSON escapes can make a comment up to several times longer than its text. */
#define JSONL_MAX_LINE (4u * CG_MAX_COMMENT_BYTES + 64u * 1024u)

/* One input line of a batch: data[off..off+len), or a line dropped for its length. */
typedef struct batch_line {
    size_t off, len;
    int too_long;
} batch_line;

/* A slot of the ring: free, holding lines read (being classified once claimed), or finished. */
enum { SLOT_EMPTY, SLOT_FILLED, SLOT_DONE };

typedef struct batch {
    batch_line lines[BATCH_LINES];
    size_t n;
    char *data; /* the lines' bytes */
    size_t data_len, data_cap;
    char *out; /* the output lines */
    size_t out_len, out_cap;
    size_t failed;     /* lines that got an error */
    int out_of_memory; /* the output could not be built */
    int state;         /* SLOT_*, when batches go through the ring */
} batch;

/* What every worker shares, read-only while the run lasts. */
typedef struct score_run {
    const cg_model *model;
    const cg_article *article; /* --article, or NULL */
    int jsonl;
    int explain;
    const double *threshold; /* of the unsure band */
    size_t max_line;
} score_run;

/* A worker's own state: its workspace and the article it prepared last. */
typedef struct worker {
    const score_run *run;
    cg_workspace *ws;
    cli_article_cache articles;
    pthread_t thread;
} worker;

/* Read up to a batch of lines. CLI_LINE: the batch is full and more may follow; CLI_LINE_END or
 * CLI_LINE_ERROR: the input is done with (the batch holds the lines read before). */
cli_line_status score_fill_batch(cli_lines *in, batch *b);

/* Classify the lines of b, in either format, into its output lines. */
void score_batch(worker *w, batch *b);

#endif
