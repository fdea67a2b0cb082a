/* serve.h - what the two halves of `commentguard serve` share: the server's state, set up and run
 * by serve.c, and the libmicrohttpd callbacks that answer requests (serve_http.c). */
#ifndef CG_CLI_SERVE_H
#define CG_CLI_SERVE_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>

#include "commentguard.h"

typedef struct serve_server {
    const cg_model *model;
    size_t max_body;          /* longest request body accepted, in bytes */
    pthread_key_t per_thread; /* each pool thread's workspace and article cache (serve_http.c) */
    pthread_mutex_t lock;     /* guards in_flight and stopping */
    pthread_cond_t idle;      /* signalled when in_flight drops to 0 */
    unsigned in_flight;       /* requests begun and not yet completed */
    int stopping;             /* new requests get 503 and their connection closed */
} serve_server;

/* 0, or -1 if the thread key, lock or condition could not be created. */
int serve_server_init(serve_server *s, const cg_model *model, size_t max_body);

/* Call once every thread that handled requests has ended (after MHD_stop_daemon). */
void serve_server_destroy(serve_server *s);

/* From now on, answer new requests (on connections already open) with 503 and close them. */
void serve_stop_taking_requests(serve_server *s);

/* Wait until no request is in flight, or `seconds` have passed. */
void serve_wait_idle(serve_server *s, unsigned seconds);

/* The access handler (cls: the serve_server) and the request-completed callback. */
enum MHD_Result serve_handle(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size,
                             void **req_cls);
void serve_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                     enum MHD_RequestTerminationCode toe);

#endif
