/* scratch.h - a private temporary directory for the files a harness feeds the code under test. */
#ifndef CG_FUZZ_SCRATCH_H
#define CG_FUZZ_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

/* Make the directory (once, from LLVMFuzzerInitialize) for files of these names (at most 4, kept by
 * reference); they and the directory are removed at exit. Aborts if it cannot. */
void scratch_open(const char *prefix, const char *const *names, size_t n);

/* The directory. */
const char *scratch_dir(void);

/* The path of file `name` in the directory, in buf. */
const char *scratch_path(const char *name, char *buf, size_t size);

/* Write data as file `name` (aborts if it cannot), or remove the file when data is NULL. */
void scratch_write(const char *name, const uint8_t *data, size_t len);

#endif
