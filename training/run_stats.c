/* run_stats.c - progress lines, wall time and peak memory, for training's summaries. */
#define _POSIX_C_SOURCE 200809L
#include "run_stats.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

double cg_seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

long cg_peak_rss_kb(void)
{
    struct rusage self, children;
    long peak = getrusage(RUSAGE_SELF, &self) == 0 ? self.ru_maxrss : -1;
    if (getrusage(RUSAGE_CHILDREN, &children) == 0 && children.ru_maxrss > peak)
        peak = children.ru_maxrss;
    return peak;
}

void cg_progressf(void (*progress)(void *ctx, const char *line), void *ctx, const char *fmt, ...)
{
    if (!progress)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    progress(ctx, line);
}
