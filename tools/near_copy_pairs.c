/*
 * near_copy_pairs.c - cg_near_copy_pairs: how often serve's near-copy index would match comments it
 * should not, and how many words a campaign may change and still be caught. Not installed; it links
 * the server's own sketch code (src/serve/near_copy_sketch.c), so it measures what serve computes.
 *
 *   cg_near_copy_pairs [--words K] [--examples N] FILE.jsonl...
 *
 * For each file of labelled comments (JSON Lines with "label" and "text"):
 *   - false matches: pairs of distinct texts with different labels whose similarity reaches each
 *     of the thresholds 0.3 ... 0.9 (serve's NEAR_COPY_THRESHOLD marked), every pair compared;
 *     the first N such pairs at serve's threshold are printed (texts cut to 100 bytes);
 *   - campaign variants: each off-topic comment long enough to be matched, with 1 to 6 of its words
 *     replaced by new words at random places (seeded, 20 variants each): the share whose similarity
 *     to the original reaches the threshold.
 * --words K sketches with shingles of K words instead of serve's NEAR_COPY_WORDS.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "near_copy_sketch.h"

static const double thresholds[] = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
#define NUM_THRESHOLDS (sizeof thresholds / sizeof *thresholds)
#define VARIANTS 20
#define MAX_CHANGED 6

typedef struct row {
    char *text;
    size_t len;
    char label[16];
    near_copy_sketch sketch;
} row;

static row *read_rows(const char *path, unsigned words, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    row *rows = NULL;
    size_t cap = 0, linecap = 0;
    char *line = NULL;
    long lineno = 0;
    *n = 0;
    while (getline(&line, &linecap, f) > 0) {
        lineno++;
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        json_t *text = json_object_get(o, "text"), *label = json_object_get(o, "label");
        if (!json_is_string(text) || !json_is_string(label)) {
            fprintf(stderr, "%s:%ld: expected an object with string \"text\" and \"label\"\n", path, lineno);
            exit(2);
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            rows = realloc(rows, cap * sizeof *rows);
            if (!rows) {
                fprintf(stderr, "out of memory\n");
                exit(2);
            }
        }
        row *r = &rows[(*n)++];
        r->len = json_string_length(text);
        r->text = malloc(r->len + 1);
        if (!r->text || near_copy_sketch_of(json_string_value(text), r->len, words, &r->sketch) != 0) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        memcpy(r->text, json_string_value(text), r->len + 1);
        snprintf(r->label, sizeof r->label, "%s", json_string_value(label));
        json_decref(o);
    }
    free(line);
    fclose(f);
    return rows;
}

static void print_cut(const char *text, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len && i < 100; i++)
        putchar(text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ? ' ' : text[i]);
    printf("%s\"\n", len > 100 ? "..." : "");
}

static void false_matches(const row *rows, size_t n, int examples)
{
    size_t matched[NUM_THRESHOLDS] = {0}, usable = 0;
    for (size_t i = 0; i < n; i++)
        usable += rows[i].sketch.shingles >= NEAR_COPY_MIN_SHINGLES;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].sketch.shingles < NEAR_COPY_MIN_SHINGLES)
            continue;
        for (size_t j = i + 1; j < n; j++) {
            const row *a = &rows[i], *b = &rows[j];
            if (b->sketch.shingles < NEAR_COPY_MIN_SHINGLES || strcmp(a->label, b->label) == 0 ||
                (a->len == b->len && memcmp(a->text, b->text, a->len) == 0))
                continue;
            /* Sets whose sizes differ more than the lowest threshold allows cannot reach it. */
            unsigned small = a->sketch.shingles < b->sketch.shingles ? a->sketch.shingles : b->sketch.shingles;
            unsigned large = a->sketch.shingles ^ b->sketch.shingles ^ small;
            int whole = a->sketch.n == a->sketch.shingles && b->sketch.n == b->sketch.shingles;
            if (whole && small < thresholds[0] * large)
                continue;
            double sim = near_copy_similarity(&a->sketch, &b->sketch);
            for (size_t t = 0; t < NUM_THRESHOLDS; t++)
                matched[t] += sim >= thresholds[t];
            if (sim >= NEAR_COPY_THRESHOLD && examples > 0) {
                examples--;
                printf("  similarity %.3f: %s ", sim, a->label);
                print_cut(a->text, a->len);
                printf("                    %s ", b->label);
                print_cut(b->text, b->len);
            }
        }
    }
    printf("  rows %zu, long enough to be matched (>= %d shingles) %zu\n", n, NEAR_COPY_MIN_SHINGLES, usable);
    printf("  pairs of distinct texts with different labels at similarity >=\n   ");
    for (size_t t = 0; t < NUM_THRESHOLDS; t++)
        printf(" %s%.1f: %zu", thresholds[t] == NEAR_COPY_THRESHOLD ? "*" : "", thresholds[t], matched[t]);
    printf("\n");
}

/* text with `changes` of its words (runs of letters and digits) replaced by new ones, into out. */
static size_t variant(const char *text, size_t len, int changes, unsigned *seed, char *out)
{
    size_t starts[4096], ends[4096], words = 0;
    for (size_t i = 0; i < len && words < 4096;) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'z') ||
              (text[i] >= 'A' && text[i] <= 'Z') || (unsigned char)text[i] >= 0x80)) {
            i++;
            continue;
        }
        starts[words] = i;
        while (i < len && ((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'z') ||
                           (text[i] >= 'A' && text[i] <= 'Z') || (unsigned char)text[i] >= 0x80))
            i++;
        ends[words++] = i;
    }
    char replaced[4096] = {0};
    for (int c = 0; c < changes && (size_t)c < words; c++) {
        size_t w;
        do
            w = (size_t)rand_r(seed) % words;
        while (replaced[w]);
        replaced[w] = 1;
    }
    size_t o = 0, prev = 0;
    for (size_t w = 0; w < words; w++) {
        if (!replaced[w])
            continue;
        memcpy(out + o, text + prev, starts[w] - prev);
        o += starts[w] - prev;
        o += (size_t)sprintf(out + o, "zq%u", (unsigned)rand_r(seed));
        prev = ends[w];
    }
    memcpy(out + o, text + prev, len - prev);
    return o + len - prev;
}

static void campaign_variants(const row *rows, size_t n, unsigned words)
{
    size_t tried = 0, caught[MAX_CHANGED + 1] = {0};
    unsigned seed = 20261206;
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        if (strcmp(r->label, "off-topic") != 0 || r->sketch.shingles < NEAR_COPY_MIN_SHINGLES)
            continue;
        char *buf = malloc(r->len + 64 * MAX_CHANGED + 1);
        if (!buf)
            exit(2);
        tried++;
        for (int changes = 1; changes <= MAX_CHANGED; changes++) {
            for (int v = 0; v < VARIANTS; v++) {
                near_copy_sketch s;
                size_t len = variant(r->text, r->len, changes, &seed, buf);
                if (near_copy_sketch_of(buf, len, words, &s) != 0)
                    exit(2);
                caught[changes] += near_copy_similarity(&r->sketch, &s) >= NEAR_COPY_THRESHOLD;
            }
        }
        free(buf);
    }
    printf("  campaign variants of %zu off-topic comments (%d each) caught at %.1f, by words changed:\n   ", tried,
           VARIANTS, NEAR_COPY_THRESHOLD);
    for (int changes = 1; changes <= MAX_CHANGED; changes++)
        printf(" %d: %.1f%%", changes, tried ? 100.0 * caught[changes] / (tried * VARIANTS) : 0);
    printf("\n");
}

int main(int argc, char **argv)
{
    unsigned words = NEAR_COPY_WORDS;
    int examples = 0, i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (i + 1 >= argc)
            break;
        if (strcmp(argv[i], "--words") == 0)
            words = (unsigned)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--examples") == 0)
            examples = atoi(argv[i + 1]);
        else
            break;
    }
    if (i >= argc || words < 1 || words > 8) {
        fprintf(stderr, "usage: cg_near_copy_pairs [--words K] [--examples N] FILE.jsonl...\n");
        return 2;
    }
    for (; i < argc; i++) {
        size_t n;
        row *rows = read_rows(argv[i], words, &n);
        printf("%s (shingles of %u words, sketch %d, threshold %.2f)\n", argv[i], words, NEAR_COPY_SKETCH,
               NEAR_COPY_THRESHOLD);
        false_matches(rows, n, examples);
        campaign_variants(rows, n, words);
        for (size_t k = 0; k < n; k++)
            free(rows[k].text);
        free(rows);
    }
    return 0;
}
