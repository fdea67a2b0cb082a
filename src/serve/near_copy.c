/* near_copy.c - the index of recent corrections that near-copies are looked up in.
 *
 * A ring of `capacity` slots, each a correction and its sketch; when it is full the oldest slot is
 * reused. Candidates are found through a hash table from each sketch hash to the slots holding it
 * (a node per hash of every slot, allocated once with the slots), so a lookup costs one probe per
 * hash of the new comment's sketch and one comparison per correction sharing a hash with it, not
 * a comparison with every correction. Request threads look up under a read lock; corrections are
 * added under the write lock. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "near_copy.h"

typedef struct node {
    uint64_t hash;
    struct node *next; /* in its bucket */
} node;

typedef struct slot {
    int used;
    near_copy_entry entry;
    near_copy_sketch sketch;
} slot;

struct near_copy_index {
    pthread_rwlock_t lock;
    slot *slots;
    node *nodes; /* NEAR_COPY_SKETCH per slot: slot i's j-th hash is nodes[i * NEAR_COPY_SKETCH + j] */
    node **buckets;
    size_t capacity, buckets_mask, next, count;
    long last_id;
};

near_copy_index *near_copy_new(size_t capacity)
{
    near_copy_index *x = calloc(1, sizeof *x);
    if (!x || capacity == 0)
        goto fail;
    size_t buckets = 1024;
    while (buckets < capacity * NEAR_COPY_SKETCH / 2)
        buckets *= 2;
    x->capacity = capacity;
    x->buckets_mask = buckets - 1;
    x->slots = calloc(capacity, sizeof *x->slots);
    x->nodes = calloc(capacity * NEAR_COPY_SKETCH, sizeof *x->nodes);
    x->buckets = calloc(buckets, sizeof *x->buckets);
    if (!x->slots || !x->nodes || !x->buckets || pthread_rwlock_init(&x->lock, NULL) != 0)
        goto fail;
    return x;
fail:
    if (x) {
        free(x->slots);
        free(x->nodes);
        free(x->buckets);
        free(x);
    }
    return NULL;
}

void near_copy_free(near_copy_index *x)
{
    if (!x)
        return;
    pthread_rwlock_destroy(&x->lock);
    free(x->slots);
    free(x->nodes);
    free(x->buckets);
    free(x);
}

static node **bucket_of(near_copy_index *x, uint64_t hash)
{
    /* The hashes are XXH3 outputs: their low bits are already uniform. */
    return &x->buckets[hash & x->buckets_mask];
}

static size_t slot_of(const near_copy_index *x, const node *n)
{
    return (size_t)(n - x->nodes) / NEAR_COPY_SKETCH;
}

static void unlink_slot(near_copy_index *x, size_t i)
{
    slot *sl = &x->slots[i];
    if (!sl->used)
        return;
    for (unsigned j = 0; j < sl->sketch.n; j++) {
        node *mine = &x->nodes[i * NEAR_COPY_SKETCH + j];
        for (node **p = bucket_of(x, mine->hash); *p; p = &(*p)->next)
            if (*p == mine) {
                *p = mine->next;
                break;
            }
    }
    sl->used = 0;
    x->count--;
}

/* The best match for s (the newest among equals), whatever its similarity: its slot, or -1 if no
 * correction shares a hash with s. */
static long best_slot(near_copy_index *x, const near_copy_sketch *s, double *similarity)
{
    unsigned short *shared = calloc(x->capacity, sizeof *shared);
    long best = -1;
    *similarity = 0;
    if (!shared)
        return -1; /* out of memory: nothing found, the model alone judges */
    for (unsigned j = 0; j < s->n; j++)
        for (const node *n = *bucket_of(x, s->hash[j]); n; n = n->next)
            if (n->hash == s->hash[j])
                shared[slot_of(x, n)]++;
    for (size_t i = 0; i < x->capacity; i++) {
        const slot *sl = &x->slots[i];
        if (!shared[i] || !sl->used)
            continue;
        /* Two whole sets with a Jaccard similarity t share at least t times the larger one. */
        unsigned larger = s->n > sl->sketch.n ? s->n : sl->sketch.n;
        int whole = s->n == s->shingles && sl->sketch.n == sl->sketch.shingles;
        if (whole && shared[i] < NEAR_COPY_THRESHOLD * larger)
            continue;
        double sim = near_copy_similarity(s, &sl->sketch);
        if (sim > *similarity || (sim == *similarity && best >= 0 && sl->entry.id > x->slots[best].entry.id)) {
            *similarity = sim;
            best = (long)i;
        }
    }
    free(shared);
    return best;
}

int near_copy_find(near_copy_index *x, const near_copy_sketch *s, near_copy_match *out)
{
    if (s->shingles < NEAR_COPY_MIN_SHINGLES)
        return 0;
    pthread_rwlock_rdlock(&x->lock);
    double sim;
    long i = best_slot(x, s, &sim);
    int found = i >= 0 && sim >= NEAR_COPY_THRESHOLD;
    if (found) {
        out->entry = x->slots[i].entry;
        out->similarity = sim;
    }
    pthread_rwlock_unlock(&x->lock);
    return found;
}

void near_copy_add(near_copy_index *x, const near_copy_entry *e, const near_copy_sketch *s)
{
    if (s->shingles < NEAR_COPY_MIN_SHINGLES)
        return;
    pthread_rwlock_wrlock(&x->lock);
    double sim;
    long same = best_slot(x, s, &sim);
    if (same >= 0 && sim == 1 && x->slots[same].sketch.shingles == s->shingles)
        unlink_slot(x, (size_t)same); /* the same text corrected again: the newer correction stands */
    size_t i = x->next;
    unlink_slot(x, i);
    slot *sl = &x->slots[i];
    sl->entry = *e;
    sl->sketch = *s;
    sl->used = 1;
    for (unsigned j = 0; j < s->n; j++) {
        node *n = &x->nodes[i * NEAR_COPY_SKETCH + j];
        node **b = bucket_of(x, s->hash[j]);
        n->hash = s->hash[j];
        n->next = *b;
        *b = n;
    }
    x->next = (i + 1) % x->capacity;
    x->count++;
    if (e->id > x->last_id)
        x->last_id = e->id;
    pthread_rwlock_unlock(&x->lock);
}

void near_copy_each(near_copy_index *x, void (*each)(void *arg, const near_copy_entry *e, const near_copy_sketch *s),
                    void *arg)
{
    pthread_rwlock_rdlock(&x->lock);
    for (size_t k = 0; k < x->capacity; k++) {
        const slot *sl = &x->slots[(x->next + k) % x->capacity]; /* from the oldest slot on */
        if (sl->used)
            each(arg, &sl->entry, &sl->sketch);
    }
    pthread_rwlock_unlock(&x->lock);
}

size_t near_copy_count(near_copy_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    size_t n = x->count;
    pthread_rwlock_unlock(&x->lock);
    return n;
}

long near_copy_last_id(near_copy_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    long id = x->last_id;
    pthread_rwlock_unlock(&x->lock);
    return id;
}
