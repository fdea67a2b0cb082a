/* resources.c - what the subcommands take from the machine and the library: the default worker
 * count, the clock, and the model, opened with the error message every subcommand prints. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "resources.h"

int cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > CLI_MAX_THREADS ? CLI_MAX_THREADS : (int)n;
}

int cli_open_model(const char *cmd, const char *dir, cg_model **out)
{
    char err[512];
    cg_status st = cg_model_open(dir, out, err, sizeof err);
    if (st == CG_OK)
        return 0;
    fprintf(stderr, "commentguard: %s: cannot load the model%s%s: %s\n", cmd, dir ? " in " : "", dir ? dir : "",
            *err ? err : cg_strerror(st));
    return CLI_USAGE;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
