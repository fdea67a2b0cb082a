/* near_copy.h - near-copies of corrected comments: spam comes in campaigns, the same text with a
 * few words changed, so a comment that is a near-copy of one a moderator corrected gets that
 * correction's verdict at once, before any retraining. The index of recent corrections
 * (near_copy.c), shared by the request threads; sketches in near_copy_sketch.h, the index kept in a
 * file in near_copy_file.h. */
#ifndef CG_SERVE_NEAR_COPY_H
#define CG_SERVE_NEAR_COPY_H

#include <stddef.h>

#include "commentguard.h"
#include "near_copy_sketch.h"

typedef struct near_copy_index near_copy_index;

typedef struct near_copy_entry {
    long id;           /* the correction's number, counted up across restarts */
    char received[24]; /* when it was made, "YYYY-MM-DDTHH:MM:SSZ" */
    cg_label label;    /* the label it was kept as */
} near_copy_entry;

typedef struct near_copy_match {
    near_copy_entry entry;
    double similarity;
} near_copy_match;

/* An empty index holding at most `capacity` corrections (the oldest give way); NULL if out of
 * memory. */
near_copy_index *near_copy_new(size_t capacity);
void near_copy_free(near_copy_index *x);

/* Add a correction (e->id at least 1) with its sketch; one whose text has the same shingles as an
 * earlier correction replaces it. A sketch too short to be matched is not added. */
void near_copy_add(near_copy_index *x, const near_copy_entry *e, const near_copy_sketch *s);

/* The correction most similar to the sketched text (the newest among equals), if it reaches
 * NEAR_COPY_THRESHOLD: 1 with *out filled in, else 0. */
int near_copy_find(near_copy_index *x, const near_copy_sketch *s, near_copy_match *out);

/* Call `each` with every correction held, oldest first (under the index's read lock). */
void near_copy_each(near_copy_index *x, void (*each)(void *arg, const near_copy_entry *e, const near_copy_sketch *s),
                    void *arg);

/* The number of corrections held, and the largest id ever added (0 if none). */
size_t near_copy_count(near_copy_index *x);
long near_copy_last_id(near_copy_index *x);

#endif
