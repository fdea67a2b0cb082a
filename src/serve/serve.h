/* serve.h - the service of `commentguard serve` (serve.c): set up from a configuration, served
 * until SIGTERM or SIGINT. src/cli/serve.c fills the configuration from the command line. */
#ifndef CG_SERVE_SERVE_H
#define CG_SERVE_SERVE_H

#include <stddef.h>

#include "commentguard.h"

typedef struct serve_config {
    const char *listen;    /* "HOST:PORT" or "[IPV6]:PORT"; port 0 takes any free port */
    const char *model_dir; /* NULL: the default model */
    int threads;           /* worker threads, at least 1 */
    size_t max_body;       /* largest request body; larger ones get 413 */
    unsigned timeout;      /* seconds a connection may stay idle */
    const char *keys_path, *articles_path, *feedback_path; /* each may be NULL */
    const char *state_path;     /* get-stats' counts, SQLite; NULL: kept in memory */
    const char *akismet_domain; /* Akismet calls to Host "KEY.DOMAIN" carry KEY; NULL: none */
    unsigned spam_labels;  /* the labels comment-check calls spam: bit 1 << label */
    double discard;        /* comment-check's "discard" tip from this probability of spam */
    double threshold[CG_NUM_CLASSES]; /* the unsure band; all 0: none */
    const char *learn_dir;    /* --learn: keep learning from the corrections (needs feedback_path), or NULL */
    const char *history_path; /* --history: the site's labelled comments a retraining adds, or NULL */
    unsigned retrain_every;   /* --retrain-every: corrections between retrainings */
} serve_config;

/* How serve_run ended; the values are the exit statuses of `commentguard serve`. */
typedef enum serve_outcome {
    SERVE_STOPPED = 0,      /* a clean shutdown after SIGTERM or SIGINT */
    SERVE_CANNOT_START = 1, /* the server could not start (out of resources, cannot listen) */
    SERVE_BAD_SETUP = 2,    /* the address, model or a file of the configuration cannot be used */
} serve_outcome;

/* Serve until SIGTERM or SIGINT (SIGHUP reloads the articles and, with --learn, retrains), reporting on stderr as
 * "commentguard: serve: ...". Blocks those signals in the calling thread for good. */
serve_outcome serve_run(const serve_config *c);

#endif
