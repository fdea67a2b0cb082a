/* moderate.c - classifying the blog's comments against their posts (see moderate.h).
 *
 * Each post is analysed once (cg_article_new) and kept in a small cache of the posts used last, so
 * that scoring many comments, as `rescore` does post by post, prepares each article once. Posts
 * cannot be edited, so a cached article never goes stale. */
#include "moderate.h"

#include <stdio.h>
#include <stdlib.h>

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
};

int moderator_open(const char *model_dir, const double *thresholds, moderator **out, char *err, size_t errlen)
{
    *out = NULL;
    moderator *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
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
    int status = store_article(s, post_id, &text, &len);
    if (status != STORE_OK) {
        snprintf(err, errlen, "%s", store_error(s));
        return status;
    }
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

static const char *state_of(cg_label label)
{
    return label == CG_ON_TOPIC ? "approved" : label == CG_ABUSIVE ? "rejected" : "held";
}

int moderator_judge(moderator *m, store *s, long long post_id, const cg_comment *comment, store_comment *c,
                    char *err, size_t errlen)
{
    const cg_article *a;
    int status = article(m, s, post_id, &a, err, errlen);
    if (status != STORE_OK)
        return status;
    cg_result r;
    if (cg_classify_comment(m->model, m->ws, comment, a, &r) != CG_OK) {
        snprintf(err, errlen, "%s", cg_workspace_error(m->ws));
        return STORE_ERROR;
    }
    c->state = state_of(r.label);
    c->model_label = cg_label_name(r.label);
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        c->prob[k] = r.prob[k];
    return STORE_OK;
}
