/* test_akismet_stats.c - the counts behind Akismet's get-stats (src/serve/akismet_stats.c): per
 * key and day, summed over a range of days, kept in the database file across reopening. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "akismet_stats.h"

#define DAY 86400

static void count(akismet_stats *st, const char *key, akismet_event e, time_t when)
{
    char err[300];
    cr_assert_eq(akismet_stats_count(st, key, e, when, err, sizeof err), 0, "%s", err);
}

static akismet_totals totals(akismet_stats *st, const char *key, time_t since)
{
    akismet_totals t;
    char err[300];
    cr_assert_eq(akismet_stats_totals(st, key, since, &t, err, sizeof err), 0, "%s", err);
    return t;
}

Test(akismet_stats, per_key_and_range)
{
    akismet_stats *st;
    char err[300];
    cr_assert_eq(akismet_stats_open(NULL, &st, err, sizeof err), 0, "%s", err);
    time_t day100 = 100 * (time_t)DAY, day300 = 300 * (time_t)DAY + 3600;
    count(st, "k1", STATS_SPAM, day100);
    count(st, "k1", STATS_SPAM, day300);
    count(st, "k1", STATS_SPAM, day300 + 60);
    count(st, "k1", STATS_HAM, day300);
    count(st, "k1", STATS_MISSED_SPAM, day100 + 5);
    count(st, "k1", STATS_FALSE_POSITIVE, day300);
    count(st, "k2", STATS_HAM, day300);
    akismet_totals t = totals(st, "k1", 0);
    cr_assert_eq(t.spam, 3);
    cr_assert_eq(t.ham, 1);
    cr_assert_eq(t.missed_spam, 1);
    cr_assert_eq(t.false_positives, 1);
    t = totals(st, "k1", day300 - 10 * DAY);
    cr_assert(t.spam == 2 && t.ham == 1 && t.missed_spam == 0 && t.false_positives == 1, "from day 290");
    t = totals(st, "k1", day300);
    cr_assert_eq(t.spam, 2, "the whole first day of the range counts");
    t = totals(st, "k2", 0);
    cr_assert(t.spam == 0 && t.ham == 1 && t.missed_spam == 0 && t.false_positives == 0);
    t = totals(st, "nobody", 0);
    cr_assert(t.spam == 0 && t.ham == 0 && t.missed_spam == 0 && t.false_positives == 0);
    akismet_stats_close(st);
}

Test(akismet_stats, kept_in_the_file)
{
    char dir[] = "/tmp/cg_stats_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/state.db", dir);
    akismet_stats *st;
    char err[300];
    cr_assert_eq(akismet_stats_open(path, &st, err, sizeof err), 0, "%s", err);
    struct stat info;
    cr_assert_eq(stat(path, &info), 0);
    cr_assert_eq(info.st_mode & 0777, 0600, "the file is private");
    count(st, "k", STATS_SPAM, 5 * (time_t)DAY);
    akismet_stats_close(st);
    cr_assert_eq(akismet_stats_open(path, &st, err, sizeof err), 0, "%s", err);
    count(st, "k", STATS_SPAM, 6 * (time_t)DAY);
    cr_assert_eq(totals(st, "k", 0).spam, 2);
    akismet_stats_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(akismet_stats, unusable_files)
{
    akismet_stats *st = (akismet_stats *)1;
    char err[300];
    cr_assert_eq(akismet_stats_open("/nonexistent-dir/state.db", &st, err, sizeof err), -1);
    cr_assert_null(st);
    cr_assert(strstr(err, "/nonexistent-dir/state.db") != NULL, "%s", err);
    char dir[] = "/tmp/cg_stats_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/not-sqlite", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("this is not an SQLite database, but a text file long enough to have a header.\n", f);
    fclose(f);
    cr_assert_eq(akismet_stats_open(path, &st, err, sizeof err), -1);
    cr_assert(strstr(err, "not-sqlite") != NULL, "%s", err);
    unlink(path);
    rmdir(dir);
}
