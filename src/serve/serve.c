/* serve.c - the service of `commentguard serve`: classify comments over HTTP.
 *
 * Opens the model, then runs libmicrohttpd with its own polling threads and a pool of worker
 * threads that answer requests (serve_http.c). The main thread only waits for SIGTERM or SIGINT
 * (blocked in every thread, taken with sigwait); then it stops accepting connections, answers new
 * requests on open connections with 503, waits for the requests in flight (at most the connection
 * timeout), stops the daemon and frees everything. SIGHUP reloads --articles and, with
 * --learn, retrains (learn.c). */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "akismet.h"
#include "learn.h"
#include "serve.h"
#include "serve_http.h"
#include "server.h"

/* Resolve "host:port" or "[ipv6]:port" (the caller frees *out with freeaddrinfo): 0, or -1 after
 * reporting. */
static int resolve(const char *listen, struct addrinfo **out)
{
    const char *colon = strrchr(listen, ':'), *start = listen;
    char host[256];
    size_t host_len = colon ? (size_t)(colon - listen) : 0;
    if (host_len >= 2 && listen[0] == '[' && listen[host_len - 1] == ']') {
        start++;
        host_len -= 2;
    }
    if (!colon || host_len == 0 || host_len >= sizeof host || !colon[1]) {
        fprintf(stderr, "commentguard: serve: --listen: expected HOST:PORT, not '%s'\n"
                        "Try 'commentguard serve --help'.\n", listen);
        return -1;
    }
    memcpy(host, start, host_len);
    host[host_len] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    int err = getaddrinfo(host, colon + 1, &hints, out);
    if (err != 0) {
        fprintf(stderr, "commentguard: serve: --listen %s: %s\n", listen, gai_strerror(err));
        return -1;
    }
    return 0;
}

/* The model in dir (NULL: the default one): 0, or -1 after reporting why not. */
static int open_model(const char *dir, cg_model **out)
{
    char err[512];
    cg_status st = cg_model_open(dir, out, err, sizeof err);
    if (st == CG_OK)
        return 0;
    fprintf(stderr, "commentguard: serve: cannot load the model%s%s: %s\n", dir ? " in " : "", dir ? dir : "",
            *err ? err : cg_strerror(st));
    return -1;
}

/* Serve until SIGTERM or SIGINT (blocked in the calling thread, as in every thread it starts). */
static serve_outcome run(const serve_config *o, const struct addrinfo *addr, serve_server *server, const sigset_t *stop)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    uint16_t port; /* MHD binds to addr, and names this port in its messages */
    if (addr->ai_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
        port = ntohs(((const struct sockaddr_in6 *)addr->ai_addr)->sin6_port);
    } else {
        port = ntohs(((const struct sockaddr_in *)addr->ai_addr)->sin_port);
    }
    struct MHD_Daemon *d = MHD_start_daemon(flags, port, NULL, NULL, serve_handle, server,
                                            MHD_OPTION_SOCK_ADDR, addr->ai_addr,
                                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
                                            MHD_OPTION_CONNECTION_TIMEOUT, o->timeout,
                                            MHD_OPTION_NOTIFY_COMPLETED, serve_completed, server,
                                            MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "commentguard: serve: cannot listen on %s\n", o->listen);
        return SERVE_CANNOT_START;
    }
    const union MHD_DaemonInfo *bound = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    const served_model *m = model_slot_acquire(&server->models);
    fprintf(stderr, "commentguard: serve: listening on %.*s:%u (model %s, %d threads)\n",
            (int)(strrchr(o->listen, ':') - o->listen), o->listen, bound ? bound->port : 0u,
            cg_model_path(m->model), o->threads);
    model_slot_release(&server->models, m);
    int sig;
    while (sigwait(stop, &sig) == 0 && sig == SIGHUP) {
        serve_reload(server);
        if (server->learner)
            learn_retrain_now(server->learner);
    }
    fprintf(stderr, "commentguard: serve: %s: finishing the requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_socket listener = MHD_quiesce_daemon(d);
    serve_stop_taking_requests(server);
    serve_wait_idle(server, o->timeout);
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    fprintf(stderr, "commentguard: serve: stopped\n");
    return SERVE_STOPPED;
}

/* --learn: take its directory and, when it holds a generation adapted from *model (the base),
 * replace *model with that generation: 0, or -1 after reporting. */
static int open_learner(const serve_config *o, cg_model **model, learner **out, size_t *site_rows)
{
    learn_config c = {.dir = o->learn_dir, .base_dir = cg_model_path(*model), .feedback_path = o->feedback_path,
                      .history_path = o->history_path, .retrain_every = o->retrain_every,
                      .program = "/proc/self/exe"};
    const char *dir;
    if (learn_open(&c, out, &dir, site_rows) != 0)
        return -1;
    cg_model *newest;
    if (strcmp(dir, c.base_dir) == 0) {
        fprintf(stderr, "commentguard: serve: no generation of %s in %s yet: serving the base\n", c.base_dir,
                o->learn_dir);
    } else if (open_model(dir, &newest) != 0) {
        fprintf(stderr, "commentguard: serve: serving the base instead\n");
        *site_rows = 0;
    } else {
        cg_model_free(*model);
        *model = newest;
    }
    return 0;
}

serve_outcome serve_run(const serve_config *o)
{
    serve_outcome status;
    struct addrinfo *addr;
    if (resolve(o->listen, &addr) != 0)
        return SERVE_BAD_SETUP;
    cg_model *model = NULL;
    learner *learner = NULL;
    size_t site_rows = 0;
    serve_server server;
    if (!o->keys_path && !serve_is_loopback(addr)) {
        fprintf(stderr, "commentguard: serve: --listen %s is not a loopback address: give --keys FILE\n", o->listen);
        status = SERVE_BAD_SETUP;
    } else if (open_model(o->model_dir, &model) != 0) {
        status = SERVE_BAD_SETUP;
    } else if (o->learn_dir && open_learner(o, &model, &learner, &site_rows) != 0) {
        status = SERVE_BAD_SETUP;
    } else if (serve_server_init(&server, model, site_rows, o->max_body) != 0) {
        fprintf(stderr, "commentguard: serve: out of resources\n");
        status = SERVE_CANNOT_START;
    } else if (serve_open_files(&server, o->keys_path, o->articles_path, o->feedback_path, o->state_path) != 0) {
        status = SERVE_BAD_SETUP;
        serve_server_destroy(&server); /* which frees the model */
        model = NULL;
    } else {
        model = NULL; /* the server's from here on */
        /* The tables fit ROUTES_MAX and name distinct paths, so adding them cannot fail. */
        routes_add(&server.routes, serve_json_routes, serve_json_route_count);
        routes_add(&server.routes, akismet_routes, akismet_route_count);
        routes_add(&server.routes, akismet_account_routes, akismet_account_route_count);
        server.akismet_domain = o->akismet_domain;
        server.spam_labels = o->spam_labels;
        server.discard = o->discard;
        memcpy(server.threshold, o->threshold, sizeof server.threshold);
        /* Blocked before any thread starts, so that only sigwait takes them; they stay blocked
         * until the process ends, so that a second signal cannot cut the shutdown short. */
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &stop, NULL);
        if (learner && learn_start(learner, &server) != 0)
            status = SERVE_CANNOT_START;
        else
            status = run(o, addr, &server, &stop);
        learn_close(learner); /* stops a retraining under way before the model goes */
        learner = NULL;
        server.near_copies = NULL;
        server.learner = NULL;
        serve_close_files(&server);
        serve_server_destroy(&server);
    }
    learn_close(learner);
    cg_model_free(model);
    freeaddrinfo(addr);
    return status;
}
