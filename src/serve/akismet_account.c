/* akismet_account.c - the key and account calls of the Akismet API, as Akismet's WordPress plugin
 * (5.0.2) makes them from its settings screen, and the answers whose fields it reads:
 *
 *   GET  test              "connected" (the plugin's connectivity check)
 *   POST verify-key        "valid" or "invalid"
 *   POST get-subscription  {"status": "active", "account_type", "account_name", "next_billing_date":
 *                          false, "limit_reached": false}: a local server has no subscription,
 *                          billing or limit, so the account is always active with none of them
 *   POST get-stats         {"spam", "ham", "missed_spam", "false_positives", "accuracy"} for the
 *                          key over `from` ("all" or "6-months": the last 183 days): the
 *                          comment-checks answered spam and not spam, the Spam and Not spam
 *                          corrections (submit-spam, submit-ham), and the share of checks not
 *                          corrected, in percent (100 before any check). No "time_saved": Akismet's
 *                          estimate of a moderator's time is not something the server knows.
 *   POST deactivate        "deactivated" (nothing to release: keys live in --keys)
 *
 * Each call but test needs a key the server accepts (akismet_reply.h says which key a call
 * carries); else it gets "invalid" and X-akismet-debug-help. No call ever sends the
 * X-akismet-alert-* headers: the server has no usage limits or account problems to report. Any
 * other path under /1.1/ gets 404 with X-akismet-debug-help. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "akismet.h"
#include "akismet_reply.h"
#include "akismet_stats.h"

#define SIX_MONTHS_DAYS 183

/* Queue a JSON answer (body consumed; NULL: out of memory, answered with 500). */
static enum MHD_Result reply_json(struct MHD_Connection *c, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(body);
    if (!text)
        return akismet_refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES)
        ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

typedef enum MHD_Result (*keyed_call)(serve_server *s, struct MHD_Connection *c, const form *f, const char *key);

/* Parse the form of a call and check its key, then answer it with `call`. */
static enum MHD_Result with_key(serve_server *s, struct MHD_Connection *c, const char *body, size_t len,
                                keyed_call call)
{
    form f;
    char msg[200], buf[256];
    if (form_parse(body ? body : "", len, &f, msg, sizeof msg) != 0)
        return akismet_refuse(c, MHD_HTTP_OK, msg, NULL);
    const char *key = akismet_call_key(s, c, &f, buf, sizeof buf);
    enum MHD_Result ret;
    if (!key || !*key)
        ret = akismet_refuse_key(c, "Empty \"key\" value");
    else if (!akismet_key_accepted(s, key, &f))
        ret = akismet_refuse_key(c, akismet_bad_key);
    else
        ret = call(s, c, &f, key);
    form_free(&f);
    return ret;
}

static enum MHD_Result verify_key(serve_server *s, struct MHD_Connection *c, const form *f, const char *key)
{
    (void)s;
    (void)key;
    if (!*akismet_field(f, "blog")) /* the key may be bound to a blog: verify-key must name it */
        return akismet_refuse_key(c, "Empty \"blog\" value");
    return akismet_reply(c, MHD_HTTP_OK, "valid", NULL);
}

static enum MHD_Result get_subscription(serve_server *s, struct MHD_Connection *c, const form *f, const char *key)
{
    (void)s;
    (void)f;
    (void)key;
    return reply_json(c, json_pack("{s:s, s:s, s:s, s:b, s:b}", "status", "active", "account_type", "commentguard",
                                   "account_name", "commentguard serve (self-hosted)", "next_billing_date", 0,
                                   "limit_reached", 0));
}

static enum MHD_Result get_stats(serve_server *s, struct MHD_Connection *c, const form *f, const char *key)
{
    const char *from = akismet_field(f, "from");
    time_t since;
    if (strcmp(from, "all") == 0 || !*from) {
        since = 0;
    } else if (strcmp(from, "6-months") == 0) {
        since = time(NULL) - (time_t)SIX_MONTHS_DAYS * 86400;
    } else {
        char msg[300];
        snprintf(msg, sizeof msg, "Unknown \"from\" value '%.200s': this server counts \"all\" and \"6-months\"",
                 from);
        return akismet_refuse(c, MHD_HTTP_OK, msg, NULL);
    }
    akismet_totals t = {0};
    char err[300];
    if (s->stats && akismet_stats_totals(s->stats, key, since, &t, err, sizeof err) != 0)
        return akismet_refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, err, NULL);
    long long checked = t.ham + t.spam, corrected = t.missed_spam + t.false_positives;
    double accuracy = 100;
    if (checked > 0)
        accuracy = corrected >= checked ? 0 : round(10000.0 * (double)(checked - corrected) / (double)checked) / 100;
    return reply_json(c, json_pack("{s:I, s:I, s:I, s:I, s:f}", "spam", (json_int_t)t.spam, "ham", (json_int_t)t.ham,
                                   "missed_spam", (json_int_t)t.missed_spam, "false_positives",
                                   (json_int_t)t.false_positives, "accuracy", accuracy));
}

static enum MHD_Result deactivate(serve_server *s, struct MHD_Connection *c, const form *f, const char *key)
{
    (void)s;
    (void)f;
    (void)key;
    return akismet_reply(c, MHD_HTTP_OK, "deactivated", NULL);
}

static enum MHD_Result on_test(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    (void)s;
    (void)body;
    (void)len;
    return akismet_reply(c, MHD_HTTP_OK, "connected", NULL);
}

static enum MHD_Result on_verify_key(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return with_key(s, c, body, len, verify_key);
}

static enum MHD_Result on_get_subscription(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return with_key(s, c, body, len, get_subscription);
}

static enum MHD_Result on_get_stats(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return with_key(s, c, body, len, get_stats);
}

static enum MHD_Result on_deactivate(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return with_key(s, c, body, len, deactivate);
}

const route akismet_account_routes[] = {
    {"/1.1/test", "GET, HEAD", on_test, akismet_refuse},
    {"/1.1/verify-key", "POST", on_verify_key, akismet_refuse},
    {"/1.1/get-subscription", "POST", on_get_subscription, akismet_refuse},
    {"/1.1/get-stats", "POST", on_get_stats, akismet_refuse},
    {"/1.1/deactivate", "POST", on_deactivate, akismet_refuse},
    {"/1.1/", NULL, NULL, akismet_refuse},
};
const size_t akismet_account_route_count = sizeof akismet_account_routes / sizeof *akismet_account_routes;
