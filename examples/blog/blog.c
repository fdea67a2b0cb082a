/* blog.c - a small blog backend that moderates its comments with libcommentguard.
 *
 * Posts and comments live in an SQLite database (store.c). A new comment is classified against its
 * post (moderate.c) and stored approved, held for a moderator, or rejected; moderators work
 * through the held queue, and their decisions, with the confident automatic ones, are exported as
 * training data for `commentguard train` (export.c), so that a site can retrain on its own
 * moderation history. This file reads the command line and runs one command. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commentguard.h"
#include "export.h"
#include "moderate.h"
#include "store.h"

static const char usage[] =
    "Usage: blog [--model DIR] [--min-prob P] [--thresholds SPEC] [--thread N] DB COMMAND [ARGS]\n"
    "A blog backend whose comments are moderated by commentguard; DB is its SQLite database.\n"
    "\n"
    "  init                          create the database\n"
    "  post TITLE BODY               add a post; prints its id\n"
    "  comment POST_ID AUTHOR TEXT   add a comment, classified against its post; prints\n"
    "                                id, state (approved, held, rejected), label, p(on-topic),\n"
    "                                p(off-topic), p(abusive), tab-separated\n"
    "  queue                         the held comments: id, post, author, label, the three\n"
    "                                probabilities and the text (\\\\ \\n \\t \\r escaped)\n"
    "  approve ID                    a moderator approves a comment (training label on-topic)\n"
    "  reject ID [off-topic|abusive] a moderator rejects a comment, as the class given (default:\n"
    "                                the likelier of the two)\n"
    "  rescore                       classify again every comment no moderator decided on (after\n"
    "                                retraining, say); prints each as `comment` does\n"
    "  export FILE                   write training data for `commentguard train` (JSON Lines):\n"
    "                                the moderators' decisions and the automatic labels with a\n"
    "                                probability of at least --min-prob\n"
    "\n"
    "  --model DIR    the model bundle (default: commentguard's default model)\n"
    "  --min-prob P   the least probability of an exported automatic label (default 0.9)\n"
    "  --thresholds SPEC  a comment is held unless its label's probability reaches the label's\n"
    "                 threshold: SPEC as `commentguard thresholds` prints it, e.g.\n"
    "                 on-topic=0.62,off-topic=0.4,abusive=0.71 (default: 0.5 for every class)\n"
    "  --thread N     judge a comment against its post and the latest N comments approved before\n"
    "                 it (default 0: the post alone)\n"
    "\n"
    "Exit status: 0 done, 1 failed (message on standard error), 2 usage error.\n";

enum { OK = 0, FAILED = 1, USAGE = 2 };

typedef struct options {
    const char *model_dir;
    double min_prob;
    double thresholds[CG_NUM_CLASSES];
    int has_thresholds; /* --thresholds was given */
    long long thread;   /* --thread */
} options;

/* A command: its name, how many arguments it takes, and what it does. */
typedef struct command {
    const char *name;
    int min_args, max_args;
    int create; /* opening the database creates it; nothing more to do */
    int (*run)(store *db, const options *o, char **args, int n_args);
} command;

static int failed(const char *what, const char *why)
{
    fprintf(stderr, "blog: %s: %s\n", what, why);
    return FAILED;
}

static int parse_id(const char *s, long long *id)
{
    char *end;
    errno = 0;
    *id = strtoll(s, &end, 10);
    if (end == s || *end || errno || *id <= 0) {
        fprintf(stderr, "blog: not an id: '%s'\n", s);
        return USAGE;
    }
    return OK;
}

/* Comments and posts go out as JSON, which must be UTF-8: jansson refuses other strings. */
static int check_utf8(const char *what, const char *s)
{
    json_t *j = json_string(s);
    json_decref(j);
    return j ? OK : failed(what, "not valid UTF-8");
}

static void print_comment(const store_comment *c)
{
    printf("%lld\t%s\t%s\t%.6f\t%.6f\t%.6f\n", c->id, c->state, c->model_label, c->prob[CG_ON_TOPIC],
           c->prob[CG_OFF_TOPIC], c->prob[CG_ABUSIVE]);
}

static int cmd_post(store *db, const options *o, char **args, int n_args)
{
    (void)o;
    (void)n_args;
    long long id;
    if (check_utf8("title", args[0]) != OK || check_utf8("body", args[1]) != OK)
        return FAILED;
    if (store_add_post(db, args[0], args[1], &id) != STORE_OK)
        return failed("post", store_error(db));
    printf("%lld\n", id);
    return OK;
}

static int cmd_comment(store *db, const options *o, char **args, int n_args)
{
    (void)n_args;
    store_comment c = {.author = args[1], .text = args[2], .text_len = strlen(args[2])};
    int status = parse_id(args[0], &c.post_id);
    if (status != OK)
        return status;
    if (check_utf8("author", c.author) != OK || check_utf8("comment", c.text) != OK)
        return FAILED;
    char err[512];
    moderator *m;
    if (moderator_open(o->model_dir, o->has_thresholds ? o->thresholds : NULL, o->thread, &m, err, sizeof err) != STORE_OK)
        return failed("cannot load the model", err);
    if (store_begin_write(db) != STORE_OK) {
        status = failed("comment", store_error(db));
    } else if (moderator_judge(m, db, c.post_id, &(cg_comment){c.text, c.text_len, c.author, NULL, NULL}, &c, err,
                               sizeof err) != STORE_OK) {
        status = failed("comment", err);
    } else if (store_add_comment(db, &c, &c.id) != STORE_OK || store_commit(db) != STORE_OK) {
        status = failed("comment", store_error(db));
    } else {
        print_comment(&c);
    }
    if (status != OK)
        store_rollback(db);
    moderator_free(m);
    return status;
}

/* Text on one line: backslash, newline, tab and carriage return escaped. */
static void print_escaped(const char *s, size_t len)
{
    static const char special[] = "\\\n\t\r", escape[] = "\\ntr";
    for (size_t i = 0; i < len; i++) {
        const char *e = s[i] ? strchr(special, s[i]) : NULL;
        if (e)
            printf("\\%c", escape[e - special]);
        else
            putchar(s[i]);
    }
}

static int print_held(void *ctx, const store_comment *c)
{
    (void)ctx;
    printf("%lld\t%lld\t", c->id, c->post_id);
    print_escaped(c->author, strlen(c->author));
    printf("\t%s\t%.6f\t%.6f\t%.6f\t", c->model_label, c->prob[CG_ON_TOPIC], c->prob[CG_OFF_TOPIC],
           c->prob[CG_ABUSIVE]);
    print_escaped(c->text, c->text_len);
    putchar('\n');
    return STORE_OK;
}

static int cmd_queue(store *db, const options *o, char **args, int n_args)
{
    (void)o;
    (void)args;
    (void)n_args;
    return store_each_held(db, print_held, NULL) == STORE_OK ? OK : failed("queue", store_error(db));
}

/* Record a moderator's decision (command cmd) on comment `arg`; label NULL: the likelier of
 * off-topic and abusive, by the classifier's probabilities. */
static int decide(store *db, const char *cmd, const char *arg, const char *state, const char *label)
{
    long long id;
    int status = parse_id(arg, &id);
    if (status != OK)
        return status;
    double prob[CG_NUM_CLASSES];
    status = store_begin_write(db);
    if (status == STORE_OK && !label && (status = store_comment_probs(db, id, prob)) == STORE_OK)
        label = cg_label_name(prob[CG_ABUSIVE] > prob[CG_OFF_TOPIC] ? CG_ABUSIVE : CG_OFF_TOPIC);
    if (status == STORE_OK)
        status = store_decide(db, id, state, label);
    if (status == STORE_OK)
        status = store_commit(db);
    if (status != STORE_OK) {
        failed(cmd, store_error(db));
        store_rollback(db);
        return FAILED;
    }
    printf("%lld\t%s\t%s\n", id, state, label);
    return OK;
}

static int cmd_approve(store *db, const options *o, char **args, int n_args)
{
    (void)o;
    (void)n_args;
    return decide(db, "approve", args[0], "approved", cg_label_name(CG_ON_TOPIC));
}

static int cmd_reject(store *db, const options *o, char **args, int n_args)
{
    (void)o;
    const char *label = n_args > 1 ? args[1] : NULL;
    if (label && strcmp(label, cg_label_name(CG_OFF_TOPIC)) != 0 && strcmp(label, cg_label_name(CG_ABUSIVE)) != 0) {
        fprintf(stderr, "blog: reject: expected off-topic or abusive, not '%s'\n", label);
        return USAGE;
    }
    return decide(db, "reject", args[0], "rejected", label);
}

/* The new classifications of a rescore, gathered before any is written. */
typedef struct rescore {
    moderator *m;
    store *db;
    store_comment *updates;
    size_t n, cap;
    char err[512];
} rescore;

static int rescore_one(void *ctx, const store_comment *c)
{
    rescore *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        store_comment *p = realloc(r->updates, cap * sizeof *p);
        if (!p) {
            snprintf(r->err, sizeof r->err, "out of memory");
            return STORE_ERROR;
        }
        r->updates = p;
        r->cap = cap;
    }
    store_comment *u = &r->updates[r->n];
    *u = (store_comment){.id = c->id, .post_id = c->post_id};
    cg_comment comment = {c->text, c->text_len, c->author, NULL, NULL};
    int status = moderator_judge(r->m, r->db, c->post_id, &comment, u, r->err, sizeof r->err);
    r->n += status == STORE_OK;
    return status;
}

static int cmd_rescore(store *db, const options *o, char **args, int n_args)
{
    (void)args;
    (void)n_args;
    rescore r = {.db = db};
    if (moderator_open(o->model_dir, o->has_thresholds ? o->thresholds : NULL, o->thread, &r.m, r.err,
                       sizeof r.err) != STORE_OK)
        return failed("cannot load the model", r.err);
    int status = store_begin_write(db);
    if (status == STORE_OK)
        status = store_each_undecided(db, rescore_one, &r);
    for (size_t i = 0; status == STORE_OK && i < r.n; i++)
        status = store_update_classification(db, &r.updates[i]);
    if (status == STORE_OK)
        status = store_commit(db);
    if (status != STORE_OK) {
        failed("rescore", r.err[0] ? r.err : store_error(db));
        store_rollback(db);
    } else {
        for (size_t i = 0; i < r.n; i++)
            print_comment(&r.updates[i]);
    }
    free(r.updates);
    moderator_free(r.m);
    return status == STORE_OK ? OK : FAILED;
}

static int cmd_export(store *db, const options *o, char **args, int n_args)
{
    (void)n_args;
    size_t counts[CG_NUM_CLASSES];
    char err[512];
    if (export_examples(db, args[0], o->min_prob, counts, err, sizeof err) != 0)
        return failed("export", err);
    printf("%s: %zu examples (on-topic %zu, off-topic %zu, abusive %zu)\n", args[0],
           counts[CG_ON_TOPIC] + counts[CG_OFF_TOPIC] + counts[CG_ABUSIVE], counts[CG_ON_TOPIC],
           counts[CG_OFF_TOPIC], counts[CG_ABUSIVE]);
    return OK;
}

static const command commands[] = {
    {"init", 0, 0, 1, NULL},
    {"post", 2, 2, 0, cmd_post},
    {"comment", 3, 3, 0, cmd_comment},
    {"queue", 0, 0, 0, cmd_queue},
    {"approve", 1, 1, 0, cmd_approve},
    {"reject", 1, 2, 0, cmd_reject},
    {"rescore", 0, 0, 0, cmd_rescore},
    {"export", 1, 1, 0, cmd_export},
};

/* The options before DB; *next receives the index of DB. OK, or USAGE after reporting. */
static int parse_options(int argc, char **argv, options *o, int *next)
{
    *o = (options){.min_prob = 0.9};
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            exit(OK);
        }
        if (i + 1 == argc) {
            fprintf(stderr, "blog: option '%s' needs a value\n", argv[i]);
            return USAGE;
        }
        if (strcmp(argv[i], "--model") == 0) {
            o->model_dir = argv[++i];
        } else if (strcmp(argv[i], "--min-prob") == 0) {
            char *end;
            o->min_prob = strtod(argv[++i], &end);
            if (end == argv[i] || *end || !(o->min_prob >= 0 && o->min_prob <= 1)) {
                fprintf(stderr, "blog: --min-prob: expected a number from 0 to 1, not '%s'\n", argv[i]);
                return USAGE;
            }
        } else if (strcmp(argv[i], "--thresholds") == 0) {
            char err[200];
            if (cg_thresholds_parse(argv[++i], o->thresholds, err, sizeof err) != CG_OK) {
                fprintf(stderr, "blog: --thresholds: %s\n", err);
                return USAGE;
            }
            o->has_thresholds = 1;
        } else if (strcmp(argv[i], "--thread") == 0) {
            char *end;
            errno = 0;
            o->thread = strtoll(argv[++i], &end, 10);
            if (end == argv[i] || *end || errno || o->thread < 0 || o->thread > 100000) {
                fprintf(stderr, "blog: --thread: expected a whole number from 0 to 100000, not '%s'\n", argv[i]);
                return USAGE;
            }
        } else {
            fprintf(stderr, "blog: unknown option '%s'\n", argv[i]);
            return USAGE;
        }
    }
    *next = i;
    return OK;
}

int main(int argc, char **argv)
{
    options o;
    int i;
    if (parse_options(argc, argv, &o, &i) != OK)
        return USAGE;
    if (argc - i < 2) {
        fputs(usage, stderr);
        return USAGE;
    }
    const char *path = argv[i], *name = argv[i + 1];
    char **args = argv + i + 2;
    int n_args = argc - i - 2;
    const command *cmd = NULL;
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(name, commands[k].name) == 0)
            cmd = &commands[k];
    if (!cmd) {
        fprintf(stderr, "blog: unknown command '%s'\n%s", name, usage);
        return USAGE;
    }
    if (n_args < cmd->min_args || n_args > cmd->max_args) {
        fprintf(stderr, "blog: %s: wrong number of arguments\n%s", name, usage);
        return USAGE;
    }
    store *db;
    char err[768];
    if (store_open(path, cmd->create, &db, err, sizeof err) != STORE_OK)
        return failed(name, err);
    int status = cmd->run ? cmd->run(db, &o, args, n_args) : OK;
    store_close(db);
    if (fflush(stdout) != 0)
        status = failed("writing the output", strerror(errno));
    return status;
}
