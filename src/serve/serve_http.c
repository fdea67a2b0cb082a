/* serve_http.c - the requests `commentguard serve` answers, as libmicrohttpd callbacks.
 *
 *   POST /v1/classify   a request object {"text", "article", "id"} or an array of them; the answer
 *                       is what `score --format jsonl` writes for each (result_json.c), an object
 *                       or an array in order. Malformed JSON, or a single object that cannot be
 *                       classified, gets 400; a body over the limit 413.
 *   POST /v1/feedback   {"text", "article", "label", "id"}: a moderator's label, kept in the
 *                       feedback file (feedback.c); answers {"status": "kept"}
 *   POST /1.1/...       the Akismet API, form-encoded (akismet.c)
 *   GET /healthz        {"status": "ok", "model": path, "version": ...}
 *
 * With --keys, the /v1 calls need "Authorization: Bearer KEY" (403 without a valid one).
 * Anything else gets 404 (unknown path) or 405 (wrong method), and a request begun once the server
 * is stopping 503; every error is a JSON {"error": ...}.
 * A request is routed on the handler's first call and answered on its last one (answering earlier
 * would close the connection), except for a Content-Length over the limit. A classify body is
 * gathered in between and classified in the pool thread that owns the connection, with that
 * thread's own workspace and article cache (a thread-specific value, created on the thread's first
 * request and freed when the thread ends); other bodies are discarded. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "akismet.h"
#include "result_json.h"
#include "server.h"

/* One request, from its first handler call to its completion. */
typedef struct request {
    enum { ROUTE_CLASSIFY, ROUTE_FEEDBACK, ROUTE_AKISMET, ROUTE_HEALTH, ROUTE_NOT_FOUND, ROUTE_NOT_ALLOWED } route;
    akismet_call call; /* ROUTE_AKISMET: which one */
    const char *allow; /* ROUTE_NOT_ALLOWED: the methods the path takes */
    char *body;
    size_t len, cap;
    enum { BODY_OK, BODY_TOO_LARGE, BODY_NO_MEMORY } body_state; /* unless OK, the rest is discarded */
    int answered; /* a response is queued */
} request;

static void free_serve_thread(void *p)
{
    serve_thread *t = p;
    if (!t)
        return;
    cli_article_cache_free(&t->articles);
    cg_workspace_free(t->ws);
    free(t);
}

int serve_server_init(serve_server *s, const cg_model *model, size_t max_body)
{
    *s = (serve_server){.model = model, .max_body = max_body};
    if (pthread_key_create(&s->per_thread, free_serve_thread) != 0)
        return -1;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        pthread_key_delete(s->per_thread);
        return -1;
    }
    if (pthread_cond_init(&s->idle, NULL) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_key_delete(s->per_thread);
        return -1;
    }
    return 0;
}

void serve_server_destroy(serve_server *s)
{
    pthread_cond_destroy(&s->idle);
    pthread_mutex_destroy(&s->lock);
    pthread_key_delete(s->per_thread);
}

void serve_stop_taking_requests(serve_server *s)
{
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_mutex_unlock(&s->lock);
}

void serve_wait_idle(serve_server *s, unsigned seconds)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)seconds;
    pthread_mutex_lock(&s->lock);
    int st = 0;
    while (s->in_flight > 0 && st != ETIMEDOUT)
        st = pthread_cond_timedwait(&s->idle, &s->lock, &deadline);
    pthread_mutex_unlock(&s->lock);
}

serve_thread *serve_this_thread(serve_server *s)
{
    serve_thread *t = pthread_getspecific(s->per_thread);
    if (t)
        return t;
    t = calloc(1, sizeof *t);
    if (!t || cg_workspace_new(s->model, &t->ws) != CG_OK ||
        cg_workspace_set_thresholds(t->ws, s->threshold) != CG_OK || pthread_setspecific(s->per_thread, t) != 0) {
        free_serve_thread(t);
        return NULL;
    }
    return t;
}

static const char out_of_memory[] = "{\"error\":\"out of memory\"}";

/* Queue `body` (consumed; NULL: out of memory, answered with 500) as a JSON response, with an
 * Allow header when allow is not NULL. */
static enum MHD_Result respond(struct MHD_Connection *c, request *rq, unsigned status, json_t *body,
                               const char *allow)
{
    char *text = body ? json_dumps(body, CLI_RESULT_JSON_FLAGS) : NULL;
    json_decref(body);
    struct MHD_Response *r;
    if (text) {
        r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    } else {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        r = MHD_create_response_from_buffer(sizeof out_of_memory - 1, (void *)out_of_memory,
                                            MHD_RESPMEM_PERSISTENT);
    }
    if (!r) {
        free(text);
        return MHD_NO;
    }
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES && allow)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    if (ok == MHD_YES)
        ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    rq->answered = 1;
    return ok;
}

static enum MHD_Result respond_error(struct MHD_Connection *c, request *rq, unsigned status, const char *message,
                                     const char *allow)
{
    return respond(c, rq, status, cli_result_json(NULL, NULL, NULL, message), allow);
}

/* The answer object for one element of a request; NULL if out of memory. *failed tells whether
 * it is an error object. An element with "explain": true gets the reasons for its label. */
static json_t *classify_item(serve_server *s, serve_thread *t, json_t *item, int *failed)
{
    char msg[512];
    cg_result r;
    json_t *id = NULL, *reasons = NULL;
    if (!json_is_object(item)) {
        snprintf(msg, sizeof msg, "not a JSON object");
        *failed = 1;
    } else {
        id = json_object_get(item, "id");
        *failed = cli_classify_object(s->model, t->ws, &t->articles, NULL, item, 0, &r, &reasons, msg,
                                      sizeof msg) != 0;
    }
    return cli_result_json(id, &r, reasons, *failed ? msg : NULL);
}

/* The answers to an array of request objects, in order; NULL if out of memory. */
static json_t *classify_array(serve_server *s, serve_thread *t, json_t *items)
{
    json_t *answers = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        int failed;
        if (!answers || json_array_append_new(answers, classify_item(s, t, item, &failed)) != 0) {
            json_decref(answers);
            return NULL;
        }
    }
    return answers;
}

static enum MHD_Result classify(serve_server *s, struct MHD_Connection *c, request *rq)
{
    json_error_t jerr;
    json_t *in = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!in) {
        char msg[300];
        snprintf(msg, sizeof msg, "invalid JSON at byte %d: %s", jerr.position, jerr.text);
        return respond_error(c, rq, MHD_HTTP_BAD_REQUEST, msg, NULL);
    }
    enum MHD_Result ret;
    serve_thread *t = serve_this_thread(s);
    if (!t) {
        ret = respond(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, NULL);
    } else if (json_is_array(in)) {
        ret = respond(c, rq, MHD_HTTP_OK, classify_array(s, t, in), NULL);
    } else { /* an object: without JSON_DECODE_ANY, jansson reads nothing else */
        int failed;
        json_t *answer = classify_item(s, t, in, &failed);
        ret = respond(c, rq, failed ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, answer, NULL);
    }
    json_decref(in);
    return ret;
}

/* The label named `name`, or -1. */
static int label_named(const char *name)
{
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (strcmp(name, cg_label_name((cg_label)k)) == 0)
            return k;
    return -1;
}

/* The feedback record for a /v1/feedback object, or NULL with the reason in msg. */
static json_t *feedback_of(json_t *in, char *msg, size_t size)
{
    json_t *text = json_object_get(in, "text"), *article = json_object_get(in, "article"),
           *label = json_object_get(in, "label"), *id = json_object_get(in, "id");
    int k = json_is_string(label) ? label_named(json_string_value(label)) : -1;
    if (!json_is_object(in) || !json_is_string(text)) {
        snprintf(msg, size, "\"text\" must be a string");
        return NULL;
    }
    if (article && !json_is_string(article) && !json_is_null(article)) {
        snprintf(msg, size, "\"article\" must be a string or null");
        return NULL;
    }
    if (k < 0) {
        snprintf(msg, size, "\"label\" must be \"on-topic\", \"off-topic\" or \"abusive\"");
        return NULL;
    }
    int has_article = json_is_string(article);
    json_t *record = feedback_record((cg_label)k, json_string_value(text), json_string_length(text),
                                     has_article ? json_string_value(article) : NULL,
                                     has_article ? json_string_length(article) : 0, "feedback", msg, size);
    if (record && id && json_object_set(record, "id", id) != 0) {
        json_decref(record);
        snprintf(msg, size, "out of memory");
        return NULL;
    }
    return record;
}

static enum MHD_Result store_feedback(serve_server *s, struct MHD_Connection *c, request *rq)
{
    if (!s->feedback)
        return respond_error(c, rq, MHD_HTTP_NOT_IMPLEMENTED,
                             "this server keeps no feedback: start it with --feedback FILE", NULL);
    json_error_t jerr;
    json_t *in = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &jerr);
    char msg[400];
    if (!in) {
        snprintf(msg, sizeof msg, "invalid JSON at byte %d: %s", jerr.position, jerr.text);
        return respond_error(c, rq, MHD_HTTP_BAD_REQUEST, msg, NULL);
    }
    json_t *record = feedback_of(in, msg, sizeof msg);
    json_decref(in);
    if (!record)
        return respond_error(c, rq, MHD_HTTP_BAD_REQUEST, msg, NULL);
    int st = feedback_append(s->feedback, record, msg, sizeof msg);
    json_decref(record);
    if (st != 0)
        return respond_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, msg, NULL);
    return respond(c, rq, MHD_HTTP_OK, json_pack("{s:s}", "status", "kept"), NULL);
}

/* Whether a /v1 call may go on: no --keys, or "Authorization: Bearer KEY" with a listed key. */
static int v1_key_accepted(serve_server *s, struct MHD_Connection *c)
{
    if (!s->keys)
        return 1;
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    return auth && strncmp(auth, "Bearer ", 7) == 0 && keys_valid(s->keys, auth + 7, NULL);
}

static enum MHD_Result health(serve_server *s, struct MHD_Connection *c, request *rq)
{
    return respond(c, rq, MHD_HTTP_OK,
                   json_pack("{s:s, s:s, s:s}", "status", "ok", "model", cg_model_path(s->model), "version",
                             cg_version()),
                   NULL);
}

/* Add a piece of the body, or note why it cannot be held. */
static void gather(serve_server *s, request *rq, const char *data, size_t n)
{
    if (rq->body_state != BODY_OK)
        return;
    if (n > s->max_body - rq->len) {
        rq->body_state = BODY_TOO_LARGE;
        return;
    }
    if (rq->len + n > rq->cap) {
        size_t cap = rq->cap ? rq->cap : 16384;
        while (cap < rq->len + n)
            cap *= 2;
        if (cap > s->max_body)
            cap = s->max_body;
        char *p = realloc(rq->body, cap);
        if (!p) {
            rq->body_state = BODY_NO_MEMORY;
            return;
        }
        rq->body = p;
        rq->cap = cap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
}

static enum MHD_Result too_large(struct MHD_Connection *c, request *rq)
{
    if (rq->route != ROUTE_AKISMET)
        return respond_error(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large", NULL);
    rq->answered = 1;
    return akismet_refuse(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
}

static int takes_body(const request *rq)
{
    return rq->route == ROUTE_CLASSIFY || rq->route == ROUTE_FEEDBACK || rq->route == ROUTE_AKISMET;
}

/* The first call for a request: route it, refusing at once a body announced as too large. */
static enum MHD_Result begin(serve_server *s, struct MHD_Connection *c, request *rq, const char *url,
                             const char *method)
{
    if (strcmp(url, "/healthz") == 0) {
        int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
        rq->route = get ? ROUTE_HEALTH : ROUTE_NOT_ALLOWED;
        rq->allow = "GET, HEAD";
    } else if (strcmp(url, "/v1/classify") == 0 || strcmp(url, "/v1/feedback") == 0 ||
               (rq->call = akismet_route(url)) != AKISMET_NONE) {
        rq->route = strcmp(method, MHD_HTTP_METHOD_POST) != 0 ? ROUTE_NOT_ALLOWED
                    : rq->call != AKISMET_NONE                ? ROUTE_AKISMET
                    : strcmp(url, "/v1/classify") == 0        ? ROUTE_CLASSIFY
                                                              : ROUTE_FEEDBACK;
        rq->allow = "POST";
    } else {
        rq->route = ROUTE_NOT_FOUND;
    }
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (takes_body(rq) && length && strtoull(length, NULL, 10) > s->max_body)
        return too_large(c, rq);
    return MHD_YES;
}

/* The last call for a request: its answer. */
static enum MHD_Result answer(serve_server *s, struct MHD_Connection *c, request *rq)
{
    switch (rq->route) {
    case ROUTE_HEALTH:
        return health(s, c, rq);
    case ROUTE_NOT_FOUND:
        return respond_error(c, rq, MHD_HTTP_NOT_FOUND, "not found", NULL);
    case ROUTE_NOT_ALLOWED:
        return respond_error(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed", rq->allow);
    case ROUTE_CLASSIFY:
    case ROUTE_FEEDBACK:
    case ROUTE_AKISMET:
        break;
    }
    if (rq->body_state == BODY_TOO_LARGE)
        return too_large(c, rq);
    if (rq->body_state == BODY_NO_MEMORY)
        return respond(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, NULL);
    if (rq->route == ROUTE_AKISMET) {
        rq->answered = 1;
        return akismet_answer(s, c, rq->call, rq->body, rq->len);
    }
    if (!v1_key_accepted(s, c))
        return respond_error(c, rq, MHD_HTTP_FORBIDDEN, "a valid key is needed: Authorization: Bearer KEY", NULL);
    return rq->route == ROUTE_CLASSIFY ? classify(s, c, rq) : store_feedback(s, c, rq);
}

enum MHD_Result serve_handle(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size,
                             void **req_cls)
{
    (void)version;
    serve_server *s = cls;
    request *rq = *req_cls;
    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        *req_cls = rq;
        pthread_mutex_lock(&s->lock);
        s->in_flight++;
        int stopping = s->stopping;
        pthread_mutex_unlock(&s->lock);
        if (stopping) /* answered at once, which closes the connection */
            return respond_error(connection, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "shutting down", NULL);
        return begin(s, connection, rq, url, method);
    }
    if (*upload_data_size > 0) {
        if (takes_body(rq) && !rq->answered)
            gather(s, rq, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return rq->answered ? MHD_YES : answer(s, connection, rq);
}

void serve_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                     enum MHD_RequestTerminationCode toe)
{
    (void)connection;
    (void)toe;
    serve_server *s = cls;
    request *rq = *req_cls;
    if (!rq)
        return;
    free(rq->body);
    free(rq);
    *req_cls = NULL;
    pthread_mutex_lock(&s->lock);
    if (--s->in_flight == 0)
        pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->lock);
}
