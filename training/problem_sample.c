/* problem_sample.c - a view of a training problem made of some of its threads (cg_problem_sample). */
#include "problem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

cg_status cg_problem_sample(const cg_problem *p, size_t rows, unsigned seed, cg_problem *view)
{
    memset(view, 0, sizeof *view);
    view->dim = p->dim;
    view->bias = p->bias;
    size_t *new_row = malloc((p->n_rows + 1) * sizeof *new_row);
    view->row_group = malloc((p->n_rows + 1) * sizeof *view->row_group);
    view->x = malloc((p->n + 1) * sizeof *view->x);
    view->y = malloc((p->n + 1) * sizeof *view->y);
    view->row = malloc((p->n + 1) * sizeof *view->row);
    view->is_derived = malloc(p->n + 1);
    if (!new_row || !view->row_group || !view->x || !view->y || !view->row || !view->is_derived) {
        free(new_row);
        cg_problem_free(view);
        return CG_ERR_NOMEM;
    }
    /* A group is kept when a hash of its first row, as a fraction of 2^64, falls below the share
     * wanted: a deterministic draw that keeps threads whole. */
    double share = (double)rows / (double)p->n_rows;
    for (size_t r = 0; r < p->n_rows; r++) {
        uint64_t h = ((uint64_t)p->row_group[r] + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 32);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
        new_row[r] = SIZE_MAX;
        if ((double)h < share * 18446744073709551616.0) {
            new_row[r] = view->n_rows;
            /* A group's first row comes first, so its new index is known by now. */
            view->row_group[view->n_rows++] = new_row[p->row_group[r]];
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        size_t r = new_row[p->row[i]];
        if (r == SIZE_MAX)
            continue;
        view->x[view->n] = p->x[i];
        view->y[view->n] = p->y[i];
        view->row[view->n] = r;
        view->is_derived[view->n++] = p->is_derived[i];
        for (const struct svm_node *x = p->x[i]; x->index != -1 && x->index <= p->dim; x++)
            view->nnz++;
    }
    free(new_row);
    return CG_OK;
}
