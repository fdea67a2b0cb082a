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

/* The cached article for text[0..len), prepared anew when the text differs from the last one;
 * valid until the next call with the same cache. */
cg_status cli_prepare_article(const cg_model *model, cg_workspace *ws, cli_article_cache *c, const char *text,
                              size_t len, const cg_article **out);

/*
 * The comment of a request object: its "text" (a string) and its "author", "author_url" and
 * "author_email" (strings, or null or absent for none), pointing into obj. 0, or -1 with the
 * reason in msg.
 */
int cli_comment_of(json_t *obj, cg_comment *out, char *msg, size_t size);

/*
 * Classify the request object `obj`: its comment (cli_comment_of) against its "article" (a string; null
 * for none; absent: `fallback`, which may be NULL) and, with an article string, its "thread" (an
 * array of strings, the comments already published under the post, oldest first; null, absent or
 * empty for none: cg_article_new_thread). Returns 0 with *r filled in, or -1 with the
 * reason in msg (size bytes, always terminated). When `explain` is set or the object has
 * "explain": true, *reasons receives the reasons for the label (cli_reasons_json), else NULL.
 */
int cli_classify_object(const cg_model *model, cg_workspace *ws, cli_article_cache *cache,
                        const cg_article *fallback, json_t *obj, int explain, cg_result *r, json_t **reasons,
                        char *msg, size_t size);

/* Up to CLI_MAX_REASONS reasons (cg_explain_comment) for r's label, or for its most probable class when
 * the label is "unsure": [{"text": ..., "weight": ..., "start": ..., "end": ...}] ("start" and
 * "end" only when the text is found in the comment). NULL with a message in ws if that fails. */
#define CLI_MAX_REASONS 5
json_t *cli_reasons_json(const cg_model *model, cg_workspace *ws, const cg_comment *comment,
                         const cg_article *article, const cg_result *r);

/*
 * The answer: {"id": id, "label": ..., "scores": {"on-topic": p, "off-topic": p, "abusive": p}}
 * with probabilities rounded to six decimals, or, when error is not NULL, {"id": id, "error":
 * message}; "id" only when id is not NULL; "reasons" (cli_reasons_json) when reasons is not NULL,
 * whose reference it takes. Returns a new reference, or NULL if out of memory.
 */
json_t *cli_result_json(json_t *id, const cg_result *r, json_t *reasons, const char *error);

/* A message fit for one output line: control characters become spaces, bytes beyond ASCII '?'
 * (so that it is valid UTF-8, whatever the input held). Truncated to size - 1 bytes. */
void cli_clean_message(char *out, size_t size, const char *msg);

#endif
