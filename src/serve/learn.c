/* learn.c - `serve --learn DIR`: the server keeps learning from its moderators' clicks.
 *
 * DESIGN
 * - What DIR holds: `lock` (an exclusive flock: one server per DIR), `near-copies.jsonl` (the
 *   near-copy index, near_copy_file.c), `generation-NNNNNN/` (each retraining's bundle with its
 *   generation.json, generations.c; the two newest are kept), `site-rows.jsonl` (the rows the last
 *   retraining learned) and `train.log` (what its trainer printed).
 * - What triggers a retraining: every --retrain-every corrections (submit-spam, submit-ham,
 *   /v1/feedback), and SIGHUP. Corrections that come during a retraining count toward the next.
 *   At start, the corrections the newest generation has not learned count already.
 * - Which thread runs it: one learner thread, started with the server, sleeping on a condition
 *   until triggered. It merges history and feedback into site-rows.jsonl (site_rows.c), then runs
 *   this program's own `train` in a child process (posix_spawn of /proc/self/exe: the trainer
 *   forks workers and seeds rand, which has no place inside the threaded server), waits for it,
 *   seals the bundle as a generation and loads it. Request threads never wait for any of this.
 * - How the new generation is swapped in: model_slot_swap (model_slot.c), between requests; a
 *   request holds the generation it started with to its end, the old model is freed by the last
 *   request to release it, and each pool thread prepares its cached article again for the new one.
 * - A failed retraining (a history that cannot be read, a trainer that fails or is killed, a bundle
 *   that does not load) leaves the serving generation in place and says why on stderr.
 * - A restart serves the newest finished generation whose base is the current --model (compared by
 *   content, generations.c); a changed base starts from the base itself. */
#define _GNU_SOURCE
#include "learn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "generations.h"
#include "server.h"
#include "site_rows.h"

#define NEAR_COPY_CAPACITY 2048 /* corrections the near-copy index holds (about 3 KB each) */

extern char **environ;

struct learner {
    char *dir, *base_dir, *feedback_path, *history_path, *program;
    char *rows_path, *log_path, *start_dir;
    char base[17];
    unsigned retrain_every;
    int lock_fd;
    near_copies *near;
    serve_server *server;
    long highest;      /* the highest generation number in DIR */
    pthread_t thread;
    int started;
    pthread_mutex_t lock; /* guards what follows */
    pthread_cond_t wake;
    unsigned pending;  /* corrections since the last retraining began */
    int requested;     /* SIGHUP asked for a retraining */
    int stopping;
    pid_t trainer;     /* the trainer running, or 0 */
};

static char *joined(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, name);
    return p;
}

static void report(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "commentguard: serve: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
}

static void learner_free(learner *l)
{
    if (!l)
        return;
    near_copies_close(l->near);
    if (l->lock_fd >= 0)
        close(l->lock_fd);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->lock);
    free(l->dir);
    free(l->base_dir);
    free(l->feedback_path);
    free(l->history_path);
    free(l->program);
    free(l->rows_path);
    free(l->log_path);
    free(l->start_dir);
    free(l);
}

int learn_open(const learn_config *c, learner **out, const char **model_dir, size_t *site_rows)
{
    *out = NULL;
    learner *l = calloc(1, sizeof *l);
    if (!l || pthread_mutex_init(&l->lock, NULL) != 0 || pthread_cond_init(&l->wake, NULL) != 0) {
        fprintf(stderr, "commentguard: serve: out of resources\n");
        free(l);
        return -1;
    }
    l->lock_fd = -1;
    l->retrain_every = c->retrain_every;
    char err[600], *lock_path = NULL;
    const char *why = NULL;
    if (!(l->dir = strdup(c->dir)) || !(l->base_dir = strdup(c->base_dir)) ||
        !(l->feedback_path = strdup(c->feedback_path)) || !(l->program = strdup(c->program)) ||
        (c->history_path && !(l->history_path = strdup(c->history_path))) ||
        !(l->rows_path = joined(c->dir, "site-rows.jsonl")) || !(l->log_path = joined(c->dir, "train.log")) ||
        !(lock_path = joined(c->dir, "lock")))
        why = "out of memory";
    else if (mkdir(c->dir, 0750) != 0 && errno != EEXIST)
        why = strerror(errno);
    else if ((l->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0)
        why = strerror(errno);
    else if (flock(l->lock_fd, LOCK_EX | LOCK_NB) != 0)
        why = errno == EWOULDBLOCK ? "another server learns in this directory" : strerror(errno);
    free(lock_path);
    if (why) {
        report("--learn %s: %s", c->dir, why);
        learner_free(l);
        return -1;
    }
    size_t cut;
    if (generation_base_id(c->base_dir, l->base, err, sizeof err) != 0 ||
        near_copies_open(c->dir, NEAR_COPY_CAPACITY, &l->near, &cut, err, sizeof err) != 0) {
        report("--learn %s: %s", c->dir, err);
        learner_free(l);
        return -1;
    }
    if (cut)
        fprintf(stderr, "commentguard: serve: %s/near-copies.jsonl: removed an unfinished last line (%zu bytes) "
                        "left by a crash\n", c->dir, cut);
    generation_info g = {0};
    long lines = site_rows_count_lines(c->feedback_path);
    *model_dir = l->base_dir;
    *site_rows = 0;
    if (generation_newest(c->dir, l->base, &g, &l->highest)) {
        if (!(l->start_dir = generation_path(c->dir, g.number))) {
            report("%s%s: out of memory", c->dir, "");
            learner_free(l);
            return -1;
        }
        *model_dir = l->start_dir;
        *site_rows = g.site_rows;
    }
    l->pending = lines > (long)g.feedback_lines ? (unsigned)(lines - (long)g.feedback_lines) : 0;
    fprintf(stderr, "commentguard: serve: learning in %s: %zu corrections in the near-copy index, %u not yet "
                    "learned, retraining every %u\n", c->dir, near_copies_count(l->near), l->pending,
            l->retrain_every);
    *out = l;
    return 0;
}

/* The last line of the trainer's output, for the report of a failure. */
static void last_log_line(const char *path, char *buf, size_t size)
{
    *buf = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t n = strlen(line);
        if (n > 0) {
            n = n < size ? n : size - 1;
            memcpy(buf, line, n);
            buf[n] = '\0';
        }
    }
    fclose(f);
}

/* Run `PROGRAM train` on the site's rows into out_dir, its output into train.log: 0, or -1 with
 * the reason in err. */
static int run_trainer(learner *l, const char *out_dir, char *err, size_t errlen)
{
    char *argv[] = {l->program, "train", "--base", l->base_dir, "--data", l->rows_path, "--out", (char *)out_dir,
                    NULL};
    posix_spawn_file_actions_t files;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGPIPE);
    posix_spawn_file_actions_init(&files);
    posix_spawnattr_init(&attr);
    /* The server blocks SIGTERM, SIGINT and SIGHUP in every thread; the trainer must not. */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, 1, l->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    posix_spawn_file_actions_adddup2(&files, 1, 2);
    pthread_mutex_lock(&l->lock);
    pid_t pid = 0;
    int st = l->stopping ? ECANCELED : posix_spawn(&pid, l->program, &files, &attr, argv, environ);
    if (st == 0)
        l->trainer = pid;
    pthread_mutex_unlock(&l->lock);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    if (st != 0) {
        snprintf(err, errlen, "cannot run %s train: %s", l->program, strerror(st));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    pthread_mutex_lock(&l->lock);
    l->trainer = 0;
    pthread_mutex_unlock(&l->lock);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char last[600];
    last_log_line(l->log_path, last, sizeof last);
    if (WIFSIGNALED(status))
        snprintf(err, errlen, "the trainer was stopped by signal %d", WTERMSIG(status));
    else
        snprintf(err, errlen, "the trainer failed (exit status %d): %s (%s)", WEXITSTATUS(status),
                 *last ? last : "no message", l->log_path);
    return -1;
}

/* One retraining: a new generation swapped in, or the serving one kept and the reason reported. */
static void retrain(learner *l)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    generation_info g = {.number = l->highest + 1};
    memcpy(g.base, l->base, sizeof g.base);
    char err[1200];
    char *out = generation_path(l->dir, g.number);
    cg_model *model = NULL;
    int st = out ? 0 : -1;
    if (!out)
        snprintf(err, sizeof err, "out of memory");
    if (st == 0)
        st = site_rows_write(l->history_path, l->feedback_path, l->rows_path, &g.site_rows, &g.feedback_lines, err,
                             sizeof err);
    if (st == 0)
        st = run_trainer(l, out, err, sizeof err);
    if (st == 0)
        st = generation_seal(l->dir, &g, err, sizeof err);
    if (st == 0) {
        l->highest = g.number;
        cg_status cs = cg_model_open(out, &model, err, sizeof err);
        if (cs != CG_OK)
            st = -1;
    }
    long served = -1;
    if (st == 0 && (served = model_slot_swap(&l->server->models, model, g.site_rows)) < 0) {
        cg_model_free(model);
        snprintf(err, sizeof err, "out of memory");
        st = -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (st == 0) {
        fprintf(stderr, "commentguard: serve: retrained on %zu site rows in %.1f s: generation %ld in use (%s)\n",
                g.site_rows, seconds, served, out);
        generation_prune(l->dir, g.number - 1);
    } else {
        fprintf(stderr, "commentguard: serve: retraining failed, the serving model stays: %s\n", err);
    }
    free(out);
}

static void *learn_loop(void *arg)
{
    learner *l = arg;
    pthread_mutex_lock(&l->lock);
    while (!l->stopping) {
        if (!l->requested && l->pending < l->retrain_every) {
            pthread_cond_wait(&l->wake, &l->lock);
            continue;
        }
        l->requested = 0;
        l->pending = 0;
        pthread_mutex_unlock(&l->lock);
        retrain(l);
        pthread_mutex_lock(&l->lock);
    }
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

int learn_start(learner *l, serve_server *s)
{
    l->server = s;
    s->near_copies = l->near;
    s->learner = l;
    int st = pthread_create(&l->thread, NULL, learn_loop, l);
    if (st != 0) {
        fprintf(stderr, "commentguard: serve: cannot start the learner: %s\n", strerror(st));
        return -1;
    }
    l->started = 1;
    return 0;
}

void learn_retrain_now(learner *l)
{
    pthread_mutex_lock(&l->lock);
    l->requested = 1;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
}

void learn_close(learner *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    l->stopping = 1;
    if (l->trainer > 0)
        kill(l->trainer, SIGTERM);
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
    if (l->started)
        pthread_join(l->thread, NULL);
    learner_free(l);
}

void learn_correction(serve_server *s, const char *text, size_t len, cg_label label)
{
    char err[600];
    int st = s->near_copies ? near_copies_add(s->near_copies, text, len, label, err, sizeof err) : 0;
    if (st != 0)
        fprintf(stderr, "commentguard: serve: near-copy index: %s%s\n", err,
                st < 0 ? " (the correction is in the feedback file)" : "");
    learner *l = s->learner;
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    if (++l->pending >= l->retrain_every)
        pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
}

int learn_near_copy(serve_server *s, const char *text, size_t len, near_copy_match *m)
{
    return s->near_copies && near_copies_find(s->near_copies, text, len, m);
}

void learn_near_copy_header(const near_copy_match *m, char *buf, size_t size)
{
    snprintf(buf, size, "id=%ld; received=%s; label=%s; similarity=%.2f", m->entry.id, m->entry.received,
             cg_label_name(m->entry.label), m->similarity);
}

json_t *learn_near_copy_json(const near_copy_match *m)
{
    return json_pack("{s:I, s:s, s:s, s:f}", "id", (json_int_t)m->entry.id, "received", m->entry.received, "label",
                     cg_label_name(m->entry.label), "similarity", (double)(long)(m->similarity * 100 + 0.5) / 100);
}
