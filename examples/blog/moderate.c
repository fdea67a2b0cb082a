/* moderate.c - classifying the blog's comments against their posts (see moderate.h).
 *
 * Each post is analysed once (cg_article_new) and kept in a small cache of the posts used last, so
 * that scoring many comments, as `rescore` does post by post, prepares each article once. Posts
 * cannot be edited, so a cached article never goes stale. With a thread (--thread N), a comment is
 * judged against its post and the latest N comments approved before it (cg_article_new_thread),
 * which change as comments come: that article is prepared for the comment alone. */
#include "moderate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHED_ARTICLES 16

/* Unless told otherwise (--thresholds), a comment is approved or rejected without a moderator only
 * when its class has at least this probability; any other comment waits in the queue. */
static const double default_thresholds[CG_NUM_CLASSES] = {[CG_ON_TOPIC] = 0.5, [CG_OFF_TOPIC] = 0.5,
                                                         [CG_ABUSIVE] = 0.5};

typedef struct cached_article {
    long long post_id;
    cg_article *article; /* NULL: a free slot */
    unsigned long last_used;
} cached_article;

struct moderator {
    cg_model *model;
    cg_workspace *ws;
    cached_article cache[CACHED_ARTICLES];
    unsigned long uses;
    long long thread; /* how many approved comments a comment is judged with; 0: none */
};

int moderator_open(const char *model_dir, const double *thresholds, long long thread, moderator **out, char *err,
                   size_t errlen)
{
    *out = NULL;
    moderator *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    m->thread = thread;
    cg_status st = cg_model_open(model_dir, &m->model, err, errlen);
    if (st == CG_OK && (st = cg_workspace_new(m->model, &m->ws)) != CG_OK)
        snprintf(err, errlen, "%s", cg_strerror(st));
    if (!thresholds)
        thresholds = default_thresholds;
    if (st == CG_OK && (st = cg_workspace_set_thresholds(m->ws, thresholds)) != CG_OK)
        snprintf(err, errlen, "%s", cg_workspace_error(m->ws));
    if (st != CG_OK) {
        moderator_free(m);
        return STORE_ERROR;
    }
    *out = m;
    return STORE_OK;
}

void moderator_free(moderator *m)
{
    if (!m)
        return;
    for (int i = 0; i < CACHED_ARTICLES; i++)
        cg_article_free(m->cache[i].article);
    cg_workspace_free(m->ws);
    cg_model_free(m->model);
    free(m);
}

/* The text post_id is judged against (store_article), the store's message in err if it cannot be read. */
static int post_text(store *s, long long post_id, char **text, size_t *len, char *err, size_t errlen)
{
    int status = store_article(s, post_id, text, len);
    if (status != STORE_OK)
        snprintf(err, errlen, "%s", store_error(s));
    return status;
}

/* The prepared article of post_id, from the cache or read and prepared in the least recently used
 * slot. */
static int article(moderator *m, store *s, long long post_id, const cg_article **out, char *err, size_t errlen)
{
    cached_article *slot = &m->cache[0];
    for (int i = 0; i < CACHED_ARTICLES; i++) {
        cached_article *c = &m->cache[i];
        if (c->article && c->post_id == post_id) {
            c->last_used = ++m->uses;
            *out = c->article;
            return STORE_OK;
        }
        if (!c->article || (slot->article && c->last_used < slot->last_used))
            slot = c;
    }
    char *text;
    size_t len;
    int status = post_text(s, post_id, &text, &len, err, errlen);
    if (status != STORE_OK)
        return status;
    cg_article_free(slot->article);
    *slot = (cached_article){.post_id = post_id, .last_used = ++m->uses};
    if (cg_article_new(m->model, m->ws, text, len, &slot->article) != CG_OK) {
        snprintf(err, errlen, "post %lld: %s", post_id, cg_workspace_error(m->ws));
        status = STORE_ERROR;
    }
    free(text);
    *out = slot->article;
    return status;
}

/* A post's approved comments, copied out of the store. */
typedef struct thread {
    char **texts;
    size_t *lens;
    size_t n, cap;
    int out_of_memory;
} thread;

static int add_to_thread(void *ctx, const char *text, size_t len)
{
    thread *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **texts = realloc(t->texts, cap * sizeof *texts);
        if (texts)
            t->texts = texts;
        size_t *lens = texts ? realloc(t->lens, cap * sizeof *lens) : NULL;
        if (!lens) {
            t->out_of_memory = 1;
            return STORE_ERROR;
        }
        t->lens = lens;
        t->cap = cap;
    }
    if (!(t->texts[t->n] = malloc(len + 1))) {
        t->out_of_memory = 1;
        return STORE_ERROR;
    }
    memcpy(t->texts[t->n], text ? text : "", len);
    t->texts[t->n][len] = '\0';
    t->lens[t->n++] = len;
    return STORE_OK;
}

static void thread_free(thread *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->texts[i]);
    free(t->texts);
    free(t->lens);
}

/* The article of comment_id (0: a new comment) on post_id with the approved comments before it, made
 * for this comment alone (*out the caller's to free). */
static int article_with_thread(moderator *m, store *s, long long post_id, long long comment_id, cg_article **out,
                               char *err, size_t errlen)
{
    char *text;
    size_t len;
    int status = post_text(s, post_id, &text, &len, err, errlen);
    if (status != STORE_OK)
        return status;
    thread t = {0};
    status = store_each_approved(s, post_id, comment_id > 0 ? comment_id : LLONG_MAX, m->thread, add_to_thread, &t);
    if (status != STORE_OK) {
        snprintf(err, errlen, "%s", t.out_of_memory ? "out of memory" : store_error(s));
    } else if (cg_article_new_thread(m->model, m->ws, text, len, (const char *const *)t.texts, t.lens, t.n, out) !=
               CG_OK) {
        snprintf(err, errlen, "post %lld: %s", post_id, cg_workspace_error(m->ws));
        status = STORE_ERROR;
    }
    thread_free(&t);
    free(text);
    return status;
}

static const char *state_of(cg_label label)
{
    return label == CG_ON_TOPIC ? "approved" : label == CG_ABUSIVE ? "rejected" : "held";
}

int moderator_judge(moderator *m, store *s, long long post_id, const cg_comment *comment, store_comment *c,
                    char *err, size_t errlen)
{
    const cg_article *a = NULL;
    cg_article *own = NULL;
    int status = m->thread > 0 ? article_with_thread(m, s, post_id, c->id, &own, err, errlen)
                               : article(m, s, post_id, &a, err, errlen);
    if (status != STORE_OK)
        return status;
    if (own)
        a = own;
    cg_result r;
    cg_status st = cg_classify_comment(m->model, m->ws, comment, a, &r);
    cg_article_free(own);
    if (st != CG_OK) {
        snprintf(err, errlen, "%s", cg_workspace_error(m->ws));
        return STORE_ERROR;
    }
    c->state = state_of(r.label);
    c->model_label = cg_label_name(r.label);
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        c->prob[k] = r.prob[k];
    return STORE_OK;
}
