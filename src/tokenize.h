/* tokenize.h - splitting normalised text into words and classed tokens (URLs, numbers, ...). */
#ifndef CG_TOKENIZE_H
#define CG_TOKENIZE_H

#include "workspace.h"

/* Longest word token in bytes; longer runs of letters are split into several words. */
#define CG_MAX_WORD_BYTES 256

typedef struct cg_patterns cg_patterns; /* compiled once per model, read-only, shared by threads */

cg_status cg_patterns_compile(cg_patterns **out, char *err, size_t errlen);
void cg_patterns_free(cg_patterns *patterns);

/* Split ws->norm into ws->tokens. Words are letters (with digits, apostrophes, underscores after
 * the first letter, and runs of up to four asterisks between letters, as in a masked word "us*d";
 * at most CG_MAX_WORD_BYTES bytes a piece); URLs, e-mail addresses, @mentions,
 * phone numbers, money amounts, numbers and runs of punctuation become tokens of their kind. */
cg_status cg_tokenize(const cg_patterns *patterns, cg_workspace *ws);

/* The name of a token kind as it enters the n-gram stream, e.g. "<url>". */
const char *cg_token_class_name(cg_token_kind kind);

/* The host of a URL or e-mail token, without "www."; *len receives its length. */
const char *cg_token_domain(const char *token, size_t token_len, cg_token_kind kind, size_t *len);

#endif
