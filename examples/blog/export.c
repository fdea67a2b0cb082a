/* export.c - writing training data from the blog's database (see export.h). */
#define _POSIX_C_SOURCE 200809L
#include "export.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct writer {
    FILE *out;
    size_t *counts;
    const char *error; /* why writing stopped, or NULL */
} writer;

/* One line {"label", "text", "article", "author"} ("author" when not empty: a bundle adapted to the
 * blog reads it as a field of its own). */
static int write_example(void *ctx, const char *label, const char *text, size_t text_len, const char *article,
                         size_t article_len, const char *author)
{
    writer *w = ctx;
    json_t *line = json_pack("{s:s, s:s%, s:s%}", "label", label, "text", text, text_len, "article", article,
                             article_len);
    if (line && author && *author && json_object_set_new(line, "author", json_string(author)) != 0) {
        json_decref(line);
        line = NULL;
    }
    if (!line) {
        w->error = "a comment or post is not valid UTF-8, or out of memory";
        return STORE_ERROR;
    }
    int failed = json_dumpf(line, w->out, JSON_COMPACT) != 0 || fputc('\n', w->out) == EOF;
    json_decref(line);
    if (failed) {
        w->error = strerror(errno);
        return STORE_ERROR;
    }
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (strcmp(label, cg_label_name((cg_label)k)) == 0)
            w->counts[k]++;
    return STORE_OK;
}

/* Write the examples to out within one read transaction: 0, or -1 with err set. */
static int write_all(store *s, FILE *out, double min_prob, size_t counts[CG_NUM_CLASSES], char *err, size_t errlen)
{
    writer w = {.out = out, .counts = counts};
    int status = store_begin_read(s);
    if (status == STORE_OK)
        status = store_each_example(s, min_prob, write_example, &w);
    if (status == STORE_OK)
        status = store_commit(s);
    else
        store_rollback(s);
    if (status != STORE_OK) {
        snprintf(err, errlen, "%s", w.error ? w.error : store_error(s));
        return -1;
    }
    return 0;
}

int export_examples(store *s, const char *path, double min_prob, size_t counts[CG_NUM_CLASSES], char *err,
                    size_t errlen)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + sizeof ".XXXXXX");
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", sizeof ".XXXXXX");
    memset(counts, 0, CG_NUM_CLASSES * sizeof *counts);
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    int status = -1;
    if (!out) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    } else if (write_all(s, out, min_prob, counts, err, errlen) == 0) {
        if (fchmod(fd, 0644) != 0 || fflush(out) != 0 || fsync(fd) != 0)
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        else
            status = 0;
    }
    if (out) {
        if (fclose(out) != 0 && status == 0) {
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
            status = -1;
        }
    } else if (fd >= 0) {
        close(fd);
    }
    if (status == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        status = -1;
    }
    if (status != 0 && fd >= 0)
        unlink(tmp);
    free(tmp);
    return status;
}
