/* node_blocks.h - the memory behind training vectors: blocks that never move, in huge pages. */
#ifndef CG_NODE_BLOCKS_H
#define CG_NODE_BLOCKS_H

#include <stddef.h>
#include <svm.h>

/* Room for n nodes in one piece from the list of blocks *blocks (NULL to start one), valid until
 * cg_nodes_free; NULL if out of memory. */
struct svm_node *cg_nodes_reserve(void **blocks, size_t n);

void cg_nodes_free(void *blocks);

#endif
