/* serve_http.c - the requests `commentguard serve` answers, as libmicrohttpd callbacks, and the
 * JSON API.
 *
 * A request is routed through the server's table (routes.h): the route of its path answers it,
 * or refuses it in its own way: 404 for a path no route takes (a prefix route's paths included),
 * 405 for a method the route does not take, 413 for a body over --max-body, 500 when out of
 * memory, 503 for a request begun once the server is stopping. Paths that no route or prefix
 * takes get the JSON API's errors. A request is routed on the handler's first call and answered on
 * its last one (answering earlier would close the connection), except for a Content-Length over
 * the limit. The body is gathered in between and answered in the pool thread that owns the
 * connection.
 *
 * The JSON API:
 *   POST /v1/classify   a request object {"text", "article", "thread", "id", "author", "author_url",
 *                       "author_email"} or an array of them; the answer is what `score --format
 *                       jsonl` writes for each (result_json.c), an object or an array in order.
 *                       Malformed JSON, or a single object that cannot be classified, gets 400.
 *                       With --learn, a near-copy of a corrected comment takes the correction's
 *                       label and gets "near_copy" (learn.c).
 *   POST /v1/feedback   {"text", "article", "label", "id", and "author", "author_url",
 *                       "author_email" as in /v1/classify}: a moderator's label, kept in the
 *                       feedback file (feedback.c); answers {"status": "kept"}
 *   GET /healthz        {"status": "ok", "model": path, "version": ..., "generation": swaps so
 *                       far, "site_rows": the site rows the serving model was adapted to}
 * With --keys, the /v1 calls need "Authorization: Bearer KEY" (403 without a valid one). Every
 * error is a JSON {"error": ...}. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "result_json.h"
#include "server.h"
#include "serve_http.h"

/* One request, from its first handler call to its completion. */
typedef struct request {
    const route *route; /* NULL: no route takes the path */
    enum { REQUEST_ANSWER, REQUEST_NOT_FOUND, REQUEST_NOT_ALLOWED } state;
    char *body;
    size_t len, cap;
    enum { BODY_OK, BODY_TOO_LARGE, BODY_NO_MEMORY } body_state; /* unless OK, the rest is discarded */
    int answered; /* a response is queued */
} request;

static const char out_of_memory[] = "{\"error\":\"out of memory\"}";

/* Queue `body` (consumed; NULL: out of memory, answered with 500) as a JSON response, with an
 * Allow header when allow is not NULL. */
static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, json_t *body, const char *allow)
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
    return ok;
}

/* The JSON API's errors: {"error": message}. */
static enum MHD_Result respond_error(struct MHD_Connection *c, unsigned status, const char *message,
                                     const char *allow)
{
    return respond(c, status, cli_result_json(NULL, NULL, NULL, message), allow);
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
        *failed = cli_classify_object(t->model, t->ws, &t->articles, NULL, item, 0, &r, &reasons, msg,
                                      sizeof msg) != 0;
    }
    json_t *answer = cli_result_json(id, &r, reasons, *failed ? msg : NULL);
    /* A near-copy of a corrected comment takes the correction's label, and says which (learn.c). */
    json_t *text = json_object_get(item, "text");
    near_copy_match m;
    if (answer && !*failed && learn_near_copy(s, json_string_value(text), json_string_length(text), &m) &&
        (json_object_set_new(answer, "label", json_string(cg_label_name(m.entry.label))) != 0 ||
         json_object_set_new(answer, "near_copy", learn_near_copy_json(&m)) != 0)) {
        json_decref(answer);
        answer = NULL;
    }
    return answer;
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

/* Whether a /v1 call may go on: no --keys, or "Authorization: Bearer KEY" with a listed key. */
static int v1_key_accepted(serve_server *s, struct MHD_Connection *c)
{
    if (!s->keys)
        return 1;
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    return auth && strncmp(auth, "Bearer ", 7) == 0 && keys_valid(s->keys, auth + 7, NULL);
}

static enum MHD_Result refuse_key(struct MHD_Connection *c)
{
    return respond_error(c, MHD_HTTP_FORBIDDEN, "a valid key is needed: Authorization: Bearer KEY", NULL);
}

static enum MHD_Result classify(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    if (!v1_key_accepted(s, c))
        return refuse_key(c);
    json_error_t jerr;
    json_t *in = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!in) {
        char msg[300];
        snprintf(msg, sizeof msg, "invalid JSON at byte %d: %s", jerr.position, jerr.text);
        return respond_error(c, MHD_HTTP_BAD_REQUEST, msg, NULL);
    }
    enum MHD_Result ret;
    serve_thread *t = serve_this_thread(s); /* its model held by answer() */
    if (!t) {
        ret = respond(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, NULL);
    } else if (json_is_array(in)) {
        ret = respond(c, MHD_HTTP_OK, classify_array(s, t, in), NULL);
    } else { /* an object: without JSON_DECODE_ANY, jansson reads nothing else */
        int failed;
        json_t *answer = classify_item(s, t, in, &failed);
        ret = respond(c, failed ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, answer, NULL);
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
    json_t *article = json_object_get(in, "article"), *label = json_object_get(in, "label"),
           *id = json_object_get(in, "id");
    int k = json_is_string(label) ? label_named(json_string_value(label)) : -1;
    cg_comment comment;
    if (!json_is_object(in)) {
        snprintf(msg, size, "not a JSON object");
        return NULL;
    }
    if (cli_comment_of(in, &comment, msg, size) != 0)
        return NULL;
    if (article && !json_is_string(article) && !json_is_null(article)) {
        snprintf(msg, size, "\"article\" must be a string or null");
        return NULL;
    }
    if (k < 0) {
        snprintf(msg, size, "\"label\" must be \"on-topic\", \"off-topic\" or \"abusive\"");
        return NULL;
    }
    int has_article = json_is_string(article);
    json_t *record = feedback_record((cg_label)k, &comment, has_article ? json_string_value(article) : NULL,
                                     has_article ? json_string_length(article) : 0, "feedback", msg, size);
    if (record && id && json_object_set(record, "id", id) != 0) {
        json_decref(record);
        snprintf(msg, size, "out of memory");
        return NULL;
    }
    return record;
}

static enum MHD_Result store_feedback(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    if (!v1_key_accepted(s, c))
        return refuse_key(c);
    if (!s->feedback)
        return respond_error(c, MHD_HTTP_NOT_IMPLEMENTED,
                             "this server keeps no feedback: start it with --feedback FILE", NULL);
    json_error_t jerr;
    json_t *in = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    char msg[400];
    if (!in) {
        snprintf(msg, sizeof msg, "invalid JSON at byte %d: %s", jerr.position, jerr.text);
        return respond_error(c, MHD_HTTP_BAD_REQUEST, msg, NULL);
    }
    json_t *record = feedback_of(in, msg, sizeof msg);
    json_decref(in);
    if (!record)
        return respond_error(c, MHD_HTTP_BAD_REQUEST, msg, NULL);
    int st = feedback_append(s->feedback, record, msg, sizeof msg);
    if (st == 0) {
        json_t *text = json_object_get(record, "text");
        learn_correction(s, json_string_value(text), json_string_length(text),
                         (cg_label)label_named(json_string_value(json_object_get(record, "label"))));
    }
    json_decref(record);
    if (st != 0)
        return respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, msg, NULL);
    return respond(c, MHD_HTTP_OK, json_pack("{s:s}", "status", "kept"), NULL);
}

static enum MHD_Result health(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    (void)body;
    (void)len;
    const served_model *m = serve_this_thread(s)->served; /* held by answer() */
    return respond(c, MHD_HTTP_OK,
                   json_pack("{s:s, s:s, s:s, s:I, s:I}", "status", "ok", "model", cg_model_path(m->model), "version",
                             cg_version(), "generation", (json_int_t)m->generation, "site_rows",
                             (json_int_t)m->site_rows),
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

const route serve_json_routes[] = {
    {"/v1/classify", "POST", classify, respond_error},
    {"/v1/feedback", "POST", store_feedback, respond_error},
    {"/healthz", "GET, HEAD", health, respond_error},
};
const size_t serve_json_route_count = sizeof serve_json_routes / sizeof *serve_json_routes;

/* Answer an error in the way of the request's route (the JSON API's for an unrouted path). */
static enum MHD_Result refuse(struct MHD_Connection *c, request *rq, unsigned status, const char *message,
                              const char *allow)
{
    rq->answered = 1;
    return (rq->route ? rq->route->refuse : respond_error)(c, status, message, allow);
}

/* The first call for a request: route it, refusing at once a body announced as too large. */
static enum MHD_Result begin(serve_server *s, struct MHD_Connection *c, request *rq, const char *method)
{
    if (!rq->route || !rq->route->answer)
        rq->state = REQUEST_NOT_FOUND;
    else if (!route_allows(rq->route, method))
        rq->state = REQUEST_NOT_ALLOWED;
    else
        rq->state = REQUEST_ANSWER;
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (rq->state == REQUEST_ANSWER && length && strtoull(length, NULL, 10) > s->max_body)
        return refuse(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large", NULL);
    return MHD_YES;
}

/* The last call for a request: its answer. */
static enum MHD_Result answer(serve_server *s, struct MHD_Connection *c, request *rq)
{
    if (rq->state == REQUEST_NOT_FOUND)
        return refuse(c, rq, MHD_HTTP_NOT_FOUND, "not found", NULL);
    if (rq->state == REQUEST_NOT_ALLOWED)
        return refuse(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed", rq->route->methods);
    if (rq->body_state == BODY_TOO_LARGE)
        return refuse(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large", NULL);
    if (rq->body_state == BODY_NO_MEMORY)
        return refuse(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    serve_thread *t = serve_this_thread(s);
    if (!t)
        return refuse(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    rq->answered = 1;
    serve_thread_hold_model(s, t); /* the whole request answers with one model generation */
    enum MHD_Result ret = rq->route->answer(s, c, rq->body, rq->len);
    serve_thread_release_model(s, t);
    return ret;
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
        rq->route = routes_find(&s->routes, url);
        pthread_mutex_lock(&s->lock);
        s->in_flight++;
        int stopping = s->stopping;
        pthread_mutex_unlock(&s->lock);
        if (stopping) /* answered at once, which closes the connection */
            return refuse(connection, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "shutting down", NULL);
        return begin(s, connection, rq, method);
    }
    if (*upload_data_size > 0) {
        if (rq->state == REQUEST_ANSWER && !rq->answered)
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
