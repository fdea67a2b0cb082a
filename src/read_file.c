/* read_file.c - whole files into memory. */
#define _GNU_SOURCE /* MADV_HUGEPAGE */
#include "read_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Memory for the big arrays of a model (its text, the support vectors, the weights): blocks of a
 * megabyte or more are aligned to 2 MiB and offered to the kernel for transparent huge pages, so
 * that filling them takes a few page faults instead of thousands (page faults are what loading a
 * model mostly waits for in virtual machines); smaller ones to a cache line. Freed with free().
 */
#define HUGE_PAGE ((size_t)2 << 20)

void *cg_alloc_big(size_t bytes)
{
    if (bytes < HUGE_PAGE / 2)
        return aligned_alloc(64, (bytes + 64) & ~(size_t)63); /* a multiple of 64, at least 64 */
    size_t size = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p;
    if (posix_memalign(&p, HUGE_PAGE, size) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE); /* only advice: without it, ordinary pages */
#endif
    return p;
}

cg_status cg_read_file(const char *path, long limit, char **data, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CG_ERR_IO;
    }
    char *text = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= limit && fseek(f, 0, SEEK_SET) == 0 &&
        (text = cg_alloc_big((size_t)n + 1)) != NULL && fread(text, 1, (size_t)n, f) == (size_t)n) {
        fclose(f);
        text[n] = '\0';
        *data = text;
        *size = (size_t)n;
        return CG_OK;
    }
    fclose(f);
    free(text);
    if (err)
        snprintf(err, errlen, "%s: %s", path, n > limit ? "too large" : "cannot be read");
    return n > limit ? CG_ERR_FORMAT : CG_ERR_IO;
}
