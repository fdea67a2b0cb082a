/* run_stats.h - progress lines, wall time and peak memory, for training's summaries. */
#ifndef CG_RUN_STATS_H
#define CG_RUN_STATS_H

/* Seconds on a monotonic clock. */
double cg_seconds_now(void);

/* The peak resident memory in KiB of the largest process: this one, or the largest of its
 * finished children (training's workers). */
long cg_peak_rss_kb(void);

/* Format one progress line and hand it to progress(ctx, line); nothing if progress is NULL. */
void cg_progressf(void (*progress)(void *ctx, const char *line), void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
