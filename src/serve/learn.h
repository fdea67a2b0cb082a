/* learn.h - `serve --learn DIR` (learn.c): the server keeps learning from its moderators' clicks.
 * Every correction goes into the near-copy index at once and counts toward the next retraining of
 * the model, which is swapped in while the server serves. */
#ifndef CG_SERVE_LEARN_H
#define CG_SERVE_LEARN_H

#include <jansson.h>
#include <stddef.h>

#include "commentguard.h"
#include "near_copy.h"

struct serve_server;
typedef struct learner learner;

typedef struct learn_config {
    const char *dir;          /* the server's writable state: generations, the near-copy index */
    const char *base_dir;     /* --model: what every generation is adapted from (NULL: the default) */
    const char *feedback_path;
    const char *history_path; /* the site's labelled history, or NULL */
    unsigned retrain_every;   /* corrections between retrainings */
    const char *program;      /* this program, run as `PROGRAM train ...` for each retraining */
} learn_config;

/* Take DIR (created if missing, locked against a second server), open its near-copy index and find
 * the newest generation adapted from the current base: *model_dir receives the bundle to start
 * with (owned by the learner; the base itself when there is none) and *site_rows its rows. 0, or
 * -1 after reporting why on stderr. */
int learn_open(const learn_config *c, learner **out, const char **model_dir, size_t *site_rows);

/* Start retraining for s (the learner's near-copy index becomes s->near_copies): 0, or -1 after
 * reporting. */
int learn_start(learner *l, struct serve_server *s);

/* SIGHUP: retrain now (once the retraining under way, if any, has finished). */
void learn_retrain_now(learner *l);

/* Stop the retraining (a trainer still running is stopped), then free everything. NULL is fine. */
void learn_close(learner *l);

/* A correction the moderators made, kept in the feedback file: into the near-copy index, and
 * counted toward the next retraining. Does nothing without --learn; failures are reported on
 * stderr (the correction stays in the feedback file). */
void learn_correction(struct serve_server *s, const char *text, size_t len, cg_label label);

/* Whether text[0..len) is a near-copy of a corrected comment: 1 with *m filled in, else 0 (always
 * 0 without --learn). */
int learn_near_copy(struct serve_server *s, const char *text, size_t len, near_copy_match *m);

/* How a match is named in the X-commentguard-near-copy header, and in the JSON API's "near_copy". */
void learn_near_copy_header(const near_copy_match *m, char *buf, size_t size);
json_t *learn_near_copy_json(const near_copy_match *m);

#endif
