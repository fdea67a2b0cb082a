/* node_blocks.c - the memory behind training vectors: blocks that never move, in huge pages. */
#define _GNU_SOURCE /* MADV_HUGEPAGE */
#include "node_blocks.h"

#include <stdlib.h>
#include <sys/mman.h>

/* Vectors live in blocks of BLOCK_NODES nodes that never move (so x[i] can point into them) and
 * sit in 2 MiB pages where the kernel allows: filling hundreds of megabytes of fresh 4 KiB pages
 * costs a page fault each, which dominated extraction. */
#define BLOCK_NODES ((size_t)4 << 20)

typedef struct node_block {
    struct node_block *next;
    size_t used, cap;
    struct svm_node nodes[];
} node_block;

static node_block *new_block(size_t cap, node_block *next)
{
    enum { HUGE_PAGE = 2 * 1024 * 1024 };
    size_t bytes = sizeof(node_block) + cap * sizeof(struct svm_node);
    void *mem = NULL;
    if (posix_memalign(&mem, HUGE_PAGE, bytes) != 0)
        return NULL;
    madvise(mem, bytes, MADV_HUGEPAGE);
    node_block *block = mem;
    block->next = next;
    block->used = 0;
    block->cap = cap;
    return block;
}

struct svm_node *cg_nodes_reserve(void **blocks, size_t n)
{
    node_block *block = *blocks;
    if (!block || block->cap - block->used < n) {
        block = new_block(n > BLOCK_NODES ? n : BLOCK_NODES, block);
        if (!block)
            return NULL;
        *blocks = block;
    }
    struct svm_node *at = block->nodes + block->used;
    block->used += n;
    return at;
}

void cg_nodes_free(void *blocks)
{
    for (node_block *b = blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
}
