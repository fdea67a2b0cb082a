/* server.h - the state of `commentguard serve` that its parts share (serve_state.c), and the files
 * it reads and writes besides the model (serve_files.c). */
#ifndef CG_SERVE_SERVER_H
#define CG_SERVE_SERVER_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>

#include "akismet_stats.h"
#include "articles.h"
#include "commentguard.h"
#include "feedback.h"
#include "keys.h"
#include "model_slot.h"
#include "near_copy_file.h"
#include "result_json.h"
#include "routes.h"

typedef struct serve_server {
    model_slot models;        /* the served model, swapped in by --learn's retraining */
    size_t max_body;          /* longest request body accepted, in bytes */
    /* --keys, or NULL: any key or none (loopback listeners only). SIGHUP replaces the table whole
     * (an atomic pointer: requests read it without a lock); the tables it replaced are kept, since
     * a request may still be reading one, and freed with the server (a few bytes a key). */
    const keys *_Atomic keys;
    const char *keys_path;
    keys **keys_retired;
    size_t keys_retired_n;
    articles *articles;       /* --articles, or NULL */
    feedback *feedback;       /* --feedback, or NULL */
    akismet_stats *stats;     /* get-stats' counts: --state, or in memory */
    const char *akismet_domain; /* --akismet-domain: Host "KEY.DOMAIN" carries KEY; NULL: none */
    near_copies *near_copies; /* --learn's index of corrections, or NULL */
    struct learner *learner;  /* --learn, or NULL */
    routes routes;            /* the paths answered: the APIs' tables, as serve.c adds them */
    unsigned spam_labels;     /* the labels comment-check calls spam: bit 1 << label */
    double discard;           /* comment-check's "discard" tip from this probability of spam */
    double threshold[CG_NUM_CLASSES]; /* --thresholds: the unsure band of every thread's workspace */
    pthread_key_t per_thread; /* each pool thread's workspace and article cache */
    pthread_mutex_t lock;     /* guards in_flight and stopping */
    pthread_cond_t idle;      /* signalled when in_flight drops to 0 */
    unsigned in_flight;       /* requests begun and not yet completed */
    int stopping;             /* new requests get 503 and their connection closed */
} serve_server;

/* What each pool thread keeps between requests. */
typedef struct serve_thread {
    cg_workspace *ws;
    cli_article_cache articles;    /* the last article prepared, for generation articles_for */
    unsigned articles_for;
    const served_model *served;    /* while answering a request: the generation it answers with */
    const cg_model *model;         /* served->model */
} serve_thread;

/* The calling pool thread's state, created on its first request; NULL if out of memory. */
serve_thread *serve_this_thread(serve_server *s);

/* Hold the current model generation in t->served and t->model for one request (a prepared
 * article of an earlier generation is dropped), and let it go once the request is answered. */
void serve_thread_hold_model(serve_server *s, serve_thread *t);
void serve_thread_release_model(serve_server *s, serve_thread *t);

/* Take over `model` as generation 0 (with the site rows it was adapted to): 0, or -1 if the thread
 * key, locks or condition could not be created (the model is then still the caller's). */
int serve_server_init(serve_server *s, cg_model *model, size_t site_rows, size_t max_body);

/* Call once every thread that handled requests has ended (after MHD_stop_daemon); frees the model. */
void serve_server_destroy(serve_server *s);

/* From now on, answer new requests (on connections already open) with 503 and close them. */
void serve_stop_taking_requests(serve_server *s);

/* Wait until no request is in flight, or `seconds` have passed. */
void serve_wait_idle(serve_server *s, unsigned seconds);

/* The files of --keys, --articles, --feedback and --state (each path may be NULL; the counts of
 * get-stats are then kept in memory), opened into s (its keys, articles, feedback and stats): 0,
 * or -1 after reporting why one cannot be used (serve_files.c). */
int serve_open_files(serve_server *s, const char *keys_path, const char *articles_path, const char *feedback_path,
                     const char *state_path);
void serve_close_files(serve_server *s);

/* SIGHUP: read --keys and --articles again, reporting the outcome on stderr (a file that cannot
 * be read leaves the version loaded before in use). */
void serve_reload(serve_server *s);

/* Whether the address is a loopback one (127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104). */
struct addrinfo;
int serve_is_loopback(const struct addrinfo *addr);

#endif
