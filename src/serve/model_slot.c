/* model_slot.c - the served model, swapped between requests.
 *
 * The same scheme as the articles table (articles.c): each generation is reference-counted; a
 * request takes the current one under the lock (only long enough to count itself in) and
 * classifies with it without locking; a swap puts a new generation in place under the lock, and
 * the previous one is freed by the last request to release it, so that requests in flight finish
 * on the model they started with and none waits for the swap or fails because of it. */
#define _POSIX_C_SOURCE 200809L
#include "model_slot.h"

#include <stdlib.h>

int model_slot_init(model_slot *slot, cg_model *model, size_t site_rows)
{
    served_model *m = calloc(1, sizeof *m);
    if (!m || pthread_mutex_init(&slot->lock, NULL) != 0) {
        free(m);
        return -1;
    }
    *m = (served_model){.model = model, .site_rows = site_rows, .refs = 1};
    slot->current = m;
    return 0;
}

static void drop(served_model *m)
{
    cg_model_free(m->model);
    free(m);
}

void model_slot_destroy(model_slot *slot)
{
    drop(slot->current);
    slot->current = NULL;
    pthread_mutex_destroy(&slot->lock);
}

const served_model *model_slot_acquire(model_slot *slot)
{
    pthread_mutex_lock(&slot->lock);
    served_model *m = slot->current;
    m->refs++;
    pthread_mutex_unlock(&slot->lock);
    return m;
}

void model_slot_release(model_slot *slot, const served_model *held)
{
    served_model *m = (served_model *)held;
    pthread_mutex_lock(&slot->lock);
    int last = --m->refs == 0;
    pthread_mutex_unlock(&slot->lock);
    if (last)
        drop(m); /* out of the lock: freeing a model takes a while */
}

long model_slot_swap(model_slot *slot, cg_model *model, size_t site_rows)
{
    served_model *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    pthread_mutex_lock(&slot->lock);
    served_model *old = slot->current;
    *m = (served_model){.model = model, .generation = old->generation + 1, .site_rows = site_rows, .refs = 1};
    slot->current = m;
    int last = --old->refs == 0;
    pthread_mutex_unlock(&slot->lock);
    if (last)
        drop(old);
    return (long)m->generation;
}
