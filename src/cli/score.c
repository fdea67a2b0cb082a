/* score.c - `commentguard score`: classify comments read from standard input, one output line per
 * input line, in input order.
 *
 * Lines are read in batches. With one thread a batch is read, classified and written in turn. With
 * more, a reader thread fills a ring of batch slots, worker threads (each with its own workspace,
 * all sharing the model) classify whole batches, and the main thread writes finished batches in
 * order, so that memory stays bounded by the ring. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lines.h"
#include "score_batch.h"

static const char usage[] =
    "Usage: commentguard score [--model DIR] [--format text|jsonl] [--article FILE] [--threads N]\n"
    "                          [--explain] [--thresholds SPEC|@FILE]\n"
    "Classify the comments on standard input, writing one line per input line, in order.\n"
    "\n"
    "  --model DIR       the model bundle (default: $COMMENTGUARD_MODEL, then the installed model)\n"
    "  --format text     each line is a comment; output: label TAB p(on-topic) TAB p(off-topic)\n"
    "                    TAB p(abusive), or error TAB message (the default)\n"
    "  --format jsonl    each line is {\"text\": ..., \"article\": ... or null, \"id\": ...}; output:\n"
    "                    {\"id\": ..., \"label\": ..., \"scores\": {...}} or {\"id\": ..., \"error\": ...};\n"
    "                    \"thread\": [...] beside \"article\": the comments already approved under it,\n"
    "                    oldest first, read with it\n"
    "  --article FILE    the article all comments answer (a JSONL \"article\" overrides it, null\n"
    "                    meaning none)\n"
    "  --threads N       worker threads (default: the number of cores)\n"
    "  --explain         add the reasons for each label: the words and signals that pushed the\n"
    "                    comment there most (JSONL: a \"reasons\" member; text: a fifth column)\n"
    "  --thresholds SPEC the unsure band, as `commentguard thresholds` prints it (e.g.\n"
    "                    on-topic=0.6,off-topic=0.5,abusive=0.7), or @FILE (thresholds --out): a\n"
    "                    comment labelled c with p(c) below c's threshold is labelled unsure\n"
    "\n"
    "Exit status: 0 if every line was scored, 1 if some failed, 2 for usage errors or a model or\n"
    "article that cannot be read.\n";

typedef struct score_options {
    const char *model_dir;
    const char *article_path;
    int jsonl;
    int threads;
    int explain;
    double threshold[CG_NUM_CLASSES]; /* --thresholds; all 0 (no unsure band) by default */
} score_options;

/* The batches of a threaded run: a ring of slots that the reader fills, the workers classify and
 * the writer empties, each in input order. One lock and one condition guard all slot states. */
typedef struct ring {
    cli_lines *in;
    batch *slots;
    size_t n_slots;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t filled;  /* batches filled so far */
    size_t claimed; /* batches taken by workers so far */
    int reading_done; /* no more batches will be filled */
    int read_errno;   /* why reading stopped early, or 0 */
    int stop;         /* the writer gave up: stop reading */
} ring;

typedef struct worker_arg {
    ring *ring;
    worker *worker;
} worker_arg;

static void *reader_main(void *arg)
{
    ring *g = arg;
    for (size_t seq = 0;; seq++) {
        batch *b = &g->slots[seq % g->n_slots];
        pthread_mutex_lock(&g->lock);
        while (b->state != SLOT_EMPTY && !g->stop)
            pthread_cond_wait(&g->changed, &g->lock);
        int stop = g->stop;
        pthread_mutex_unlock(&g->lock);
        cli_line_status st = stop ? CLI_LINE_END : score_fill_batch(g->in, b);
        int err = st == CLI_LINE_ERROR ? errno : 0;
        pthread_mutex_lock(&g->lock);
        if (!stop && b->n > 0) {
            b->state = SLOT_FILLED;
            g->filled++;
        }
        if (st != CLI_LINE) {
            g->reading_done = 1;
            g->read_errno = err;
        }
        pthread_cond_broadcast(&g->changed);
        pthread_mutex_unlock(&g->lock);
        if (st != CLI_LINE)
            return NULL;
    }
}

static void *worker_main(void *arg)
{
    ring *g = ((worker_arg *)arg)->ring;
    worker *w = ((worker_arg *)arg)->worker;
    for (;;) {
        pthread_mutex_lock(&g->lock);
        while (g->claimed == g->filled && !g->reading_done)
            pthread_cond_wait(&g->changed, &g->lock);
        if (g->claimed == g->filled) {
            pthread_mutex_unlock(&g->lock);
            return NULL;
        }
        batch *b = &g->slots[g->claimed++ % g->n_slots];
        pthread_mutex_unlock(&g->lock);
        score_batch(w, b);
        pthread_mutex_lock(&g->lock);
        b->state = SLOT_DONE;
        pthread_cond_broadcast(&g->changed);
        pthread_mutex_unlock(&g->lock);
    }
}

/* The totals of a run, gathered by whoever writes the batches. */
typedef struct score_totals {
    size_t failed;
    int write_errno;   /* the output could not be written */
    int out_of_memory; /* an output line could not be built */
} score_totals;

/* Write a finished batch; 0, or -1 if the run must stop. */
static int write_batch(const batch *b, score_totals *t)
{
    t->failed += b->failed;
    if (b->out_of_memory) {
        t->out_of_memory = 1;
        return -1;
    }
    if (fwrite(b->out, 1, b->out_len, stdout) != b->out_len) {
        t->write_errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

/* The main thread's part of a threaded run: write the batches in order as they finish. */
static void write_ring(ring *g, score_totals *t)
{
    int failed = 0;
    for (size_t seq = 0;; seq++) {
        batch *b = &g->slots[seq % g->n_slots];
        pthread_mutex_lock(&g->lock);
        while (b->state != SLOT_DONE && !(g->reading_done && seq == g->filled))
            pthread_cond_wait(&g->changed, &g->lock);
        int done = b->state != SLOT_DONE;
        pthread_mutex_unlock(&g->lock);
        if (done)
            return;
        if (!failed && write_batch(b, t) < 0)
            failed = 1;
        pthread_mutex_lock(&g->lock);
        b->state = SLOT_EMPTY;
        g->stop |= failed;
        pthread_cond_broadcast(&g->changed);
        pthread_mutex_unlock(&g->lock);
    }
}

static void free_batches(batch *slots, size_t n)
{
    for (size_t i = 0; slots && i < n; i++) {
        free(slots[i].data);
        free(slots[i].out);
    }
    free(slots);
}

/* Run with reader, workers and writer threads. Returns the read errno (or 0), or -1 if the threads
 * could not be started (nothing was read then). */
static int run_threaded(cli_lines *in, worker *workers, int n_workers, score_totals *t)
{
    ring g = {.in = in, .n_slots = 2 * (size_t)n_workers + 2};
    g.slots = calloc(g.n_slots, sizeof *g.slots);
    worker_arg *args = calloc((size_t)n_workers, sizeof *args);
    if (!g.slots || !args) {
        free(g.slots);
        free(args);
        return -1;
    }
    pthread_mutex_init(&g.lock, NULL);
    pthread_cond_init(&g.changed, NULL);
    int started = 0;
    for (; started < n_workers; started++) {
        args[started] = (worker_arg){&g, &workers[started]};
        if (pthread_create(&workers[started].thread, NULL, worker_main, &args[started]) != 0)
            break;
    }
    pthread_t reader;
    int reading = started > 0 && pthread_create(&reader, NULL, reader_main, &g) == 0;
    if (reading) {
        write_ring(&g, t);
        pthread_join(reader, NULL);
    } else { /* let the idle workers go */
        pthread_mutex_lock(&g.lock);
        g.reading_done = 1;
        pthread_cond_broadcast(&g.changed);
        pthread_mutex_unlock(&g.lock);
    }
    for (int i = 0; i < started; i++)
        pthread_join(workers[i].thread, NULL);
    pthread_cond_destroy(&g.changed);
    pthread_mutex_destroy(&g.lock);
    free_batches(g.slots, g.n_slots);
    free(args);
    return reading ? g.read_errno : -1;
}

/* Run in the calling thread: read a batch, classify it, write it. Returns the read errno (or 0). */
static int run_inline(cli_lines *in, worker *w, score_totals *t)
{
    batch *b = calloc(1, sizeof *b);
    if (!b) {
        t->out_of_memory = 1;
        return 0;
    }
    int err = 0;
    for (;;) {
        cli_line_status st = score_fill_batch(in, b);
        if (st == CLI_LINE_ERROR)
            err = errno;
        score_batch(w, b);
        if (write_batch(b, t) < 0 || st != CLI_LINE)
            break;
    }
    free_batches(b, 1);
    return err;
}

static int parse_options(int argc, char **argv, score_options *o)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    *o = (score_options){.threads = 0};
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        if (cli_is(&a, "--model")) {
            if (!(o->model_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--article")) {
            if (!(o->article_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--format")) {
            const char *f = cli_value(&a);
            if (!f)
                return CLI_USAGE;
            if (strcmp(f, "text") != 0 && strcmp(f, "jsonl") != 0)
                return cli_usage_error(&a, "--format: expected text or jsonl, not '%s'", f);
            o->jsonl = strcmp(f, "jsonl") == 0;
        } else if (cli_is(&a, "--explain")) {
            if (cli_flag(&a) != 0)
                return CLI_USAGE;
            o->explain = 1;
        } else if (cli_is(&a, "--thresholds")) {
            if (cli_thresholds_value(&a, o->threshold) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--threads")) {
            if (cli_long_value(&a, 1, CLI_MAX_THREADS, &n) != 0)
                return CLI_USAGE;
            o->threads = (int)n;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (o->threads == 0)
        o->threads = cli_default_threads();
    return -1;
}

/* Read and prepare the --article file: 0, or CLI_USAGE after reporting. */
static int load_article(const char *path, const cg_model *model, cg_article **out)
{
    FILE *f = fopen(path, "rb");
    size_t cap = (size_t)CG_MAX_COMMENT_BYTES + 1;
    char *text = malloc(cap);
    cg_workspace *ws = NULL;
    size_t len = 0;
    int status = CLI_USAGE;
    if (!f) {
        fprintf(stderr, "commentguard: score: cannot open %s: %s\n", path, strerror(errno));
    } else if (!text) {
        fprintf(stderr, "commentguard: score: out of memory\n");
    } else if ((len = fread(text, 1, cap, f)), ferror(f)) {
        fprintf(stderr, "commentguard: score: cannot read %s: %s\n", path, strerror(errno));
    } else if (cg_workspace_new(model, &ws) != CG_OK) {
        fprintf(stderr, "commentguard: score: out of memory\n");
    } else if (cg_article_new(model, ws, text, len, out) != CG_OK) {
        fprintf(stderr, "commentguard: score: %s: %s\n", path, cg_workspace_error(ws));
    } else {
        status = 0;
    }
    cg_workspace_free(ws);
    free(text);
    if (f)
        fclose(f);
    return status;
}

static void free_workers(worker *workers, int n)
{
    for (int i = 0; workers && i < n; i++) {
        cli_article_cache_free(&workers[i].articles);
        cg_workspace_free(workers[i].ws);
    }
    free(workers);
}

/* Classify standard input with the prepared run; returns the exit status. */
static int score_input(const score_run *run, int threads)
{
    worker *workers = calloc((size_t)threads, sizeof *workers);
    cli_lines in = {0};
    score_totals t = {0};
    int n = 0, err = 0;
    if (workers && cli_lines_init(&in, STDIN_FILENO, run->max_line) == 0)
        for (; n < threads && cg_workspace_new(run->model, &workers[n].ws) == CG_OK &&
               cg_workspace_set_thresholds(workers[n].ws, run->threshold) == CG_OK;
             n++)
            workers[n].run = run;
    if (n == 0) {
        t.out_of_memory = 1;
    } else {
        err = n > 1 ? run_threaded(&in, workers, n, &t) : -1;
        if (err < 0) /* one thread, or the threads could not start (nothing was read then) */
            err = run_inline(&in, &workers[0], &t);
    }
    cli_lines_free(&in);
    free_workers(workers, threads);
    if (t.out_of_memory) {
        fprintf(stderr, "commentguard: score: out of memory\n");
        return CLI_FAILED;
    }
    if (t.write_errno) {
        fprintf(stderr, "commentguard: score: cannot write the output: %s\n", strerror(t.write_errno));
        return CLI_FAILED;
    }
    if (err > 0) {
        fprintf(stderr, "commentguard: score: cannot read the input: %s\n", strerror(err));
        return CLI_FAILED;
    }
    return t.failed ? CLI_FAILED : CLI_OK;
}

int cli_score(int argc, char **argv)
{
    score_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    cg_model *model = NULL;
    cg_article *article = NULL;
    if (cli_open_model(argv[0], o.model_dir, &model) != 0)
        return CLI_USAGE;
    if (o.article_path && load_article(o.article_path, model, &article) != 0) {
        cg_model_free(model);
        return CLI_USAGE;
    }
    score_run run = {.model = model,
                     .article = article,
                     .jsonl = o.jsonl,
                     .explain = o.explain,
                     .threshold = o.threshold,
                     .max_line = o.jsonl ? JSONL_MAX_LINE : CG_MAX_COMMENT_BYTES + 1 /* room for '\r' */};
    status = score_input(&run, o.threads);
    cg_article_free(article);
    cg_model_free(model);
    return status;
}
