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

#include "dataset.h"
#include "scratch.h"

static const char *const files[] = {"data.tsv", "data.jsonl", "contexts.tsv"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    scratch_open("cg_fuzz_dataset", files, sizeof files / sizeof files[0]);
    return 0;
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
    const char *name = jsonl ? "data.jsonl" : "data.tsv";
    char path[256];
    scratch_path(name, path, sizeof path);
    scratch_write(name, data, len);
    scratch_write("contexts.tsv", sep ? sep + 1 : NULL, sep ? size - len - 1 : 0);

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
    scratch_write(name, NULL, 0);
    return 0;
}
