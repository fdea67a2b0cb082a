/* near_copy_file.h - the near-copy index of `serve --learn DIR`, kept in DIR/near-copies.jsonl
 * (near_copy_file.c). */
#ifndef CG_SERVE_NEAR_COPY_FILE_H
#define CG_SERVE_NEAR_COPY_FILE_H

#include <stddef.h>

#include "commentguard.h"
#include "near_copy.h"

typedef struct near_copies near_copies;

/* Open DIR's index file (created if missing) into an index of at most `capacity` corrections: 0,
 * or -1 with "path:line: reason" in err. A last line left unfinished by a crash is cut off first
 * (*cut: its bytes). */
int near_copies_open(const char *dir, size_t capacity, near_copies **out, size_t *cut, char *err, size_t errlen);
void near_copies_close(near_copies *n);

/* The correction text[0..len) is a near-copy of: 1 with *m filled in, else 0. */
int near_copies_find(near_copies *n, const char *text, size_t len, near_copy_match *m);

/* Record that text[0..len) was corrected to `label`: appended to the file and synced, then added
 * to the index (a text too short to be matched is neither). 0; 1 when the correction is kept but
 * the file could not be compacted (the reason in err; it stays longer until the next try); -1 with
 * the reason in err when it could not be kept. Safe to call from several threads at once. */
int near_copies_add(near_copies *n, const char *text, size_t len, cg_label label, char *err, size_t errlen);

/* The number of corrections held. */
size_t near_copies_count(near_copies *n);

#endif
