/* score_batch.c - the input formats of `commentguard score`: a batch of lines read, each
 * classified as a text line or a JSON Lines record, and its output lines written in the batch. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_batch.h"

static int grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 4096;
    while (n < need)
        n *= 2;
    char *p = realloc(*buf, n);
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

static int append(batch *b, const char *s, size_t n)
{
    if (grow(&b->out, &b->out_cap, b->out_len + n) < 0) {
        b->out_of_memory = 1;
        return -1;
    }
    memcpy(b->out + b->out_len, s, n);
    b->out_len += n;
    return 0;
}

/* Read up to a batch of lines. CLI_LINE: the batch is full and more may follow; CLI_LINE_END or
 * CLI_LINE_ERROR: the input is done with (the batch holds the lines read before). */
cli_line_status score_fill_batch(cli_lines *in, batch *b)
{
    b->n = b->data_len = b->out_len = b->failed = 0;
    b->out_of_memory = 0;
    while (b->n < BATCH_LINES && b->data_len < BATCH_BYTES) {
        const char *line;
        size_t len;
        cli_line_status st = cli_lines_next(in, &line, &len);
        if (st == CLI_LINE_END || st == CLI_LINE_ERROR)
            return st;
        batch_line *l = &b->lines[b->n++];
        *l = (batch_line){.off = b->data_len, .len = st == CLI_LINE ? len : 0, .too_long = st != CLI_LINE};
        if (l->len > 0) {
            if (grow(&b->data, &b->data_cap, b->data_len + len) < 0) {
                errno = ENOMEM;
                return CLI_LINE_ERROR;
            }
            memcpy(b->data + b->data_len, line, len);
            b->data_len += len;
        }
    }
    return CLI_LINE;
}

/*
 * Write p as printf's "%.6f" would, returning the length: printf is a large share of the time spent
 * writing results. p * 1e6 is within 2^-33 of the exact product for p in [0, 1], so rounding it to
 * the nearest integer gives printf's digits unless the fraction is within 1e-6 of a half (an exact
 * tie such as p = 1/128, where printf rounds to even); those, and anything outside [0, 1] or
 * negative zero, go to snprintf.
 */
static size_t format_probability(char *out, double p)
{
    if (p >= 0.0 && p <= 1.0 && !signbit(p)) {
        double x = p * 1e6, whole = floor(x), frac = x - whole;
        if (fabs(frac - 0.5) >= 1e-6) {
            uint32_t v = (uint32_t)whole + (frac > 0.5);
            out[0] = (char)('0' + v / 1000000);
            out[1] = '.';
            v %= 1000000;
            for (int i = 7; i >= 2; i--, v /= 10)
                out[i] = (char)('0' + v % 10);
            return 8;
        }
    }
    return (size_t)snprintf(out, 32, "%.6f", p);
}

static int dump_to_batch(const char *buffer, size_t size, void *data);

/* One text-format line; with reasons (--explain), they follow as a fifth column in JSON. */
static void text_output(batch *b, const cg_result *r, json_t *reasons, const char *error)
{
    char line[600], clean[512];
    size_t n;
    if (error) {
        cli_clean_message(clean, sizeof clean, error);
        n = (size_t)snprintf(line, sizeof line, "error\t%s\n", clean);
    } else {
        const char *name = cg_label_name(r->label);
        n = strlen(name);
        memcpy(line, name, n);
        for (int k = 0; k < CG_NUM_CLASSES; k++) {
            line[n++] = '\t';
            n += format_probability(line + n, r->prob[k]);
        }
        if (reasons)
            line[n++] = '\t';
        else
            line[n++] = '\n';
    }
    append(b, line, n); /* never truncated: the longest line is "error\t" and 511 bytes */
    if (reasons && (json_dump_callback(reasons, dump_to_batch, b, CLI_RESULT_JSON_FLAGS) != 0 || append(b, "\n", 1) < 0))
        b->out_of_memory = 1;
    json_decref(reasons);
}

static int dump_to_batch(const char *buffer, size_t size, void *data)
{
    return append(data, buffer, size);
}

/* The answer object of a JSONL line (result_json.c), as one output line. */
static void jsonl_output(batch *b, json_t *id, const cg_result *r, json_t *reasons, const char *error)
{
    json_t *o = cli_result_json(id, r, reasons, error);
    if (!o || json_dump_callback(o, dump_to_batch, b, CLI_RESULT_JSON_FLAGS) != 0 || append(b, "\n", 1) < 0)
        b->out_of_memory = 1;
    json_decref(o);
}

static void score_text_line(worker *w, batch *b, const char *text, size_t len)
{
    cg_result r;
    if (len > 0 && text[len - 1] == '\r')
        len--;
    json_t *reasons = NULL;
    cg_comment comment = {text, len, NULL, NULL, NULL};
    if (cg_classify(w->run->model, w->ws, text, len, w->run->article, &r) == CG_OK &&
        (!w->run->explain || (reasons = cli_reasons_json(w->run->model, w->ws, &comment, w->run->article, &r)))) {
        text_output(b, &r, reasons, NULL);
    } else {
        text_output(b, NULL, NULL, cg_workspace_error(w->ws));
        b->failed++;
    }
}

static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

static void score_jsonl_line(worker *w, batch *b, const char *line, size_t len)
{
    char msg[512];
    cg_result r;
    json_t *obj = NULL, *id = NULL, *reasons = NULL;
    int ok = 0;
    json_error_t jerr;
    if (blank(line, len)) {
        snprintf(msg, sizeof msg, "empty line");
    } else if (!(obj = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr))) {
        snprintf(msg, sizeof msg, "invalid JSON at byte %d: %s", jerr.position, jerr.text);
    } else if (!json_is_object(obj)) {
        snprintf(msg, sizeof msg, "not a JSON object");
    } else {
        id = json_object_get(obj, "id");
        ok = !cli_classify_object(w->run->model, w->ws, &w->articles, w->run->article, obj, w->run->explain, &r,
                                  &reasons, msg, sizeof msg);
    }
    jsonl_output(b, id, &r, reasons, ok ? NULL : msg);
    b->failed += !ok;
    json_decref(obj);
}

void score_batch(worker *w, batch *b)
{
    char msg[64];
    for (size_t i = 0; i < b->n && !b->out_of_memory; i++) {
        const batch_line *l = &b->lines[i];
        if (l->too_long) {
            snprintf(msg, sizeof msg, "line too long (over %zu bytes)", w->run->max_line);
            if (w->run->jsonl)
                jsonl_output(b, NULL, NULL, NULL, msg);
            else
                text_output(b, NULL, NULL, msg);
            b->failed++;
        } else if (w->run->jsonl) {
            score_jsonl_line(w, b, b->data + l->off, l->len);
        } else {
            score_text_line(w, b, b->data + l->off, l->len);
        }
    }
}
