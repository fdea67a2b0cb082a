/* run_stats.h - wall time and peak memory, for training's progress lines and summaries. */
#ifndef CG_RUN_STATS_H
#define CG_RUN_STATS_H

/* Seconds on a monotonic clock. */
double cg_seconds_now(void);

/* The peak resident memory in KiB of the largest process: this one, or the largest of its
 * finished children (training's workers). */
long cg_peak_rss_kb(void);

#endif
