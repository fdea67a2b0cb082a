/* serve.c - `commentguard serve`: classify comments over HTTP.
 *
 * Opens the model, then runs libmicrohttpd with its own polling threads and a pool of worker
 * threads that answer requests (serve_http.c). The main thread only waits for SIGTERM or SIGINT
 * (blocked in every thread, taken with sigwait); then it stops accepting connections, answers new
 * requests on open connections with 503, waits for the requests in flight (at most the connection
 * timeout), stops the daemon and frees everything. SIGHUP reloads --articles. */
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

#include "cli.h"
#include "serve.h"

static const char usage[] =
    "Usage: commentguard serve [--listen HOST:PORT] [--model DIR] [--threads N] [--max-body BYTES]\n"
    "                          [--timeout S] [--keys FILE] [--articles FILE] [--feedback FILE]\n"
    "                          [--spam LABELS] [--discard P] [--thresholds SPEC|@FILE]\n"
    "Classify comments over HTTP.\n"
    "\n"
    "  POST /v1/classify   {\"text\": ..., \"article\": ... or null, \"id\": ...}, or an array of them;\n"
    "                      answers what `score --format jsonl` writes for each (an object, or an\n"
    "                      array in order); malformed JSON gets 400 and {\"error\": ...}\n"
    "  POST /v1/feedback   {\"text\": ..., \"article\": ..., \"label\": ...}: kept in --feedback\n"
    "  POST /1.1/comment-check, /1.1/submit-spam, /1.1/submit-ham, /1.1/verify-key\n"
    "                      the Akismet API, for the Akismet clients blogs already use\n"
    "  GET /healthz        {\"status\": \"ok\", \"model\": DIR, \"version\": ...}\n"
    "\n"
    "  --listen HOST:PORT  the address to listen on (default 127.0.0.1:8080; [::1]:8080 for IPv6;\n"
    "                      port 0 takes any free port, reported on standard error)\n"
    "  --model DIR         the model bundle (default: $COMMENTGUARD_MODEL, then the installed model)\n"
    "  --threads N         worker threads (default: the number of cores)\n"
    "  --max-body BYTES    largest request body; larger ones get 413 (default 4194304)\n"
    "  --timeout S         close a connection idle for S seconds (default 30)\n"
    "  --keys FILE         the API keys accepted, one per line (optionally followed by its blog URL);\n"
    "                      needed to listen on anything but a loopback address\n"
    "  --articles FILE     posts by permalink, JSON Lines {\"permalink\", \"title\", \"text\"}, for\n"
    "                      comment-check (reloaded on SIGHUP)\n"
    "  --feedback FILE     append the corrections of submit-spam, submit-ham and /v1/feedback here,\n"
    "                      as JSON Lines that `commentguard train` reads\n"
    "  --spam LABELS       the labels comment-check calls spam: off-topic,abusive (default),\n"
    "                      off-topic or abusive\n"
    "  --discard P         tell Akismet clients to discard spam whose probability is at least P\n"
    "                      (default 0.99)\n"
    "  --thresholds SPEC   the unsure band, as `commentguard thresholds` prints it, or @FILE\n"
    "                      (thresholds --out): a comment labelled c with p(c) below c's threshold\n"
    "                      is labelled unsure\n"
    "\n"
    "SIGTERM or SIGINT stops accepting connections, lets the requests in flight finish and exits.\n"
    "Exit status: 0 after a clean shutdown, 1 if the server could not start, 2 for usage errors or a\n"
    "model that cannot be read.\n";

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_MAX_BODY (4L << 20)
#define DEFAULT_TIMEOUT 30
#define DEFAULT_DISCARD 0.99
#define ALL_SPAM_LABELS ((1u << CG_OFF_TOPIC) | (1u << CG_ABUSIVE))

typedef struct serve_options {
    const char *listen;
    const char *model_dir;
    int threads;
    size_t max_body;
    unsigned timeout;
    const char *keys_path, *articles_path, *feedback_path;
    unsigned spam_labels;
    double discard;
    double threshold[CG_NUM_CLASSES]; /* --thresholds; all 0 (no unsure band) by default */
} serve_options;

/* --spam: a comma-separated list of off-topic and abusive, as bits 1 << label; 0 if invalid. */
static unsigned parse_spam_labels(const char *list)
{
    unsigned bits = 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n == 9 && strncmp(p, "off-topic", 9) == 0)
            bits |= 1u << CG_OFF_TOPIC;
        else if (n == 7 && strncmp(p, "abusive", 7) == 0)
            bits |= 1u << CG_ABUSIVE;
        else
            return 0;
        p += n + (p[n] == ',');
    }
    return bits;
}

static int parse_options(int argc, char **argv, serve_options *o)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    *o = (serve_options){.listen = DEFAULT_LISTEN, .max_body = DEFAULT_MAX_BODY, .timeout = DEFAULT_TIMEOUT,
                         .spam_labels = ALL_SPAM_LABELS, .discard = DEFAULT_DISCARD};
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        if (cli_is(&a, "--listen")) {
            if (!(o->listen = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--model")) {
            if (!(o->model_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--threads")) {
            if (cli_long_value(&a, 1, CLI_MAX_THREADS, &n) != 0)
                return CLI_USAGE;
            o->threads = (int)n;
        } else if (cli_is(&a, "--max-body")) {
            if (cli_long_value(&a, 1, 1L << 30, &n) != 0)
                return CLI_USAGE;
            o->max_body = (size_t)n;
        } else if (cli_is(&a, "--timeout")) {
            if (cli_long_value(&a, 1, 86400, &n) != 0)
                return CLI_USAGE;
            o->timeout = (unsigned)n;
        } else if (cli_is(&a, "--keys")) {
            if (!(o->keys_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--articles")) {
            if (!(o->articles_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--feedback")) {
            if (!(o->feedback_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--spam")) {
            const char *v = cli_value(&a);
            if (!v)
                return CLI_USAGE;
            if (!(o->spam_labels = parse_spam_labels(v)))
                return cli_usage_error(&a, "--spam: expected off-topic, abusive or both, not '%s'", v);
        } else if (cli_is(&a, "--discard")) {
            if (cli_double_value(&a, 0, 1, &o->discard) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--thresholds")) {
            if (cli_thresholds_value(&a, o->threshold) != 0)
                return CLI_USAGE;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (o->threads == 0)
        o->threads = cli_default_threads();
    return -1;
}

/* Resolve "host:port" or "[ipv6]:port" (the caller frees *out with freeaddrinfo): 0, or CLI_USAGE
 * after reporting. */
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
        return CLI_USAGE;
    }
    memcpy(host, start, host_len);
    host[host_len] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    int err = getaddrinfo(host, colon + 1, &hints, out);
    if (err != 0) {
        fprintf(stderr, "commentguard: serve: --listen %s: %s\n", listen, gai_strerror(err));
        return CLI_USAGE;
    }
    return 0;
}

/* Serve until SIGTERM or SIGINT (blocked in the calling thread, as in every thread it starts). */
static int run(const serve_options *o, const struct addrinfo *addr, serve_server *server, const sigset_t *stop)
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
        return CLI_FAILED;
    }
    const union MHD_DaemonInfo *bound = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, "commentguard: serve: listening on %.*s:%u (model %s, %d threads)\n",
            (int)(strrchr(o->listen, ':') - o->listen), o->listen, bound ? bound->port : 0u,
            cg_model_path(server->model), o->threads);
    int sig;
    while (sigwait(stop, &sig) == 0 && sig == SIGHUP)
        serve_reload(server);
    fprintf(stderr, "commentguard: serve: %s: finishing the requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_socket listener = MHD_quiesce_daemon(d);
    serve_stop_taking_requests(server);
    serve_wait_idle(server, o->timeout);
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    fprintf(stderr, "commentguard: serve: stopped\n");
    return CLI_OK;
}

int cli_serve(int argc, char **argv)
{
    serve_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    struct addrinfo *addr;
    if (resolve(o.listen, &addr) != 0)
        return CLI_USAGE;
    cg_model *model = NULL;
    serve_server server;
    if (!o.keys_path && !serve_is_loopback(addr)) {
        fprintf(stderr, "commentguard: serve: --listen %s is not a loopback address: give --keys FILE\n", o.listen);
        status = CLI_USAGE;
    } else if (cli_open_model(argv[0], o.model_dir, &model) != 0) {
        status = CLI_USAGE;
    } else if (serve_server_init(&server, model, o.max_body) != 0) {
        fprintf(stderr, "commentguard: serve: out of resources\n");
        status = CLI_FAILED;
    } else if (serve_open_files(&server, o.keys_path, o.articles_path, o.feedback_path) != 0) {
        status = CLI_USAGE;
        serve_server_destroy(&server);
    } else {
        server.spam_labels = o.spam_labels;
        server.discard = o.discard;
        memcpy(server.threshold, o.threshold, sizeof server.threshold);
        /* Blocked before any thread starts, so that only sigwait takes them; they stay blocked
         * until the process ends, so that a second signal cannot cut the shutdown short. */
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &stop, NULL);
        status = run(&o, addr, &server, &stop);
        serve_close_files(&server);
        serve_server_destroy(&server);
    }
    cg_model_free(model);
    freeaddrinfo(addr);
    return status;
}
