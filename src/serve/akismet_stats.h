/* akismet_stats.h - what the Akismet API of `commentguard serve` counts per key, for get-stats
 * (akismet_stats.c): comment-checks answered spam and not spam, and the moderators' corrections. */
#ifndef CG_SERVE_AKISMET_STATS_H
#define CG_SERVE_AKISMET_STATS_H

#include <stddef.h>
#include <time.h>

typedef struct akismet_stats akismet_stats;

typedef enum akismet_event {
    STATS_HAM,            /* comment-check answered "false" */
    STATS_SPAM,           /* comment-check answered "true" */
    STATS_MISSED_SPAM,    /* submit-spam: a comment the server let through */
    STATS_FALSE_POSITIVE, /* submit-ham: a comment the server called spam, or a moderator did */
} akismet_event;

typedef struct akismet_totals {
    long long ham, spam, missed_spam, false_positives;
} akismet_totals;

/* Open (creating it, readable by its owner only) the SQLite database at path, or an in-memory one
 * when path is NULL (counts then last as long as the server): 0, or -1 with the reason in err. */
int akismet_stats_open(const char *path, akismet_stats **out, char *err, size_t errlen);

void akismet_stats_close(akismet_stats *st);

/* Count one event for key on the day of `when` (UTC). Safe from any thread. 0, or -1 with the
 * reason in err. */
int akismet_stats_count(akismet_stats *st, const char *key, akismet_event e, time_t when, char *err, size_t errlen);

/* The totals for key over the days from `since` (UTC; 0: all of them). Safe from any thread.
 * 0, or -1 with the reason in err. */
int akismet_stats_totals(akismet_stats *st, const char *key, time_t since, akismet_totals *out, char *err,
                         size_t errlen);

#endif
