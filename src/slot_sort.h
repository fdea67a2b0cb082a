/* slot_sort.h - the hashed slots a text touched, in ascending order (slot_sort.c): the order of a
 * vector's nodes (extract.c) and of an article's block, whose norm is summed in that order so that it
 * does not depend on the order of the text (relevance.c). */
#ifndef CG_SLOT_SORT_H
#define CG_SLOT_SORT_H

#include <stdint.h>

#include "workspace.h"

/* ws->touched[0..n_touched), each below 2^hash_bits, in ascending order in *sorted (ws->touched itself
 * or ws->sort_tmp, valid until the workspace's next text): CG_OK, or CG_ERR_NOMEM if the room to
 * sort could not grow. */
cg_status cg_sort_touched(cg_workspace *ws, unsigned hash_bits, const uint32_t **sorted);

#endif
