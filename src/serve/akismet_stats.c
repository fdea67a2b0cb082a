/* akismet_stats.c - the counts behind Akismet's get-stats, kept in SQLite: one row per key and
 * UTC day, so that "the last six months" is a range of rows and the table stays small (a busy
 * key adds one row a day). Every count is its own transaction in WAL mode, so a crash loses at
 * most the count being written; one connection serves all threads, its statements guarded by a
 * mutex (a count is a few microseconds beside the classification it follows). */
#define _POSIX_C_SOURCE 200809L
#include "akismet_stats.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct akismet_stats {
    sqlite3 *db;
    sqlite3_stmt *count[4]; /* one upsert per akismet_event */
    sqlite3_stmt *totals;
    pthread_mutex_t lock;
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS akismet_counts ("
    " key TEXT NOT NULL,"
    " day INTEGER NOT NULL," /* days since 1970-01-01, UTC */
    " ham INTEGER NOT NULL DEFAULT 0,"
    " spam INTEGER NOT NULL DEFAULT 0,"
    " missed_spam INTEGER NOT NULL DEFAULT 0,"
    " false_positives INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (key, day)) WITHOUT ROWID;";

static const char *const columns[4] = {"ham", "spam", "missed_spam", "false_positives"};

void akismet_stats_close(akismet_stats *st)
{
    if (!st)
        return;
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(st->count[i]);
    sqlite3_finalize(st->totals);
    sqlite3_close(st->db);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

int akismet_stats_open(const char *path, akismet_stats **out, char *err, size_t errlen)
{
    *out = NULL;
    const char *name = path ? path : ":memory:";
    if (path) { /* created here, so that SQLite finds it private rather than making it 0644 */
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        close(fd);
    }
    akismet_stats *st = calloc(1, sizeof *st);
    if (!st || pthread_mutex_init(&st->lock, NULL) != 0) {
        free(st);
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    int rc = sqlite3_open_v2(name, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(st->db, 5000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, schema, NULL, NULL, NULL);
    for (int i = 0; rc == SQLITE_OK && i < 4; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO akismet_counts (key, day, %s) VALUES (?1, ?2, 1)"
                 " ON CONFLICT (key, day) DO UPDATE SET %s = %s + 1",
                 columns[i], columns[i], columns[i]);
        rc = sqlite3_prepare_v2(st->db, sql, -1, &st->count[i], NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db,
                                "SELECT coalesce(sum(ham), 0), coalesce(sum(spam), 0), coalesce(sum(missed_spam), 0),"
                                " coalesce(sum(false_positives), 0)"
                                " FROM akismet_counts WHERE key = ?1 AND day >= ?2",
                                -1, &st->totals, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", name, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        akismet_stats_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

static sqlite3_int64 day_of(time_t t)
{
    return (sqlite3_int64)(t / 86400);
}

int akismet_stats_count(akismet_stats *st, const char *key, akismet_event e, time_t when, char *err, size_t errlen)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = st->count[e];
    int rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 2, day_of(when));
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        snprintf(err, errlen, "counting for get-stats: %s", sqlite3_errmsg(st->db));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    pthread_mutex_unlock(&st->lock);
    return rc == SQLITE_DONE ? 0 : -1;
}

int akismet_stats_totals(akismet_stats *st, const char *key, time_t since, akismet_totals *out, char *err,
                         size_t errlen)
{
    *out = (akismet_totals){0};
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = st->totals;
    int rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 2, since ? day_of(since) : 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->ham = sqlite3_column_int64(s, 0);
        out->spam = sqlite3_column_int64(s, 1);
        out->missed_spam = sqlite3_column_int64(s, 2);
        out->false_positives = sqlite3_column_int64(s, 3);
    } else {
        snprintf(err, errlen, "reading the counts for get-stats: %s", sqlite3_errmsg(st->db));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    pthread_mutex_unlock(&st->lock);
    return rc == SQLITE_ROW ? 0 : -1;
}
