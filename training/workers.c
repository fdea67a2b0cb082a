/* workers.c - running independent training tasks in parallel worker processes. */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "workers.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void *cg_shared_alloc(size_t bytes)
{
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void cg_shared_free(void *p, size_t bytes)
{
    if (p)
        munmap(p, bytes ? bytes : 1);
}

/* What a worker tells the parent about one task: which, and how it ended. */
typedef struct task_report {
    int task;
    int status; /* a cg_status */
} task_report;

static cg_status run_one(int task, unsigned seed, cg_task_fn run, void *ctx)
{
    srand(seed * 2654435761u + (unsigned)task);
    return run(ctx, task);
}

static cg_status run_here(int n_tasks, unsigned seed, cg_task_fn run, cg_task_done_fn done, void *ctx)
{
    for (int t = 0; t < n_tasks; t++) {
        cg_status st = run_one(t, seed, run, ctx);
        if (st != CG_OK)
            return st;
        if (done)
            done(ctx, t, t + 1);
    }
    return CG_OK;
}

/* A worker: take the next task from the shared counter until none is left; report each on fd. */
static void work(atomic_int *next, int n_tasks, unsigned seed, cg_task_fn run, void *ctx, int fd)
{
    for (;;) {
        int task = atomic_fetch_add(next, 1);
        if (task >= n_tasks)
            _exit(0);
        task_report r = {task, run_one(task, seed, run, ctx)};
        /* A report is far smaller than PIPE_BUF: written whole or not at all. */
        if (write(fd, &r, sizeof r) != (ssize_t)sizeof r || r.status != CG_OK)
            _exit(1);
    }
}

cg_status cg_run_tasks(int n_tasks, int workers, unsigned seed, cg_task_fn run, cg_task_done_fn done, void *ctx)
{
    if (workers > n_tasks)
        workers = n_tasks;
    if (workers <= 1)
        return run_here(n_tasks, seed, run, done, ctx);
    atomic_int *next = cg_shared_alloc(sizeof *next);
    int fd[2];
    if (!next || pipe(fd) != 0) {
        cg_shared_free(next, sizeof *next);
        return run_here(n_tasks, seed, run, done, ctx);
    }
    pid_t *pids = calloc((size_t)workers, sizeof *pids);
    int started = 0;
    for (int w = 0; pids && w < workers; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(fd[0]);
            work(next, n_tasks, seed, run, ctx, fd[1]);
        }
        if (pid > 0)
            pids[started++] = pid;
    }
    close(fd[1]);
    cg_status st = CG_OK;
    int finished = 0;
    task_report r;
    ssize_t got;
    while ((got = read(fd[0], &r, sizeof r)) == (ssize_t)sizeof r || (got < 0 && errno == EINTR)) {
        if (got < 0)
            continue;
        if (r.status != CG_OK) {
            if (st == CG_OK)
                st = (cg_status)r.status;
            continue;
        }
        finished++;
        if (done)
            done(ctx, r.task, finished);
    }
    close(fd[0]);
    for (int w = 0; w < started; w++)
        while (waitpid(pids[w], NULL, 0) < 0 && errno == EINTR)
            ;
    free(pids);
    /* With no worker started, the tasks left (all of them) run here. */
    if (started == 0 && st == CG_OK)
        st = run_here(n_tasks, seed, run, done, ctx);
    else if (st == CG_OK && finished < n_tasks)
        st = CG_ERR_NOMEM; /* a worker died before reporting its task */
    cg_shared_free(next, sizeof *next);
    return st;
}
