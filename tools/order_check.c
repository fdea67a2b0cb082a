/*
 * order_check.c - cg_order_check, an internal tool (not installed): does scoring from the decision
 * values summed during extraction (cg_extract_sums, the hashed block unsorted: what cg_classify takes
 * with a linear model) give what scoring from the sorted vectors (cg_extract) gives? It links the
 * static library and reaches into its private headers.
 *
 *   cg_order_check --model DIR [--format jsonl|text] FILE...
 *
 * Every comment of each FILE (JSONL: its "text", against its "article" when it has one, as
 * `commentguard score --format jsonl` reads it; text: a comment a line) is classified both ways.
 * For each file it prints the comments, how many score lines differ as `commentguard score` prints
 * them (label and probabilities to 6 decimals), and the largest absolute difference of the decision
 * values and of the probabilities. Exit status 1 if any score line differs.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "commentguard.h"
#include "extract.h"
#include "svm_model.h"
#include "workspace.h"

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "cg_order_check: %s%s\n", what, detail);
    exit(2);
}

typedef struct tally {
    size_t comments, differing;
    double worst_dec, worst_prob;
} tally;

/* The score line of r as `commentguard score` prints it (text format). */
static void score_line(char *out, size_t size, const cg_result *r)
{
    snprintf(out, size, "%s\t%.6f\t%.6f\t%.6f", cg_label_name(r->label), r->prob[0], r->prob[1], r->prob[2]);
}

static void check_comment(const cg_model *m, cg_workspace *ws, const char *text, size_t len, const cg_article *a,
                          tally *t)
{
    cg_result r[2];
    double dec[2][CG_PAIRS];
    char line[2][128];
    for (int sorted = 0; sorted < 2; sorted++) {
        ws->sorted_nodes = sorted;
        if (cg_classify(m, ws, text, len, a, &r[sorted]) != CG_OK)
            die("classify: ", cg_workspace_error(ws));
        score_line(line[sorted], sizeof line[sorted], &r[sorted]);
        if (sorted) {
            if (cg_extract(&m->extractor, ws, text, len, a) != CG_OK)
                die("extract: ", cg_workspace_error(ws));
            cg_svm_decision_values(&m->svm, ws->nodes, dec[1]);
        } else {
            if (cg_extract_sums(&m->extractor, ws, text, len, a, m->svm.weights, dec[0]) != CG_OK)
                die("extract: ", cg_workspace_error(ws));
            for (int p = 0; p < CG_PAIRS; p++)
                dec[0][p] -= m->svm.rho[p];
        }
    }
    t->comments++;
    t->differing += strcmp(line[0], line[1]) != 0;
    for (int p = 0; p < CG_PAIRS; p++)
        t->worst_dec = fmax(t->worst_dec, fabs(dec[0][p] - dec[1][p]));
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        t->worst_prob = fmax(t->worst_prob, fabs(r[0].prob[k] - r[1].prob[k]));
}

/* The article of a JSONL row, prepared once for a run of rows that share its text. */
typedef struct article_cache {
    char *text;
    size_t len;
    cg_article *article;
} article_cache;

static const cg_article *row_article(const cg_model *m, cg_workspace *ws, json_t *art, article_cache *c)
{
    if (!json_is_string(art))
        return NULL;
    const char *text = json_string_value(art);
    size_t len = json_string_length(art);
    if (c->article && c->len == len && memcmp(c->text, text, len) == 0)
        return c->article;
    cg_article_free(c->article);
    free(c->text);
    c->article = NULL;
    if (!(c->text = malloc(len + 1)))
        die("out of memory", "");
    memcpy(c->text, text, len);
    c->len = len;
    if (cg_article_new(m, ws, text, len, &c->article) != CG_OK)
        die("article: ", cg_workspace_error(ws));
    return c->article;
}

static void check_file(const cg_model *m, cg_workspace *ws, const char *path, int jsonl, tally *t)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open ", path);
    article_cache cache = {NULL, 0, NULL};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (!jsonl) {
            check_comment(m, ws, line, len, NULL, t);
            continue;
        }
        json_error_t jerr;
        json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL, &jerr), *text = json_object_get(obj, "text");
        if (!json_is_string(text))
            die("a line without a \"text\" in ", path);
        const cg_article *a = row_article(m, ws, json_object_get(obj, "article"), &cache);
        check_comment(m, ws, json_string_value(text), json_string_length(text), a, t);
        json_decref(obj);
    }
    free(line);
    fclose(f);
    cg_article_free(cache.article);
    free(cache.text);
}

int main(int argc, char **argv)
{
    const char *model_dir = NULL;
    int jsonl = 1, first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (first + 1 >= argc)
            die("missing value of ", argv[first]);
        if (strcmp(argv[first], "--model") == 0)
            model_dir = argv[first + 1];
        else if (strcmp(argv[first], "--format") == 0 && strcmp(argv[first + 1], "text") == 0)
            jsonl = 0;
        else if (strcmp(argv[first], "--format") != 0 || strcmp(argv[first + 1], "jsonl") != 0)
            die("usage: cg_order_check --model DIR [--format jsonl|text] FILE...; not ", argv[first]);
    }
    if (!model_dir || first >= argc)
        die("usage: cg_order_check --model DIR [--format jsonl|text] FILE...", "");
    cg_model *m;
    char err[512];
    if (cg_model_open(model_dir, &m, err, sizeof err) != CG_OK)
        die("cannot load the model: ", err);
    if (!m->svm.weights)
        die("the model is not linear: cg_classify scores it from sorted vectors only", "");
    cg_workspace *ws;
    if (cg_workspace_new(m, &ws) != CG_OK)
        die("out of memory", "");
    int status = 0;
    for (int i = first; i < argc; i++) {
        tally t = {0, 0, 0, 0};
        check_file(m, ws, argv[i], jsonl, &t);
        printf("%s: %zu comments, %zu score lines differ; decision values at most %.3g apart, probabilities %.3g\n",
               argv[i], t.comments, t.differing, t.worst_dec, t.worst_prob);
        status |= t.differing > 0;
    }
    cg_workspace_free(ws);
    cg_model_free(m);
    return status;
}
