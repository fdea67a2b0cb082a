/* model_slot.h - the model `commentguard serve` answers with, replaced while it serves
 * (model_slot.c): each request holds the generation it started with until it has answered. */
#ifndef CG_SERVE_MODEL_SLOT_H
#define CG_SERVE_MODEL_SLOT_H

#include <pthread.h>
#include <stddef.h>

#include "commentguard.h"

/* One generation of the served model: immutable while held. */
typedef struct served_model {
    cg_model *model;
    unsigned generation; /* 0 for the model the server started with, one more per swap */
    size_t site_rows;    /* the site's rows it was adapted to (0: none) */
    unsigned refs;       /* the slot's reference while current, plus one per holder */
} served_model;

typedef struct model_slot {
    pthread_mutex_t lock; /* held only to count a holder in or out, or to swap */
    served_model *current;
} model_slot;

/* Start with `model` (taken over) as generation 0: 0, or -1 if out of resources (the model is
 * then still the caller's). */
int model_slot_init(model_slot *slot, cg_model *model, size_t site_rows);

/* Call once nothing holds a generation any more; frees the current model. */
void model_slot_destroy(model_slot *slot);

/* The current generation, held until model_slot_release. */
const served_model *model_slot_acquire(model_slot *slot);
void model_slot_release(model_slot *slot, const served_model *m);

/* Make `model` (taken over) the current generation; the previous one is freed by whoever releases
 * it last. Returns the new generation's number, or -1 if out of memory (the model is then still
 * the caller's and the previous generation stays). */
long model_slot_swap(model_slot *slot, cg_model *model, size_t site_rows);

#endif
