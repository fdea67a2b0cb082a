/* store.c - the blog's SQLite database (see store.h): schema, prepared statements and queries.
 *
 * Comments keep the classifier's view (model_label and the three probabilities, replaced when they
 * are scored again) apart from the moderator's (label, set only by a decision), so that training
 * data can tell human decisions from automatic ones. The schema version is PRAGMA user_version;
 * explanations (cg_explain) are to be stored beside the probabilities, in schema version 2. */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION 1

static const char schema[] =
    "CREATE TABLE posts (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  title TEXT NOT NULL,\n"
    "  body TEXT NOT NULL,\n"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))\n"
    ");\n"
    "CREATE VIEW articles (id, text) AS SELECT id, title || char(10, 10) || body FROM posts;\n"
    "CREATE TABLE comments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  post_id INTEGER NOT NULL REFERENCES posts (id),\n"
    "  author TEXT NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
    "  state TEXT NOT NULL CHECK (state IN ('approved', 'held', 'rejected')),\n"
    "  model_label TEXT NOT NULL CHECK (model_label IN ('on-topic', 'off-topic', 'abusive', 'unsure')),\n"
    "  p_on_topic REAL NOT NULL,\n"
    "  p_off_topic REAL NOT NULL,\n"
    "  p_abusive REAL NOT NULL,\n"
    "  label TEXT CHECK (label IN ('on-topic', 'off-topic', 'abusive')),\n"
    "  decided TEXT\n"
    ");\n"
    "CREATE INDEX comments_by_state ON comments (state);\n"
    "CREATE INDEX comments_by_post ON comments (post_id);\n"
    "PRAGMA user_version = 1;\n";

#define COMMENT_COLUMNS "id, post_id, author, text, state, model_label, p_on_topic, p_off_topic, p_abusive"

enum statement {
    BEGIN_WRITE,
    BEGIN_READ,
    COMMIT,
    ROLLBACK,
    ADD_POST,
    ARTICLE,
    ADD_COMMENT,
    UPDATE_CLASSIFICATION,
    DECIDE,
    COMMENT_PROBS,
    EACH_HELD,
    EACH_UNDECIDED,
    EACH_EXAMPLE,
    EACH_APPROVED,
    N_STATEMENTS
};

static const char *const statement_sql[N_STATEMENTS] = {
    [BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [BEGIN_READ] = "BEGIN",
    [COMMIT] = "COMMIT",
    [ROLLBACK] = "ROLLBACK",
    [ADD_POST] = "INSERT INTO posts (title, body) VALUES (?1, ?2)",
    [ARTICLE] = "SELECT text FROM articles WHERE id = ?1",
    [ADD_COMMENT] = "INSERT INTO comments (post_id, author, text, state, model_label, p_on_topic, p_off_topic,"
                    " p_abusive) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [UPDATE_CLASSIFICATION] = "UPDATE comments SET state = ?2, model_label = ?3, p_on_topic = ?4,"
                              " p_off_topic = ?5, p_abusive = ?6 WHERE id = ?1",
    [DECIDE] = "UPDATE comments SET state = ?2, label = ?3, decided = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
               " WHERE id = ?1",
    [COMMENT_PROBS] = "SELECT p_on_topic, p_off_topic, p_abusive FROM comments WHERE id = ?1",
    [EACH_HELD] = "SELECT " COMMENT_COLUMNS " FROM comments WHERE state = 'held' ORDER BY id",
    [EACH_UNDECIDED] = "SELECT " COMMENT_COLUMNS " FROM comments WHERE label IS NULL ORDER BY post_id, id",
    [EACH_EXAMPLE] = "SELECT coalesce(c.label, c.model_label), c.text, a.text, c.author FROM comments c"
                     " JOIN articles a ON a.id = c.post_id"
                     " WHERE c.label IS NOT NULL OR CASE c.model_label WHEN 'on-topic' THEN c.p_on_topic"
                     " WHEN 'off-topic' THEN c.p_off_topic WHEN 'abusive' THEN c.p_abusive END >= ?1"
                     " ORDER BY c.id",
    [EACH_APPROVED] = "SELECT text FROM (SELECT id, text FROM comments WHERE post_id = ?1 AND state = 'approved'"
                      " AND id < ?2 ORDER BY id DESC LIMIT ?3) ORDER BY id",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[N_STATEMENTS];
    char err[512];
};

static int fail(store *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
    return STORE_ERROR;
}

/* The statement, reset and unbound, ready for new parameters. */
static sqlite3_stmt *statement(store *s, enum statement which)
{
    sqlite3_stmt *st = s->stmt[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* Run a statement that returns no rows. */
static int run(store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? STORE_OK : fail(s, what);
    sqlite3_reset(st);
    return status;
}

static int user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Create the schema in a new database, or check the version of an existing one. */
static int check_schema(store *s, int create)
{
    int version;
    if (user_version(s->db, &version) < 0)
        return fail(s, "reading the schema version");
    if (create) {
        if (version != 0) {
            snprintf(s->err, sizeof s->err, "already a blog database");
            return STORE_ERROR;
        }
        if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            return fail(s, "creating the database");
        if (sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            fail(s, "creating the tables");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return STORE_ERROR;
        }
        version = SCHEMA_VERSION;
    }
    if (version != SCHEMA_VERSION) {
        snprintf(s->err, sizeof s->err, version == 0 ? "not a blog database (run init first)"
                                                     : "blog database of an unknown version %d", version);
        return STORE_ERROR;
    }
    return STORE_OK;
}

int store_open(const char *path, int create, store **out, char *err, size_t errlen)
{
    *out = NULL;
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int status = STORE_OK;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        status = fail(s, "opening the database");
    } else if (sqlite3_busy_timeout(s->db, 5000) != SQLITE_OK ||
               sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
        status = fail(s, "setting up the connection");
    } else {
        status = check_schema(s, create);
    }
    for (int i = 0; status == STORE_OK && i < N_STATEMENTS; i++)
        if (sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL) !=
            SQLITE_OK)
            status = fail(s, "preparing the queries");
    if (status != STORE_OK) {
        snprintf(err, errlen, "%s: %s", path, s->err);
        store_close(s);
        return status;
    }
    *out = s;
    return STORE_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < N_STATEMENTS; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

const char *store_error(const store *s)
{
    return s->err;
}

int store_begin_write(store *s)
{
    return run(s, statement(s, BEGIN_WRITE), "starting a transaction");
}

int store_begin_read(store *s)
{
    return run(s, statement(s, BEGIN_READ), "starting a transaction");
}

int store_commit(store *s)
{
    return run(s, statement(s, COMMIT), "committing");
}

void store_rollback(store *s)
{
    for (int i = 0; i < N_STATEMENTS; i++) /* no statement may be left reading */
        sqlite3_reset(s->stmt[i]);
    if (sqlite3_get_autocommit(s->db) == 0)
        run(s, statement(s, ROLLBACK), "rolling back");
}

int store_add_post(store *s, const char *title, const char *body, long long *id)
{
    sqlite3_stmt *st = statement(s, ADD_POST);
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
    int status = run(s, st, "adding the post");
    if (status == STORE_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return status;
}

int store_article(store *s, long long post_id, char **text, size_t *len)
{
    sqlite3_stmt *st = statement(s, ARTICLE);
    sqlite3_bind_int64(st, 1, post_id);
    int rc = sqlite3_step(st), status = STORE_OK;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        char *copy = malloc(n + 1);
        if (!t || !copy) {
            free(copy);
            snprintf(s->err, sizeof s->err, "out of memory");
            status = STORE_ERROR;
        } else {
            memcpy(copy, t, n + 1);
            *text = copy;
            *len = n;
        }
    } else if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no post %lld", post_id);
        status = STORE_NOT_FOUND;
    } else {
        status = fail(s, "reading the post");
    }
    sqlite3_reset(st);
    return status;
}

int store_each_approved(store *s, long long post_id, long long before_id, long long max, store_text_fn fn, void *ctx)
{
    sqlite3_stmt *st = statement(s, EACH_APPROVED);
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_int64(st, 2, before_id);
    sqlite3_bind_int64(st, 3, max);
    int rc, status = STORE_OK;
    while (status == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        status = fn(ctx, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    if (status == STORE_OK && rc != SQLITE_DONE)
        status = fail(s, "reading the approved comments");
    sqlite3_reset(st);
    return status;
}

/* Bind state, model label and probabilities from parameter `first` on. */
static void bind_classification(sqlite3_stmt *st, int first, const store_comment *c)
{
    sqlite3_bind_text(st, first, c->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, first + 1, c->model_label, -1, SQLITE_STATIC);
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        sqlite3_bind_double(st, first + 2 + k, c->prob[k]);
}

int store_add_comment(store *s, const store_comment *c, long long *id)
{
    sqlite3_stmt *st = statement(s, ADD_COMMENT);
    sqlite3_bind_int64(st, 1, c->post_id);
    sqlite3_bind_text(st, 2, c->author, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->text, (int)c->text_len, SQLITE_STATIC);
    bind_classification(st, 4, c);
    int status = run(s, st, "adding the comment");
    if (status == STORE_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return status;
}

/* Run an UPDATE of one comment: STORE_NOT_FOUND if there is no such comment. */
static int update_one(store *s, sqlite3_stmt *st, long long id, const char *what)
{
    int status = run(s, st, what);
    if (status == STORE_OK && sqlite3_changes(s->db) == 0) {
        snprintf(s->err, sizeof s->err, "no comment %lld", id);
        status = STORE_NOT_FOUND;
    }
    return status;
}

int store_update_classification(store *s, const store_comment *c)
{
    sqlite3_stmt *st = statement(s, UPDATE_CLASSIFICATION);
    sqlite3_bind_int64(st, 1, c->id);
    bind_classification(st, 2, c);
    return update_one(s, st, c->id, "updating the comment");
}

int store_decide(store *s, long long id, const char *state, const char *label)
{
    sqlite3_stmt *st = statement(s, DECIDE);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
    return update_one(s, st, id, "recording the decision");
}

/* The comment in the current row of a statement selecting COMMENT_COLUMNS. */
static void read_comment(sqlite3_stmt *st, store_comment *c)
{
    c->id = sqlite3_column_int64(st, 0);
    c->post_id = sqlite3_column_int64(st, 1);
    c->author = (const char *)sqlite3_column_text(st, 2);
    c->text = (const char *)sqlite3_column_text(st, 3);
    c->text_len = (size_t)sqlite3_column_bytes(st, 3);
    c->state = (const char *)sqlite3_column_text(st, 4);
    c->model_label = (const char *)sqlite3_column_text(st, 5);
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        c->prob[k] = sqlite3_column_double(st, 6 + k);
}

int store_comment_probs(store *s, long long id, double prob[CG_NUM_CLASSES])
{
    sqlite3_stmt *st = statement(s, COMMENT_PROBS);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), status = STORE_OK;
    if (rc == SQLITE_ROW) {
        for (int k = 0; k < CG_NUM_CLASSES; k++)
            prob[k] = sqlite3_column_double(st, k);
    } else if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no comment %lld", id);
        status = STORE_NOT_FOUND;
    } else {
        status = fail(s, "reading the comment");
    }
    sqlite3_reset(st);
    return status;
}

/* Step a statement selecting COMMENT_COLUMNS, calling fn for each row. */
static int each_comment(store *s, sqlite3_stmt *st, store_comment_fn fn, void *ctx)
{
    int rc = SQLITE_DONE, status = STORE_OK;
    while (status == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_comment c;
        read_comment(st, &c);
        status = fn(ctx, &c);
    }
    if (status == STORE_OK && rc != SQLITE_DONE)
        status = fail(s, "reading the comments");
    sqlite3_reset(st);
    return status;
}

int store_each_held(store *s, store_comment_fn fn, void *ctx)
{
    return each_comment(s, statement(s, EACH_HELD), fn, ctx);
}

int store_each_undecided(store *s, store_comment_fn fn, void *ctx)
{
    return each_comment(s, statement(s, EACH_UNDECIDED), fn, ctx);
}

int store_each_example(store *s, double min_prob, store_example_fn fn, void *ctx)
{
    sqlite3_stmt *st = statement(s, EACH_EXAMPLE);
    sqlite3_bind_double(st, 1, min_prob);
    int rc = SQLITE_DONE, status = STORE_OK;
    while (status == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        status = fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                    (size_t)sqlite3_column_bytes(st, 1), (const char *)sqlite3_column_text(st, 2),
                    (size_t)sqlite3_column_bytes(st, 2), (const char *)sqlite3_column_text(st, 3));
    if (status == STORE_OK && rc != SQLITE_DONE)
        status = fail(s, "reading the comments");
    sqlite3_reset(st);
    return status;
}
