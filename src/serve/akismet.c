/* akismet.c - the comment calls of the Akismet API (https://akismet.com/developers/), answered by
 * the local model:
 *
 *   comment-check  "true" (spam: its label is one of serve's spam labels) or "false", with
 *                  "X-akismet-pro-tip: discard" when the spam probability reaches --discard, and
 *                  the model's own verdict in X-commentguard-label and X-commentguard-scores;
 *                  with --learn, a near-copy of a corrected comment takes the correction's label,
 *                  named in X-commentguard-near-copy
 *   submit-spam    a comment that should have been caught, kept in the feedback file with the
 *   submit-ham     corrected label (spam: spam_label below; ham: on-topic), unless the call says
 *                  is_test; with --learn, also taught (learn.c)
 *
 * Each answer is counted for get-stats (akismet_account.c) under the key of the call, unless the
 * call says is_test. As Akismet does, problems with a call are answered with status 200, a body
 * other than the expected answer ("invalid" for a bad key) and an X-akismet-debug-help header;
 * only the server's own failures get a 5xx status. Akismet's test conventions hold: the author
 * "viagra-test-123" or the e-mail "akismet-guaranteed-spam@example.com" is always spam, the
 * user_role "administrator" never. */
#define _POSIX_C_SOURCE 200809L
#include "akismet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "akismet_reply.h"
#include "akismet_stats.h"
#include "learn.h"

static const char thanks[] = "Thanks for making the web a better place.";

typedef enum akismet_call {
    AKISMET_COMMENT_CHECK,
    AKISMET_SUBMIT_SPAM,
    AKISMET_SUBMIT_HAM,
} akismet_call;

/* The first of the required fields that is missing or empty, or NULL. */
static const char *missing_field(const form *f)
{
    static const char *const required[] = {"blog", "user_ip"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!*akismet_field(f, required[i]))
            return required[i];
    return NULL;
}

/* Whether the call says it is a test: not kept, not counted. */
static int is_test(const form *f)
{
    const char *v = akismet_field(f, "is_test");
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

/* Count an answer for get-stats, unless the call is a test; a failure to count is reported on
 * stderr and does not change the answer. */
static void count_call(serve_server *s, const form *f, const char *key, akismet_event e)
{
    char err[300];
    if (s->stats && !is_test(f) && akismet_stats_count(s->stats, key, e, time(NULL), err, sizeof err) != 0)
        fprintf(stderr, "commentguard: serve: %s\n", err);
}

/* Akismet's fixed answers for testing: 1 spam, 0 not spam, -1 none applies. */
static int test_verdict(const form *f)
{
    if (strcmp(akismet_field(f, "comment_author"), "viagra-test-123") == 0 ||
        strcmp(akismet_field(f, "comment_author_email"), "akismet-guaranteed-spam@example.com") == 0)
        return 1;
    if (strcmp(akismet_field(f, "user_role"), "administrator") == 0)
        return 0;
    return -1;
}

/* A comment of a call, read from its fields: the comment with its author (pointing into the form)
 * and, from --articles, its post. */
typedef struct comment {
    cg_comment c;
    const article_table *table; /* held while article points into it */
    const char *article;        /* NULL: none */
    size_t article_len;
    const char *article_state;  /* "found", "unknown permalink" or "no permalink" */
} comment;

static void comment_free(serve_server *s, comment *cm)
{
    if (cm->table)
        articles_release(s->articles, cm->table);
}

/* The author travels beside the text, never inside it: an adapted bundle reads the name and the
 * domains of the URL and e-mail address as features of their own, and the public model reads the
 * comment alone (README, "The author: fields, not text", for the figures behind this). */
static void comment_read(serve_server *s, const form *f, comment *cm)
{
    *cm = (comment){.article_state = "no permalink"};
    const char *content = form_get(f, "comment_content", &cm->c.len);
    cm->c.text = content ? content : "";
    cm->c.author = form_get(f, "comment_author", NULL);
    cm->c.author_url = form_get(f, "comment_author_url", NULL);
    cm->c.author_email = form_get(f, "comment_author_email", NULL);
    const char *permalink = form_get(f, "permalink", NULL);
    if (permalink && *permalink && s->articles) {
        cm->table = articles_acquire(s->articles);
        cm->article = articles_find(cm->table, permalink, &cm->article_len);
        cm->article_state = cm->article ? "found" : "unknown permalink";
    } else if (permalink && *permalink) {
        cm->article_state = "unknown permalink";
    }
}

/* Classify the comment with the calling thread's workspace: 0, or -1 with the reason in msg. */
static int comment_classify(serve_server *s, const comment *cm, cg_result *r, char *msg, size_t size)
{
    serve_thread *t = serve_this_thread(s);
    if (!t) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    const cg_article *article = NULL;
    cg_status st = CG_OK;
    if (cm->article)
        st = cli_prepare_article(t->model, t->ws, &t->articles, cm->article, cm->article_len, &article);
    if (st == CG_OK)
        st = cg_classify_comment(t->model, t->ws, &cm->c, article, r);
    if (st != CG_OK)
        snprintf(msg, size, "%s%s", cm->article && !article ? "article: " : "",
                 *cg_workspace_error(t->ws) ? cg_workspace_error(t->ws) : cg_strerror(st));
    return st == CG_OK ? 0 : -1;
}

/* The probability that the comment is spam: the sum over the spam labels. */
static double spam_probability(const serve_server *s, const cg_result *r)
{
    double p = 0;
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (s->spam_labels & (1u << k))
            p += r->prob[k];
    return p;
}

static enum MHD_Result comment_check(serve_server *s, struct MHD_Connection *c, const form *f, const char *key)
{
    int fixed = test_verdict(f);
    if (fixed >= 0) {
        count_call(s, f, key, fixed ? STATS_SPAM : STATS_HAM);
        return akismet_reply(c, MHD_HTTP_OK, fixed ? "true" : "false", NULL);
    }
    comment cm;
    comment_read(s, f, &cm);
    cg_result r;
    char msg[400];
    enum MHD_Result ret;
    if (comment_classify(s, &cm, &r, msg, sizeof msg) != 0) {
        ret = akismet_refuse(c, MHD_HTTP_OK, msg, NULL);
    } else {
        double p = spam_probability(s, &r);
        /* A near-copy of a corrected comment takes the correction's label (learn.c). */
        near_copy_match m;
        char copy[160] = "";
        if (learn_near_copy(s, cm.c.text, cm.c.len, &m)) {
            r.label = m.entry.label;
            learn_near_copy_header(&m, copy, sizeof copy);
        }
        /* An unsure label (serve's thresholds) is spam when the spam labels are more likely than not. */
        int spam = r.label == CG_UNSURE ? p >= 0.5 : (s->spam_labels >> r.label) & 1u;
        char scores[160];
        snprintf(scores, sizeof scores, "on-topic=%.6f, off-topic=%.6f, abusive=%.6f", r.prob[CG_ON_TOPIC],
                 r.prob[CG_OFF_TOPIC], r.prob[CG_ABUSIVE]);
        const char *headers[11] = {"X-commentguard-label", cg_label_name(r.label), "X-commentguard-scores", scores,
                                   "X-commentguard-article", cm.article_state};
        size_t h = 6;
        if (*copy) {
            headers[h++] = "X-commentguard-near-copy";
            headers[h++] = copy;
        }
        if (spam && p >= s->discard) {
            headers[h++] = "X-akismet-pro-tip";
            headers[h++] = "discard";
        }
        count_call(s, f, key, spam ? STATS_SPAM : STATS_HAM);
        ret = akismet_reply(c, MHD_HTTP_OK, spam ? "true" : "false", headers);
    }
    comment_free(s, &cm);
    return ret;
}

/* The label a moderator's Spam click is kept as: off-topic (unwanted, not necessarily rude) unless
 * the model's most probable class for the comment is abusive; abusive when only abusive comments
 * are spam (--spam abusive). Taking the more probable of the two spam labels instead would teach
 * "abusive" from every polite promotion that the model found a little more abusive than off-topic. */
static cg_label spam_label(const serve_server *s, const cg_result *r)
{
    if (!(s->spam_labels & (1u << CG_OFF_TOPIC)))
        return CG_ABUSIVE;
    int abusive_first = r->prob[CG_ABUSIVE] > r->prob[CG_OFF_TOPIC] && r->prob[CG_ABUSIVE] > r->prob[CG_ON_TOPIC];
    return abusive_first && (s->spam_labels & (1u << CG_ABUSIVE)) ? CG_ABUSIVE : CG_OFF_TOPIC;
}

/* Add the string members name, value, ..., NULL whose values are set (and valid UTF-8). */
static int add_strings(json_t *o, const char *const *members)
{
    for (size_t i = 0; members[i]; i += 2)
        if (members[i + 1] && *members[i + 1] && json_object_set_new(o, members[i], json_string(members[i + 1])) != 0)
            return -1;
    return 0;
}

static enum MHD_Result submit(serve_server *s, struct MHD_Connection *c, const form *f, const char *key,
                              int is_spam)
{
    if (!s->feedback)
        return akismet_refuse(c, MHD_HTTP_NOT_IMPLEMENTED,
                              "this server keeps no feedback: start it with --feedback FILE", NULL);
    if (is_test(f)) {
        const char *headers[] = {"X-commentguard-feedback", "not kept: is_test", NULL};
        return akismet_reply(c, MHD_HTTP_OK, thanks, headers);
    }
    comment cm;
    comment_read(s, f, &cm);
    cg_result r;
    char msg[400];
    json_t *record = NULL;
    enum MHD_Result ret;
    if (comment_classify(s, &cm, &r, msg, sizeof msg) == 0 &&
        (record = feedback_record(is_spam ? spam_label(s, &r) : CG_ON_TOPIC, &cm.c, cm.article, cm.article_len,
                                  "akismet", msg, sizeof msg))) {
        const char *extra[] = {"blog", akismet_field(f, "blog"), "permalink", akismet_field(f, "permalink"), "comment_type",
                               akismet_field(f, "comment_type"), NULL};
        if (add_strings(record, extra) != 0)
            ret = akismet_refuse(c, MHD_HTTP_OK, "a field is not valid UTF-8", NULL);
        else if (feedback_append(s->feedback, record, msg, sizeof msg) != 0)
            ret = akismet_refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, msg, NULL);
        else {
            count_call(s, f, key, is_spam ? STATS_MISSED_SPAM : STATS_FALSE_POSITIVE);
            learn_correction(s, cm.c.text, cm.c.len, is_spam ? spam_label(s, &r) : CG_ON_TOPIC);
            ret = akismet_reply(c, MHD_HTTP_OK, thanks, NULL);
        }
    } else {
        ret = akismet_refuse(c, MHD_HTTP_OK, msg, NULL);
    }
    json_decref(record);
    comment_free(s, &cm);
    return ret;
}

/* Answer the call whose form-encoded body is body[0..len). */
static enum MHD_Result answer(serve_server *s, struct MHD_Connection *c, akismet_call call, const char *body,
                              size_t len)
{
    form f;
    char msg[200];
    if (form_parse(body ? body : "", len, &f, msg, sizeof msg) != 0)
        return akismet_refuse(c, MHD_HTTP_OK, msg, NULL);
    enum MHD_Result ret;
    const char *missing;
    char buf[256];
    const char *key = akismet_call_key(s, c, &f, buf, sizeof buf);
    if (!akismet_key_accepted(s, key, &f)) {
        ret = akismet_refuse_key(c, akismet_bad_key);
    } else if ((missing = missing_field(&f))) {
        snprintf(msg, sizeof msg, "Missing required field: %s.", missing);
        ret = akismet_refuse(c, MHD_HTTP_OK, msg, NULL);
    } else if (call == AKISMET_COMMENT_CHECK) {
        ret = comment_check(s, c, &f, key ? key : "");
    } else {
        ret = submit(s, c, &f, key ? key : "", call == AKISMET_SUBMIT_SPAM);
    }
    form_free(&f);
    return ret;
}

static enum MHD_Result on_comment_check(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return answer(s, c, AKISMET_COMMENT_CHECK, body, len);
}

static enum MHD_Result on_submit_spam(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return answer(s, c, AKISMET_SUBMIT_SPAM, body, len);
}

static enum MHD_Result on_submit_ham(serve_server *s, struct MHD_Connection *c, const char *body, size_t len)
{
    return answer(s, c, AKISMET_SUBMIT_HAM, body, len);
}

const route akismet_routes[] = {
    {"/1.1/comment-check", "POST", on_comment_check, akismet_refuse},
    {"/1.1/submit-spam", "POST", on_submit_spam, akismet_refuse},
    {"/1.1/submit-ham", "POST", on_submit_ham, akismet_refuse},
};
const size_t akismet_route_count = sizeof akismet_routes / sizeof *akismet_routes;
