/* fuzz_site_input.c - libFuzzer harness for what a site sends the command line: Akismet request
 * bodies (form_parse, `serve`) and WordPress exports (wxr_read, `import-wordpress`).
 *
 * Input: one byte, then the body or the export. Byte & 1: 0 a form body, 1 an export (written to a
 * temporary directory made once); byte & 2 with an export: the item callback fails on the first
 * item, whose message wxr_read must pass on. A decoded form must have NUL-terminated values, each
 * name found again by form_get with its last value; an export's items must come with text for every
 * field and lines that never go back; every failure must say why. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "scratch.h"
#include "wxr.h"

static const char *const files[] = {"export.xml"};

#define CALLBACK_REASON "the callback stops here"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    scratch_open("cg_fuzz_site_input", files, sizeof files / sizeof files[0]);
    return 0;
}

static void check_form(const uint8_t *data, size_t size)
{
    form f;
    char err[256] = "";
    if (form_parse((const char *)data, size, &f, err, sizeof err) != 0) {
        if (err[0] == '\0' || f.n != 0)
            abort();
        return;
    }
    for (size_t i = 0; i < f.n; i++) {
        const form_field *field = &f.fields[i];
        if (field->value[field->value_len] != '\0')
            abort();
        size_t last = i, len;
        for (size_t k = i + 1; k < f.n; k++)
            if (strcmp(f.fields[k].name, field->name) == 0)
                last = k;
        const char *value = form_get(&f, field->name, &len);
        if (value != f.fields[last].value || len != f.fields[last].value_len)
            abort();
    }
    form_free(&f);
}

typedef struct items {
    int fail;        /* the callback fails */
    size_t calls;
    long last_line;  /* of the last item */
} items;

static int on_item(void *ctx, const wxr_post *post, const wxr_comment *comments, size_t n, char *err,
                   size_t errlen)
{
    items *it = ctx;
    /* Lines never go back (items and comments may share one: "<item><wp:comment>"). */
    if (!post->title || !post->link || !post->content || !post->post_type || !post->status || post->line < 1 ||
        post->line < it->last_line)
        abort();
    it->calls++;
    it->last_line = post->line;
    long line = post->line;
    for (size_t i = 0; i < n; i++) {
        const wxr_comment *c = &comments[i];
        if (!c->id || !c->author || !c->author_url || !c->author_email || !c->content || !c->approved || !c->type ||
            c->line < line)
            abort();
        line = c->line;
    }
    if (it->fail) {
        snprintf(err, errlen, "%ld: " CALLBACK_REASON, post->line);
        return -1;
    }
    return 0;
}

static void check_export(const uint8_t *data, size_t size, int fail)
{
    char path[256];
    scratch_path("export.xml", path, sizeof path);
    scratch_write("export.xml", data, size);
    items it = {fail, 0, 0};
    char err[512] = "";
    if (wxr_read(path, on_item, &it, err, sizeof err) != 0) {
        if (err[0] == '\0' || (fail && it.calls > 0 && !strstr(err, CALLBACK_REASON)))
            abort();
    } else if (fail && it.calls > 0) {
        abort(); /* the callback's failure was lost */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t mode = data[0];
    if (mode & 1)
        check_export(data + 1, size - 1, (mode & 2) != 0);
    else
        check_form(data + 1, size - 1);
    return 0;
}
