/* topicality_table.h - in how many texts each word stem occurs: the topicality stage's table
 * (topic.idf, src/topicality.h), counted while fitting (topicality_table.c). */
#ifndef CG_TOPICALITY_TABLE_H
#define CG_TOPICALITY_TABLE_H

#include <stddef.h>

#include "analyse.h"

/* The stems counted so far: an open-addressing table, rehashed when half full. Zero it to start;
 * free(e) to end. */
typedef struct cg_stem_counts {
    struct stem_entry *e;
    size_t mask, n;
} cg_stem_counts;

/* Count the stems (cut to stem_chars characters) of text as document doc (a document counts once
 * per stem), analysed with ex into ws. */
cg_status cg_stem_counts_add_text(const cg_extractor *ex, cg_workspace *ws, unsigned stem_chars, const char *text,
                                  size_t len, size_t doc, cg_stem_counts *c);

/* The table's text (malloc'd; NULL if memory ran out): "documents N", then the stems of at least
 * min_df documents, in byte order; *stems of them. */
char *cg_stem_counts_table(const cg_stem_counts *c, size_t documents, unsigned min_df, size_t *len, size_t *stems);

#endif
