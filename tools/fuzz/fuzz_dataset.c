/* fuzz_dataset.c - libFuzzer harness for the labelled data readers (cg_dataset_load).
 *
 * Input: one byte choosing the format (even: TSV, odd: JSON Lines), then the file; if it holds a
 * 0x1E byte, what follows it is written as contexts.tsv beside a TSV file. Files go to a temporary
 * directory made once. A successful read must give rows with known labels, NUL-terminated texts
 * and increasing line numbers; a failed one a message. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"

static char dir[] = "/tmp/cg_fuzz_dataset_XXXXXX";

static void remove_dir(void)
{
    const char *names[] = {"data.tsv", "data.jsonl", "contexts.tsv"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    atexit(remove_dir);
    return 0;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int jsonl = data[0] & 1;
    data++;
    size--;
    const uint8_t *sep = memchr(data, 0x1E, size);
    size_t len = sep ? (size_t)(sep - data) : size;
    char path[128], contexts[128];
    snprintf(path, sizeof path, "%s/data.%s", dir, jsonl ? "jsonl" : "tsv");
    snprintf(contexts, sizeof contexts, "%s/contexts.tsv", dir);
    write_file(path, data, len);
    if (sep)
        write_file(contexts, sep + 1, size - len - 1);
    else
        unlink(contexts);

    cg_dataset ds;
    char err[256] = "";
    if (cg_dataset_load(path, &ds, err, sizeof err) == CG_OK) {
        long line = 0;
        for (size_t i = 0; i < ds.n; i++) {
            const cg_example *e = &ds.rows[i];
            if ((int)e->label < 0 || e->label >= CG_NUM_CLASSES || e->text[e->text_len] != '\0' ||
                (e->article && e->article[e->article_len] != '\0') || !e->source || e->line <= line)
                abort();
            line = e->line;
        }
        cg_dataset_free(&ds);
    } else if (err[0] == '\0') {
        abort();
    }
    unlink(path);
    return 0;
}
