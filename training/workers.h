/* workers.h - running independent training tasks in parallel worker processes. */
#ifndef CG_WORKERS_H
#define CG_WORKERS_H

#include <stddef.h>

#include "commentguard.h"

/*
 * Both solvers draw their shuffles from rand(), one sequence per process: tasks sharing a process
 * (threads) would take each other's numbers in whatever order the scheduler gives, and the model
 * would depend on it. So each task runs in a worker process of its own (forked: the training
 * vectors are shared copy-on-write, never copied), seeds rand() from its task number, and leaves
 * its results in memory shared with the parent (cg_shared_alloc). Same tasks, same results, for
 * any number of workers.
 */

/* Runs task `task` and returns CG_OK, or the error that stops the run. */
typedef cg_status (*cg_task_fn)(void *ctx, int task);
/* Called in the parent as each task ends, in the order they end, with the number done so far. */
typedef void (*cg_task_done_fn)(void *ctx, int task, int done);

/* Run tasks 0..n_tasks-1 on `workers` processes (1: in this process). Returns the first error of a
 * task, CG_ERR_NOMEM if a worker died (e.g. killed for memory), or CG_OK. */
cg_status cg_run_tasks(int n_tasks, int workers, unsigned seed, cg_task_fn run, cg_task_done_fn done, void *ctx);

/* Zeroed memory that worker processes write and the parent reads; NULL if none could be had. */
void *cg_shared_alloc(size_t bytes);
void cg_shared_free(void *p, size_t bytes);

#endif
