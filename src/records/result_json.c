/* result_json.c - the JSON objects that `score --format jsonl` and `serve` share: reading one
 * request object and classifying it, and building the answer object. */
#include "result_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_article_cache_free(cli_article_cache *c)
{
    cg_article_free(c->article);
    free(c->text);
    *c = (cli_article_cache){0};
}

cg_status cli_prepare_article(const cg_model *model, cg_workspace *ws, cli_article_cache *c, const char *text,
                              size_t len, const cg_article **out)
{
    if (c->article && len == c->len && memcmp(text, c->text, len) == 0) {
        *out = c->article;
        return CG_OK;
    }
    cg_article_free(c->article);
    c->article = NULL;
    if (len + 1 > c->cap) {
        char *p = realloc(c->text, len + 1);
        if (!p)
            return CG_ERR_NOMEM;
        c->text = p;
        c->cap = len + 1;
    }
    cg_status st = cg_article_new(model, ws, text, len, &c->article);
    if (st != CG_OK)
        return st;
    memcpy(c->text, text, len);
    c->len = len;
    *out = c->article;
    return CG_OK;
}

static cg_label most_probable(const cg_result *r)
{
    cg_label best = CG_ON_TOPIC;
    for (int c = 1; c < CG_NUM_CLASSES; c++)
        if (r->prob[c] > r->prob[best])
            best = (cg_label)c;
    return best;
}

json_t *cli_reasons_json(const cg_model *model, cg_workspace *ws, const cg_comment *comment,
                         const cg_article *article, const cg_result *r)
{
    cg_reason reasons[CLI_MAX_REASONS];
    size_t n;
    cg_label label = r->label == CG_UNSURE ? most_probable(r) : r->label;
    if (cg_explain_comment(model, ws, comment, article, label, reasons, CLI_MAX_REASONS, &n) != CG_OK)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        json_t *o = json_pack("{s:s, s:f}", "text", reasons[i].text, "weight", round(reasons[i].weight * 1000) / 1000);
        if (o && reasons[i].start >= 0) {
            json_object_set_new(o, "start", json_integer(reasons[i].start));
            json_object_set_new(o, "end", json_integer(reasons[i].end));
        }
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

int cli_comment_of(json_t *obj, cg_comment *out, char *msg, size_t size)
{
    json_t *text = json_object_get(obj, "text");
    if (!json_is_string(text)) {
        snprintf(msg, size, "\"text\" %s", text ? "must be a string" : "is missing");
        return -1;
    }
    *out = (cg_comment){json_string_value(text), json_string_length(text), NULL, NULL, NULL};
    static const char *const author_keys[3] = {"author", "author_url", "author_email"};
    const char **author_field[3] = {&out->author, &out->author_url, &out->author_email};
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(obj, author_keys[k]);
        if (json_is_string(v)) {
            *author_field[k] = json_string_value(v);
        } else if (v && !json_is_null(v)) {
            snprintf(msg, size, "\"%s\" must be a string or null", author_keys[k]);
            return -1;
        }
    }
    return 0;
}

/* The comments of a request's "thread" (an array of strings; null or absent: none), pointing into
 * obj, in *texts and *lens (malloc'ed; NULL when there are none). 0, or -1 with the reason in msg. */
static int thread_of(json_t *obj, int has_article, const char ***texts, size_t **lens, size_t *n, char *msg,
                     size_t size)
{
    *texts = NULL;
    *lens = NULL;
    *n = 0;
    json_t *t = json_object_get(obj, "thread");
    if (!t || json_is_null(t))
        return 0;
    if (!json_is_array(t)) {
        snprintf(msg, size, "\"thread\" must be an array of strings or null");
        return -1;
    }
    size_t count = json_array_size(t);
    if (count == 0)
        return 0;
    if (!has_article) {
        snprintf(msg, size, "\"thread\" needs the \"article\" it is under (a string)");
        return -1;
    }
    *texts = malloc(count * sizeof **texts);
    *lens = malloc(count * sizeof **lens);
    if (!*texts || !*lens) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        json_t *c = json_array_get(t, i);
        if (!json_is_string(c)) {
            snprintf(msg, size, "\"thread\" item %zu must be a string", i + 1);
            return -1;
        }
        (*texts)[i] = json_string_value(c);
        (*lens)[i] = json_string_length(c);
    }
    *n = count;
    return 0;
}

/* The article a request is judged against (see cli_classify_object) in *article; a post with a thread
 * is prepared for this request alone, in *own, which the caller frees. 0, or -1 with the reason in msg. */
static int article_of(const cg_model *model, cg_workspace *ws, cli_article_cache *cache, const cg_article *fallback,
                      json_t *obj, const cg_article **article, cg_article **own, char *msg, size_t size)
{
    *article = fallback;
    *own = NULL;
    json_t *a = json_object_get(obj, "article");
    if (a && !json_is_string(a) && !json_is_null(a)) {
        snprintf(msg, size, "\"article\" must be a string or null");
        return -1;
    }
    const char **texts;
    size_t *lens, n;
    if (thread_of(obj, json_is_string(a), &texts, &lens, &n, msg, size) != 0) {
        free(texts);
        free(lens);
        return -1;
    }
    cg_status st = CG_OK;
    if (n > 0) {
        st = cg_article_new_thread(model, ws, json_string_value(a), json_string_length(a), texts, lens, n, own);
        *article = *own;
    } else if (json_is_string(a)) {
        st = cli_prepare_article(model, ws, cache, json_string_value(a), json_string_length(a), article);
    } else if (a) {
        *article = NULL;
    }
    free(texts);
    free(lens);
    if (st != CG_OK) {
        const char *why = cg_workspace_error(ws);
        snprintf(msg, size, "article: %s", *why ? why : cg_strerror(st));
        return -1;
    }
    return 0;
}

int cli_classify_object(const cg_model *model, cg_workspace *ws, cli_article_cache *cache,
                        const cg_article *fallback, json_t *obj, int explain, cg_result *r, json_t **reasons,
                        char *msg, size_t size)
{
    *reasons = NULL;
    cg_comment comment;
    if (cli_comment_of(obj, &comment, msg, size) != 0)
        return -1;
    const cg_article *article;
    cg_article *own;
    if (article_of(model, ws, cache, fallback, obj, &article, &own, msg, size) != 0)
        return -1;
    int failed = 0;
    if (cg_classify_comment(model, ws, &comment, article, r) != CG_OK) {
        snprintf(msg, size, "%s", cg_workspace_error(ws));
        failed = 1;
    } else if ((explain || json_is_true(json_object_get(obj, "explain"))) &&
               !(*reasons = cli_reasons_json(model, ws, &comment, article, r))) {
        snprintf(msg, size, "explanation: %s", *cg_workspace_error(ws) ? cg_workspace_error(ws) : "out of memory");
        failed = 1;
    }
    cg_article_free(own);
    return failed ? -1 : 0;
}

/* {"on-topic": p, "off-topic": p, "abusive": p}, six decimals as in the text format. */
static json_t *scores_json(const cg_result *r)
{
    json_t *scores = json_object();
    for (int k = 0; scores && k < CG_NUM_CLASSES; k++)
        if (json_object_set_new(scores, cg_label_name((cg_label)k), json_real(round(r->prob[k] * 1e6) / 1e6)) != 0) {
            json_decref(scores);
            scores = NULL;
        }
    return scores;
}

json_t *cli_result_json(json_t *id, const cg_result *r, json_t *reasons, const char *error)
{
    json_t *o = json_object();
    int failed = !o || (id && json_object_set(o, "id", id) != 0);
    if (!failed && error) {
        char clean[512];
        cli_clean_message(clean, sizeof clean, error);
        failed = json_object_set_new(o, "error", json_string(clean)) != 0;
    } else if (!failed) {
        failed = json_object_set_new(o, "label", json_string(cg_label_name(r->label))) != 0 ||
                 json_object_set_new(o, "scores", scores_json(r)) != 0;
    }
    if (!failed && reasons) {
        failed = json_object_set_new(o, "reasons", reasons) != 0;
        reasons = NULL;
    }
    json_decref(reasons);
    if (failed) {
        json_decref(o);
        return NULL;
    }
    return o;
}

void cli_clean_message(char *out, size_t size, const char *msg)
{
    size_t i = 0;
    for (; msg[i] && i + 1 < size; i++) {
        unsigned char c = (unsigned char)msg[i];
        out[i] = c < 0x20 || c == 0x7f ? ' ' : c >= 0x80 ? '?' : (char)c;
    }
    out[i] = '\0';
}
