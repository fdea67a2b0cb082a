/*
 * dump_vectors.c - cg_dump_vectors, an internal tool for benchmarks and parity checks (not
 * installed). It links the static library and reaches into its private headers.
 *
 *   cg_dump_vectors dump    --model DIR [--format text|jsonl] [--articles none|with|all] < in > out.svm
 *       Write the feature vector of every comment in libsvm's text format ("label i:v i:v ...",
 *       values with 17 significant digits, so that they read back bit for bit). The label is the
 *       JSONL "label" (0 on-topic, 1 off-topic, 2 abusive) or 0. --articles: none (comment text
 *       only, the default), with (with the row's article when it has one), all (for each row: the
 *       text alone, the text with its article if any, and the article itself as a comment).
 *   cg_dump_vectors predict --model DIR VECTORS OUTPUT [--libsvm] [--repeat N]
 *       Read libsvm-format vectors and write what `svm-predict -b 1 VECTORS model.svm OUTPUT`
 *       writes, from the collapsed linear predictor (or, with --libsvm, through libsvm's
 *       svm_predict_probability). Prints the prediction time, excluding reading, to stderr (the
 *       fastest of N passes, default 1).
 *   cg_dump_vectors decision --model DIR VECTORS
 *       Print the pairwise decision values of each vector from both the collapsed weights and
 *       libsvm's svm_predict_values, and the largest difference (to stderr).
 *   cg_dump_vectors cache   --model DIR
 *       Write DIR/model.svm.bin, the binary cache of DIR/model.svm (as training does).
 *   cg_dump_vectors load    --model DIR [--repeat N]
 *       Open and free the model N times (default 5); print the median and minimum time in ms.
 *   cg_dump_vectors classify --model DIR [--format text|jsonl] [--repeat N] FILE
 *       Read FILE into memory and classify every comment N times (default 3) with one workspace;
 *       print comments/s and MB/s of each pass (library only: no input parsing, no output).
 *   cg_dump_vectors article-cost --model DIR [--repeat N] FILE.jsonl
 *       The cost of the article: take the JSONL lines that have an "article", prepare each distinct
 *       article once (cg_article_new, as a backend does for a post), then classify all those comments
 *       without and with their article in alternating passes (default 11); print each pass and the
 *       median ratio of the times.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "commentguard.h"
#include "extract.h"
#include "relevance.h"
#include "svm_model.h"
#include "workspace.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "cg_dump_vectors: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

/* Every line of a file, each up to and excluding its '\n' (a trailing '\r' is dropped). */
typedef struct lines {
    char *data;
    size_t size;
    size_t *off, *len;
    size_t n;
} lines;

static void read_lines(FILE *f, lines *out)
{
    size_t cap = 1 << 20, size = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + size, 1, cap - size, f)) > 0) {
        size += got;
        if (size == cap)
            data = realloc(data, cap *= 2);
    }
    if (!data || ferror(f))
        die("cannot read the input%s", "");
    size_t n = 0, lcap = 1024;
    size_t *off = malloc(lcap * sizeof *off), *len = malloc(lcap * sizeof *len);
    for (size_t start = 0; start < size;) {
        char *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        if (n == lcap) {
            lcap *= 2;
            off = realloc(off, lcap * sizeof *off);
            len = realloc(len, lcap * sizeof *len);
            if (!off || !len)
                die("out of memory%s", "");
        }
        off[n] = start;
        len[n] = end - start;
        if (len[n] > 0 && data[end - 1] == '\r')
            len[n]--;
        n++;
        start = end + 1;
    }
    *out = (lines){data, size, off, len, n};
}

static void free_lines(lines *l)
{
    free(l->data);
    free(l->off);
    free(l->len);
}

static cg_model *open_model(const char *dir)
{
    cg_model *m;
    char err[512];
    if (cg_model_open(dir, &m, err, sizeof err) != CG_OK)
        die("cannot load the model: %s", err);
    return m;
}

static void write_vector(FILE *out, int label, const struct svm_node *x)
{
    fprintf(out, "%d", label);
    for (; x->index != -1; x++)
        fprintf(out, " %d:%.17g", x->index, x->value);
    fputc('\n', out);
}

static int label_of(json_t *obj)
{
    const char *name = json_string_value(json_object_get(obj, "label"));
    for (int k = 0; name && k < CG_NUM_CLASSES; k++)
        if (strcmp(name, cg_label_name((cg_label)k)) == 0)
            return k;
    return 0;
}

static void extract_or_die(const cg_model *m, cg_workspace *ws, const char *text, size_t len, const cg_article *a)
{
    if (cg_extract(&m->extractor, ws, text, len, a) != CG_OK)
        die("extract: %s", ws->error);
}

static int cmd_dump(const char *model_dir, int jsonl, const char *articles)
{
    int mode = strcmp(articles, "none") == 0 ? 0 : strcmp(articles, "with") == 0 ? 1 : strcmp(articles, "all") == 0 ? 2 : -1;
    if (mode < 0)
        die("--articles: expected none, with or all, not '%s'", articles);
    cg_model *m = open_model(model_dir);
    cg_workspace *ws;
    if (cg_workspace_new(m, &ws) != CG_OK)
        die("out of memory%s", "");
    lines in;
    read_lines(stdin, &in);
    for (size_t i = 0; i < in.n; i++) {
        const char *line = in.data + in.off[i];
        if (!jsonl) {
            extract_or_die(m, ws, line, in.len[i], NULL);
            write_vector(stdout, 0, ws->nodes);
            continue;
        }
        json_error_t jerr;
        json_t *obj = json_loadb(line, in.len[i], JSON_ALLOW_NUL, &jerr);
        json_t *text = json_object_get(obj, "text"), *art = json_object_get(obj, "article");
        if (!json_is_string(text)) {
            fprintf(stderr, "cg_dump_vectors: line %zu: no \"text\"\n", i + 1);
            exit(2);
        }
        int label = label_of(obj);
        const char *t = json_string_value(text);
        size_t tl = json_string_length(text);
        if (mode != 1 || !json_is_string(art)) {
            extract_or_die(m, ws, t, tl, NULL);
            write_vector(stdout, label, ws->nodes);
        }
        if (mode >= 1 && json_is_string(art)) {
            cg_article *a;
            if (cg_article_new(m, ws, json_string_value(art), json_string_length(art), &a) != CG_OK)
                die("article: %s", ws->error);
            extract_or_die(m, ws, t, tl, a);
            write_vector(stdout, label, ws->nodes);
            cg_article_free(a);
            if (mode == 2) {
                extract_or_die(m, ws, json_string_value(art), json_string_length(art), NULL);
                write_vector(stdout, label, ws->nodes);
            }
        }
        json_decref(obj);
    }
    free_lines(&in);
    cg_workspace_free(ws);
    cg_model_free(m);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* Vectors read from a libsvm-format file, all nodes in one block. */
typedef struct vectors {
    struct svm_node *nodes;
    size_t *start;
    size_t n;
} vectors;

static void read_vectors(const char *path, vectors *v)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s", path);
    lines in;
    read_lines(f, &in);
    fclose(f);
    size_t colons = 0;
    for (size_t i = 0; i < in.size; i++)
        colons += in.data[i] == ':';
    v->nodes = malloc((colons + in.n + 1) * sizeof *v->nodes);
    v->start = malloc((in.n + 1) * sizeof *v->start);
    if (!v->nodes || !v->start)
        die("out of memory%s", "");
    size_t used = 0;
    v->n = 0;
    for (size_t i = 0; i < in.n; i++) {
        char *p = in.data + in.off[i], *end = p + in.len[i];
        *end = '\0';
        v->start[v->n++] = used;
        strtod(p, &p); /* the label */
        for (;;) {
            while (p < end && *p == ' ')
                p++;
            if (p >= end)
                break;
            char *q;
            long index = strtol(p, &q, 10);
            if (q == p || *q != ':')
                die("malformed vector line in %s", path);
            v->nodes[used].index = (int)index;
            v->nodes[used++].value = strtod(q + 1, &p);
        }
        v->nodes[used].index = -1;
        v->nodes[used++].value = 0;
    }
    free_lines(&in);
}

static int cmd_predict(const char *model_dir, const char *vec_path, const char *out_path, int use_libsvm, long repeat)
{
    cg_model *m = open_model(model_dir);
    if (!m->svm.weights && !use_libsvm)
        die("the model has no collapsed weights (kernel not linear): use --libsvm%s", "");
    vectors v;
    read_vectors(vec_path, &v);
    FILE *out = fopen(out_path, "w");
    if (!out)
        die("cannot write %s", out_path);
    double *probs = malloc((v.n + 1) * CG_NUM_CLASSES * sizeof *probs);
    int *labels = malloc((v.n + 1) * sizeof *labels);
    if (!probs || !labels)
        die("out of memory%s", "");
    double dt = 0;
    for (long r = 0; r < repeat; r++) {
        double t0 = now();
        for (size_t i = 0; i < v.n; i++) {
            const struct svm_node *x = v.nodes + v.start[i];
            double *p = probs + i * CG_NUM_CLASSES;
            if (use_libsvm) {
                cg_svm_probabilities_libsvm(&m->svm, x, p);
            } else {
                double dec[CG_PAIRS];
                cg_svm_decision_values(&m->svm, x, dec);
                cg_svm_probabilities(&m->svm, dec, p);
            }
            labels[i] = (int)cg_svm_best(p, &m->svm);
        }
        double t = now() - t0;
        if (r == 0 || t < dt)
            dt = t;
    }
    /* As svm-predict -b 1 writes it: the header in libsvm's label order, then label and
     * probabilities in that order, with %g. */
    fprintf(out, "labels");
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        fprintf(out, " %d", m->svm.label[k]);
    fputc('\n', out);
    for (size_t i = 0; i < v.n; i++) {
        fprintf(out, "%d", labels[i]);
        for (int k = 0; k < CG_NUM_CLASSES; k++)
            fprintf(out, " %g", probs[i * CG_NUM_CLASSES + m->svm.label[k]]);
        fputc('\n', out);
    }
    fprintf(stderr, "predicted %zu vectors in %.6f s (%.0f vectors/s; fastest of %ld passes)\n", v.n, dt,
            dt > 0 ? v.n / dt : 0.0, repeat);
    int st = fclose(out) == 0 ? 0 : 1;
    free(probs);
    free(labels);
    free(v.nodes);
    free(v.start);
    cg_model_free(m);
    return st;
}

static int cmd_decision(const char *model_dir, const char *vec_path)
{
    cg_model *m = open_model(model_dir);
    if (!m->svm.weights)
        die("the model has no collapsed weights%s", "");
    vectors v;
    read_vectors(vec_path, &v);
    double worst = 0;
    for (size_t i = 0; i < v.n; i++) {
        const struct svm_node *x = v.nodes + v.start[i];
        double ours[CG_PAIRS], theirs[CG_PAIRS];
        cg_svm_decision_values(&m->svm, x, ours);
        svm_predict_values(m->svm.libsvm, x, theirs);
        printf("%.17g %.17g %.17g\t%.17g %.17g %.17g\n", ours[0], ours[1], ours[2], theirs[0], theirs[1], theirs[2]);
        for (int p = 0; p < CG_PAIRS; p++)
            worst = fmax(worst, fabs(ours[p] - theirs[p]));
    }
    fprintf(stderr, "largest decision value difference over %zu vectors: %.3g\n", v.n, worst);
    free(v.nodes);
    free(v.start);
    cg_model_free(m);
    return worst <= 1e-9 ? 0 : 1;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmd_load(const char *model_dir, long repeat)
{
    double t[1000];
    if (repeat < 1 || repeat > 1000)
        die("--repeat must lie in 1..1000%s", "");
    for (long i = 0; i < repeat; i++) {
        double t0 = now();
        cg_model *m = open_model(model_dir);
        t[i] = now() - t0;
        cg_model_free(m);
    }
    qsort(t, (size_t)repeat, sizeof *t, compare_double);
    printf("model load: median %.2f ms, min %.2f ms over %ld loads\n", 1e3 * t[repeat / 2], 1e3 * t[0], repeat);
    return 0;
}

static int cmd_classify(const char *model_dir, int jsonl, const char *path, long repeat)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s", path);
    lines in;
    read_lines(f, &in);
    fclose(f);
    if (jsonl) { /* keep only the texts, in place */
        for (size_t i = 0; i < in.n; i++) {
            json_error_t jerr;
            json_t *obj = json_loadb(in.data + in.off[i], in.len[i], JSON_ALLOW_NUL, &jerr);
            json_t *text = json_object_get(obj, "text");
            size_t len = json_is_string(text) ? json_string_length(text) : 0;
            if (len > in.len[i])
                len = in.len[i];
            memcpy(in.data + in.off[i], json_string_value(text), len);
            in.len[i] = len;
            json_decref(obj);
        }
    }
    size_t bytes = 0;
    for (size_t i = 0; i < in.n; i++)
        bytes += in.len[i];
    cg_model *m = open_model(model_dir);
    cg_workspace *ws;
    if (cg_workspace_new(m, &ws) != CG_OK)
        die("out of memory%s", "");
    double sink = 0;
    for (long r = 0; r < repeat; r++) {
        double t0 = now(), c0 = cpu_now();
        for (size_t i = 0; i < in.n; i++) {
            cg_result res;
            if (cg_classify(m, ws, in.data + in.off[i], in.len[i], NULL, &res) != CG_OK)
                die("classify: %s", cg_workspace_error(ws));
            sink += res.prob[0];
        }
        double dt = now() - t0, dc = cpu_now() - c0;
        printf("pass %ld: %zu comments in %.3f s: %.0f comments/s, %.2f MB/s (CPU time %.3f s: %.0f comments/s)\n",
               r + 1, in.n, dt, in.n / dt, bytes / dt / 1e6, dc, in.n / dc);
    }
    fprintf(stderr, "(checksum %.6f)\n", sink);
    free_lines(&in);
    cg_workspace_free(ws);
    cg_model_free(m);
    return 0;
}

/* A comment of the article-cost benchmark: its text and the prepared article it answers. */
typedef struct answered {
    const char *text;
    size_t len;
    const char *article_text;
    size_t article_len;
    cg_article *article;
} answered;

static int by_article_text(const void *a, const void *b)
{
    const answered *x = a, *y = b;
    size_t n = x->article_len < y->article_len ? x->article_len : y->article_len;
    int c = memcmp(x->article_text, y->article_text, n);
    return c ? c : (x->article_len > y->article_len) - (x->article_len < y->article_len);
}

/* Classify every comment once; returns the wall time. */
static double classify_pass(const cg_model *m, cg_workspace *ws, const answered *rows, size_t n, int with_article,
                            double *sink)
{
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        cg_result res;
        if (cg_classify(m, ws, rows[i].text, rows[i].len, with_article ? rows[i].article : NULL, &res) != CG_OK)
            die("classify: %s", cg_workspace_error(ws));
        *sink += res.prob[1];
    }
    return now() - t0;
}

static int cmd_article_cost(const char *model_dir, const char *path, long repeat)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s", path);
    lines in;
    read_lines(f, &in);
    fclose(f);
    answered *rows = calloc(in.n + 1, sizeof *rows);
    json_t **objs = calloc(in.n + 1, sizeof *objs);
    if (!rows || !objs)
        die("out of memory%s", "");
    size_t n = 0;
    for (size_t i = 0; i < in.n; i++) {
        json_error_t jerr;
        objs[i] = json_loadb(in.data + in.off[i], in.len[i], JSON_ALLOW_NUL, &jerr);
        json_t *text = json_object_get(objs[i], "text"), *art = json_object_get(objs[i], "article");
        if (json_is_string(text) && json_is_string(art))
            rows[n++] = (answered){json_string_value(text), json_string_length(text), json_string_value(art),
                                   json_string_length(art), NULL};
    }
    if (n == 0)
        die("%s: no line has both a \"text\" and an \"article\"", path);
    /* Comments under the same article next to each other, as a backend scores a post's comments. */
    qsort(rows, n, sizeof *rows, by_article_text);
    cg_model *m = open_model(model_dir);
    cg_workspace *ws;
    if (cg_workspace_new(m, &ws) != CG_OK)
        die("out of memory%s", "");
    size_t n_articles = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && by_article_text(&rows[i - 1], &rows[i]) == 0) {
            rows[i].article = rows[i - 1].article;
            continue;
        }
        if (cg_article_new(m, ws, rows[i].article_text, rows[i].article_len, &rows[i].article) != CG_OK)
            die("article: %s", cg_workspace_error(ws));
        n_articles++;
    }
    printf("%zu comments under %zu articles; preparing the articles took %.3f s\n", n, n_articles, now() - t0);
    double sink = 0, *ratio = malloc((size_t)repeat * sizeof *ratio);
    if (!ratio)
        die("out of memory%s", "");
    for (long r = 0; r < repeat; r++) { /* alternate, so that both conditions see the same machine */
        double without = classify_pass(m, ws, rows, n, 0, &sink), with = classify_pass(m, ws, rows, n, 1, &sink);
        ratio[r] = with / without;
        printf("pass %ld: without the article %.0f comments/s, with it %.0f comments/s: %.3fx the time\n", r + 1,
               n / without, n / with, ratio[r]);
    }
    qsort(ratio, (size_t)repeat, sizeof *ratio, compare_double);
    printf("median cost with the article: %.3fx the time without it\n", ratio[repeat / 2]);
    fprintf(stderr, "(checksum %.6f)\n", sink);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || rows[i].article != rows[i - 1].article)
            cg_article_free(rows[i].article);
    for (size_t i = 0; i < in.n; i++)
        json_decref(objs[i]);
    free(ratio);
    free(objs);
    free(rows);
    free_lines(&in);
    cg_workspace_free(ws);
    cg_model_free(m);
    return 0;
}

int main(int argc, char **argv)
{
    static const char usage[] =
        "usage: cg_dump_vectors dump --model DIR [--format text|jsonl] [--articles none|with|all] < in > out\n"
        "       cg_dump_vectors predict --model DIR VECTORS OUTPUT [--libsvm] [--repeat N]\n"
        "       cg_dump_vectors decision --model DIR VECTORS\n"
        "       cg_dump_vectors cache --model DIR\n"
        "       cg_dump_vectors load --model DIR [--repeat N]\n"
        "       cg_dump_vectors classify --model DIR [--format text|jsonl] [--repeat N] FILE\n"
        "       cg_dump_vectors article-cost --model DIR [--repeat N] FILE.jsonl\n";
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1], *model = NULL, *articles = "none", *pos[2] = {NULL, NULL};
    int jsonl = 0, use_libsvm = 0, n_pos = 0;
    long repeat = -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(a, "--format") == 0 && i + 1 < argc)
            jsonl = strcmp(argv[++i], "jsonl") == 0;
        else if (strcmp(a, "--articles") == 0 && i + 1 < argc)
            articles = argv[++i];
        else if (strcmp(a, "--repeat") == 0 && i + 1 < argc)
            repeat = strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--libsvm") == 0)
            use_libsvm = 1;
        else if (a[0] != '-' && n_pos < 2)
            pos[n_pos++] = a;
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (strcmp(cmd, "dump") == 0)
        return cmd_dump(model, jsonl, articles);
    if (strcmp(cmd, "predict") == 0 && n_pos == 2)
        return cmd_predict(model, pos[0], pos[1], use_libsvm, repeat < 1 ? 1 : repeat);
    if (strcmp(cmd, "decision") == 0 && n_pos == 1)
        return cmd_decision(model, pos[0]);
#ifdef CG_BUNDLE_SVM_CACHE
    if (strcmp(cmd, "cache") == 0 && model) {
        char err[512];
        if (cg_bundle_write_cache(model, err, sizeof err) != CG_OK)
            die("%s", err);
        return 0;
    }
#endif
    if (strcmp(cmd, "load") == 0)
        return cmd_load(model, repeat < 0 ? 5 : repeat);
    if (strcmp(cmd, "classify") == 0 && n_pos == 1)
        return cmd_classify(model, jsonl, pos[0], repeat < 0 ? 3 : repeat);
    if (strcmp(cmd, "article-cost") == 0 && n_pos == 1)
        return cmd_article_cost(model, pos[0], repeat < 1 ? 11 : repeat);
    fputs(usage, stderr);
    return 2;
}
