/* read_file.h - whole files into memory: model files, a bundle's lexicon. */
#ifndef CG_READ_FILE_H
#define CG_READ_FILE_H

#include <stddef.h>

#include "commentguard.h"

/* Memory for a big array (a model's text, its support vectors, its weights), aligned at least to a
 * cache line; freed with free(). */
void *cg_alloc_big(size_t bytes);

/* Read a whole file of at most `limit` bytes into *data (NUL-terminated, from cg_alloc_big).
 * CG_ERR_IO if it cannot be opened or read, CG_ERR_FORMAT if it is larger than the limit; the
 * message goes to err. */
cg_status cg_read_file(const char *path, long limit, char **data, size_t *size, char *err, size_t errlen);

#endif
