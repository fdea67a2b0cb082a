/* result_json.h - the JSON objects that `score --format jsonl` and `serve` share: one request object
 * {"text", "article", "id"} in, one answer object out (result_json.c). */
#ifndef CG_CLI_RESULT_JSON_H
#define CG_CLI_RESULT_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "commentguard.h"

/* How answers are serialised: compact, probabilities as rounded below. */
#define CLI_RESULT_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* The article one thread prepared last, reused while the same text comes again. Start it zeroed;
 * it belongs to the thread that owns the workspace it is used with. */
typedef struct cli_article_cache {
    char *text;
    size_t len, cap;
    cg_article *article; /* prepared from text, or NULL */
} cli_article_cache;

void cli_article_cache_free(cli_article_cache *c);

/*
 * Classify the request object `obj`: its "text" (a string) against its "article" (a string; null
 * for none; absent: `fallback`, which may be NULL). Returns 0 with *r filled in, or -1 with the
 * reason in msg (size bytes, always terminated).
 */
int cli_classify_object(const cg_model *model, cg_workspace *ws, cli_article_cache *cache,
                        const cg_article *fallback, json_t *obj, cg_result *r, char *msg, size_t size);

/*
 * The answer: {"id": id, "label": ..., "scores": {"on-topic": p, "off-topic": p, "abusive": p}}
 * with probabilities rounded to six decimals, or, when error is not NULL, {"id": id, "error":
 * message}; "id" only when id is not NULL. Explanations (cg_explain, `score --explain`) will be
 * one more member of this object. Returns a new reference, or NULL if out of memory.
 */
json_t *cli_result_json(json_t *id, const cg_result *r, const char *error);

/* A message fit for one output line: control characters become spaces, bytes beyond ASCII '?'
 * (so that it is valid UTF-8, whatever the input held). Truncated to size - 1 bytes. */
void cli_clean_message(char *out, size_t size, const char *msg);

#endif
