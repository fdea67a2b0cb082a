/* serve_state.c - the state every part of `commentguard serve` shares: the requests in flight,
 * the shutdown flag, and each pool thread's workspace and article cache (a thread-specific value,
 * created on the thread's first request and freed when the thread ends). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "server.h"

static void free_serve_thread(void *p)
{
    serve_thread *t = p;
    if (!t)
        return;
    cli_article_cache_free(&t->articles);
    cg_workspace_free(t->ws);
    free(t);
}

int serve_server_init(serve_server *s, cg_model *model, size_t site_rows, size_t max_body)
{
    *s = (serve_server){.max_body = max_body};
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
    if (model_slot_init(&s->models, model, site_rows) != 0) {
        pthread_cond_destroy(&s->idle);
        pthread_mutex_destroy(&s->lock);
        pthread_key_delete(s->per_thread);
        return -1;
    }
    return 0;
}

void serve_server_destroy(serve_server *s)
{
    model_slot_destroy(&s->models);
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
    const served_model *m = model_slot_acquire(&s->models); /* a workspace serves every model */
    if (!t || cg_workspace_new(m->model, &t->ws) != CG_OK ||
        cg_workspace_set_thresholds(t->ws, s->threshold) != CG_OK || pthread_setspecific(s->per_thread, t) != 0) {
        free_serve_thread(t);
        t = NULL;
    }
    model_slot_release(&s->models, m);
    return t;
}

void serve_thread_hold_model(serve_server *s, serve_thread *t)
{
    t->served = model_slot_acquire(&s->models);
    t->model = t->served->model;
    /* An article is prepared for one model: the first request on a new generation prepares it
     * again. Compared by generation, since a new model may be allocated where an old one was. */
    if (t->articles_for != t->served->generation) {
        cli_article_cache_free(&t->articles);
        t->articles_for = t->served->generation;
    }
}

void serve_thread_release_model(serve_server *s, serve_thread *t)
{
    model_slot_release(&s->models, t->served);
    t->served = NULL;
    t->model = NULL;
}
