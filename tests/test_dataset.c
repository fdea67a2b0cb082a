/*
 * test_dataset.c - reading labelled TSV and JSON Lines files (training/dataset.c): decoded text,
 * shared articles, sources, line numbers, and a "file:line: reason" error for every malformed row.
 *
 * Valid files are fixtures in fixtures/dataset/; malformed ones are written by each test into a
 * fresh temporary directory.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"

#define FIXTURE(name) CG_FIXTURES "/dataset/" name

/* ---- helpers ---- */

static char tmp[64]; /* this test's temporary directory (each test runs in its own process) */

static void make_tmp(void)
{
    strcpy(tmp, "/tmp/cg_dataset_XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
}

static void remove_tmp(void)
{
    DIR *d = opendir(tmp);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(tmp);
}

/* Write len bytes to tmp/name; returns the path (static buffer, one at a time). */
static const char *write_bytes(const char *name, const char *data, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

static void assert_empty(const cg_dataset *ds)
{
    cr_assert_null(ds->rows);
    cr_assert_eq(ds->n, 0);
    cr_assert_null(ds->path);
    cr_assert_null(ds->storage);
    for (int c = 0; c < CG_NUM_CLASSES; c++)
        cr_assert_eq(ds->count[c], 0);
}

/* Load path, expecting failure with `status` and a message containing `needle`. */
static void expect_error(const char *path, cg_status status, const char *needle)
{
    cg_dataset ds;
    memset(&ds, 0xab, sizeof ds); /* garbage in: the loader must zero it */
    char err[512] = "untouched";
    cg_status st = cg_dataset_load(path, &ds, err, sizeof err);
    cr_assert_eq(st, status, "status %d, expected %d (%s)", st, status, err);
    cr_assert_not_null(strstr(err, needle), "message '%s' lacks '%s'", err, needle);
    /* The message names the file at fault, which may be contexts.tsv next to path. */
    size_t dir = (size_t)(strrchr(path, '/') - path);
    cr_assert_eq(strncmp(err, path, dir), 0, "message '%s' does not start with the directory of %s", err, path);
    assert_empty(&ds);
}

static void expect_text(const cg_example *row, const char *text)
{
    cr_assert_eq(row->text_len, strlen(text));
    cr_assert_str_eq(row->text, text);
}

static void load_ok(const char *path, cg_dataset *ds)
{
    char err[512] = "";
    cr_assert_eq(cg_dataset_load(path, ds, err, sizeof err), CG_OK, "%s", err);
    cr_assert_str_eq(err, "");
}

/* ---- valid files ---- */

Test(dataset_valid, tsv_with_contexts_escapes_and_sources)
{
    cg_dataset ds;
    load_ok(FIXTURE("good.tsv"), &ds);
    cr_assert_str_eq(ds.path, FIXTURE("good.tsv"));
    cr_assert_eq(ds.n, 6);
    cr_assert_eq(ds.count[CG_ON_TOPIC], 3);
    cr_assert_eq(ds.count[CG_OFF_TOPIC], 2);
    cr_assert_eq(ds.count[CG_ABUSIVE], 1);

    const cg_example *r = ds.rows;
    const char *post1 = "Town opens new bike lanes on Main Street\nWhat do readers think?";
    cr_assert_eq(r[0].label, CG_ON_TOPIC);
    expect_text(&r[0], "The lanes look great, I rode them this morning.");
    cr_assert_str_eq(r[0].article, post1);
    cr_assert_eq(r[0].article_len, strlen(post1));
    cr_assert_str_eq(r[0].source, "handmade");
    cr_assert_eq(r[0].line, 1);

    cr_assert_eq(r[1].label, CG_OFF_TOPIC);
    cr_assert_eq(r[1].article, r[0].article, "rows of one post share one article");
    cr_assert_eq(r[1].line, 2);

    /* Lines 3 and 5 are blank. An empty context id means no article. */
    cr_assert_eq(r[2].label, CG_ABUSIVE);
    cr_assert_null(r[2].article);
    cr_assert_eq(r[2].article_len, 0);
    cr_assert_str_eq(r[2].source, "handmade");
    cr_assert_eq(r[2].line, 4);

    expect_text(&r[3], "line one\nline two\ttabbed \\ backslash \r end");
    cr_assert_str_eq(r[3].article, "Lemon cake recipe:\ttab, backslash \\ and a CR\r.");
    cr_assert_str_eq(r[3].source, "kitchen");
    cr_assert_eq(r[3].line, 6);

    expect_text(&r[4], "no context and no source");
    cr_assert_null(r[4].article);
    cr_assert_str_eq(r[4].source, "");

    expect_text(&r[5], "Caf\xc3\xa9 na\xc3\xafve \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu");
    cr_assert_null(r[5].article);
    cr_assert_eq(r[5].line, 8);
    cg_dataset_free(&ds);
    assert_empty(&ds);
}

Test(dataset_valid, jsonl_article_present_absent_null_and_extra_keys)
{
    cg_dataset ds;
    load_ok(FIXTURE("good.jsonl"), &ds);
    cr_assert_eq(ds.n, 4);
    cr_assert_eq(ds.count[CG_ON_TOPIC], 2);
    cr_assert_eq(ds.count[CG_OFF_TOPIC], 1);
    cr_assert_eq(ds.count[CG_ABUSIVE], 1);

    const cg_example *r = ds.rows;
    expect_text(&r[0], "Nice write-up about the lanes.");
    cr_assert_str_eq(r[0].article, "Bike lanes open\non Main Street");
    cr_assert_eq(r[0].article_len, strlen("Bike lanes open\non Main Street"));
    cr_assert_str_eq(r[0].source, "handmade");

    cr_assert_eq(r[1].label, CG_OFF_TOPIC);
    cr_assert_null(r[1].article, "\"article\": null");
    cr_assert_eq(r[1].article_len, 0);

    cr_assert_eq(r[2].label, CG_ABUSIVE);
    expect_text(&r[2], "Shut up, clown.\nSeriously.");
    cr_assert_null(r[2].article, "no \"article\" key");
    cr_assert_str_eq(r[2].source, "", "no \"source\" key");

    /* Line 4 is blank; keys in any order; JSON escapes decoded. */
    cr_assert_eq(r[3].line, 5);
    expect_text(&r[3], "Agreed, \xc3\xa9l\xc3\xa8ve \"quoted\" \\ slash");
    cr_assert_eq(r[3].article, r[0].article, "equal articles are stored once");
    cr_assert_str_eq(r[3].source, "kitchen");
    cg_dataset_free(&ds);
}

Test(dataset_valid, jsonl_author_fields_beside_the_text, .init = make_tmp, .fini = remove_tmp)
{
    /* as import-wordpress and serve write them now, and as they wrote them before (name and URL
     * inside the text) */
    cg_dataset ds;
    load_ok(write_text("authors.jsonl",
                       "{\"label\": \"off-topic\", \"text\": \"Nice post\", \"author\": \"SEO Pro\", "
                       "\"author_url\": \"https://seo.example/\", \"author_email\": \"@seo.example\"}\n"
                       "{\"label\": \"on-topic\", \"text\": \"Nice post\\n\\nJean https://jean.example\", \"author\": null}\n"),
            &ds);
    cr_assert_eq(ds.n, 2);
    expect_text(&ds.rows[0], "Nice post");
    cr_assert_str_eq(ds.rows[0].author, "SEO Pro");
    cr_assert_str_eq(ds.rows[0].author_url, "https://seo.example/");
    cr_assert_str_eq(ds.rows[0].author_email, "@seo.example");
    expect_text(&ds.rows[1], "Nice post\n\nJean https://jean.example");
    cr_assert_null(ds.rows[1].author);
    cr_assert_null(ds.rows[1].author_url);
    cr_assert_null(ds.rows[1].author_email);
    cg_dataset_free(&ds);
}

Test(dataset_valid, crlf_line_endings, .init = make_tmp, .fini = remove_tmp)
{
    write_text("contexts.tsv", "c1\tThe article\\nsecond line\r\n");
    const char *path = write_text("crlf.tsv", "on-topic\tfirst\tc1\tsrc\r\n\r\nabusive\tsecond\r\n");
    cg_dataset ds;
    load_ok(path, &ds);
    cr_assert_eq(ds.n, 2);
    cr_assert_str_eq(ds.rows[0].source, "src");
    cr_assert_str_eq(ds.rows[0].article, "The article\nsecond line");
    expect_text(&ds.rows[1], "second");
    cr_assert_eq(ds.rows[1].line, 3);
    cg_dataset_free(&ds);

    path = write_text("crlf.jsonl", "{\"label\": \"off-topic\", \"text\": \"x\"}\r\n   \r\n"
                                    "{\"label\": \"abusive\", \"text\": \"y\", \"source\": \"s\"}\r\n");
    load_ok(path, &ds);
    cr_assert_eq(ds.n, 2);
    expect_text(&ds.rows[0], "x");
    cr_assert_str_eq(ds.rows[1].source, "s");
    cr_assert_eq(ds.rows[1].line, 3);
    cg_dataset_free(&ds);
}

Test(dataset_valid, json_extension_and_no_final_newline, .init = make_tmp, .fini = remove_tmp)
{
    cg_dataset ds;
    load_ok(write_text("one.json", "{\"label\": \"on-topic\", \"text\": \"last\"}"), &ds);
    cr_assert_eq(ds.n, 1);
    expect_text(&ds.rows[0], "last");
    cg_dataset_free(&ds);

    load_ok(write_text("one.tsv", "abusive\tlast"), &ds);
    expect_text(&ds.rows[0], "last");
    cg_dataset_free(&ds);
}

Test(dataset_valid, contexts_not_read_without_context_ids, .init = make_tmp, .fini = remove_tmp)
{
    /* A broken contexts.tsv does not matter when no row names a context. */
    write_text("contexts.tsv", "no tab here\n");
    cg_dataset ds;
    load_ok(write_text("plain.tsv", "on-topic\ta\t\tsrc\n"), &ds);
    cr_assert_eq(ds.n, 1);
    cg_dataset_free(&ds);
}

Test(dataset_valid, text_length_limit_counts_decoded_bytes, .init = make_tmp, .fini = remove_tmp)
{
    /* MAX - 1 letters and one escape: more raw bytes than the limit, but exactly MAX decoded. */
    size_t max = CG_DATASET_MAX_FIELD_BYTES;
    char *row = malloc(max + 32);
    cr_assert_not_null(row);
    size_t n = (size_t)sprintf(row, "on-topic\t");
    memset(row + n, 'a', max - 1);
    n += max - 1;
    n += (size_t)sprintf(row + n, "\\n\n");
    cg_dataset ds;
    load_ok(write_bytes("long.tsv", row, n), &ds);
    cr_assert_eq(ds.rows[0].text_len, max);
    cr_assert_eq(ds.rows[0].text[max - 1], '\n');
    cg_dataset_free(&ds);

    /* One byte more is refused. */
    row[n - 3] = 'a';
    row[n - 2] = 'a';
    expect_error(write_bytes("long.tsv", row, n), CG_ERR_FORMAT, "long.tsv:1: text is 1048577 bytes");
    free(row);
}

Test(dataset_valid, big_and_small_texts_mixed, .init = make_tmp, .fini = remove_tmp)
{
    /* Texts bigger than an arena chunk's quarter take their own chunk; small ones keep filling the
     * current chunk. Every text must come back intact. */
    size_t sizes[] = {10, 400000, 20, 900000, 30, 300000, 5};
    size_t k = sizeof sizes / sizeof sizes[0], total = 0;
    for (size_t i = 0; i < k; i++)
        total += sizes[i] + 16;
    char *data = malloc(total), *p = data;
    cr_assert_not_null(data);
    for (size_t i = 0; i < k; i++) {
        p += sprintf(p, "abusive\t");
        memset(p, 'a' + (int)i, sizes[i]);
        p += sizes[i];
        *p++ = '\n';
    }
    cg_dataset ds;
    load_ok(write_bytes("mixed.tsv", data, (size_t)(p - data)), &ds);
    cr_assert_eq(ds.n, k);
    for (size_t i = 0; i < k; i++) {
        cr_assert_eq(ds.rows[i].text_len, sizes[i]);
        cr_assert_eq(strlen(ds.rows[i].text), sizes[i]);
        cr_assert_eq(ds.rows[i].text[0], 'a' + (int)i);
        cr_assert_eq(ds.rows[i].text[sizes[i] - 1], 'a' + (int)i);
    }
    cg_dataset_free(&ds);
    free(data);
}

Test(dataset_valid, free_accepts_null_and_empty)
{
    cg_dataset_free(NULL);
    cg_dataset ds = {0};
    cg_dataset_free(&ds);
    cg_dataset_free(&ds);
}

/* ---- malformed TSV ---- */

TestSuite(dataset_tsv_errors, .init = make_tmp, .fini = remove_tmp);

Test(dataset_tsv_errors, unknown_label)
{
    expect_error(write_text("bad.tsv", "on-topic\tfine\nspam\tbuy now\n"), CG_ERR_FORMAT,
                 "bad.tsv:2: unknown label 'spam' (expected on-topic, off-topic or abusive)");
}

Test(dataset_tsv_errors, missing_text_field)
{
    expect_error(write_text("bad.tsv", "on-topic\tfine\n\nabusive\n"), CG_ERR_FORMAT, "bad.tsv:3: missing text field");
}

Test(dataset_tsv_errors, too_many_fields)
{
    expect_error(write_text("bad.tsv", "on-topic\ta\t\tsrc\textra\n"), CG_ERR_FORMAT, "bad.tsv:1: too many fields");
}

Test(dataset_tsv_errors, bad_escape)
{
    expect_error(write_text("bad.tsv", "off-topic\tok\\n\noff-topic\tsee C:\\path\n"), CG_ERR_FORMAT,
                 "bad.tsv:2: bad escape '\\p' in text");
}

Test(dataset_tsv_errors, lone_backslash_at_end)
{
    expect_error(write_text("bad.tsv", "off-topic\tends with \\\n"), CG_ERR_FORMAT,
                 "bad.tsv:1: text ends with a lone backslash");
}

Test(dataset_tsv_errors, invalid_utf8)
{
    /* 0xc3 must be followed by a continuation byte; 0x28 is '('. */
    expect_error(write_text("bad.tsv", "on-topic\tgood\non-topic\tbad \xc3\x28 byte\n"), CG_ERR_FORMAT,
                 "bad.tsv:2: invalid UTF-8 at byte 14");
}

Test(dataset_tsv_errors, overlong_and_surrogate_utf8)
{
    expect_error(write_text("bad.tsv", "on-topic\t\xc0\xaf\n"), CG_ERR_FORMAT, "bad.tsv:1: invalid UTF-8");
    expect_error(write_text("bad.tsv", "on-topic\t\xed\xa0\x80\n"), CG_ERR_FORMAT, "bad.tsv:1: invalid UTF-8");
}

Test(dataset_tsv_errors, nul_byte)
{
    static const char data[] = "on-topic\tnul \0 inside\n";
    expect_error(write_bytes("bad.tsv", data, sizeof data - 1), CG_ERR_FORMAT, "bad.tsv:1: NUL byte at byte 14");
}

Test(dataset_tsv_errors, unknown_context_id)
{
    write_text("contexts.tsv", "a\tFirst article\n");
    expect_error(write_text("bad.tsv", "on-topic\tx\ta\nabusive\ty\tzzz\n"), CG_ERR_FORMAT,
                 "bad.tsv:2: unknown context id 'zzz'");
}

Test(dataset_tsv_errors, duplicate_context_id)
{
    write_text("contexts.tsv", "a\tFirst\nb\tSecond\n\na\tAgain\n");
    expect_error(write_text("bad.tsv", "on-topic\tx\ta\n"), CG_ERR_FORMAT,
                 "contexts.tsv:4: duplicate context id 'a' (first on line 1)");
}

Test(dataset_tsv_errors, malformed_contexts_file)
{
    write_text("contexts.tsv", "a\tFirst\nb\tbad \\x escape\n");
    expect_error(write_text("bad.tsv", "on-topic\tx\ta\n"), CG_ERR_FORMAT,
                 "contexts.tsv:2: bad escape '\\x' in context text");
    write_text("contexts.tsv", "a\tFirst\nonly-an-id\n");
    expect_error(write_text("bad.tsv", "on-topic\tx\ta\n"), CG_ERR_FORMAT, "contexts.tsv:2: expected 2 fields");
    write_text("contexts.tsv", "\tno id\n");
    expect_error(write_text("bad.tsv", "on-topic\tx\ta\n"), CG_ERR_FORMAT, "contexts.tsv:1: empty context id");
    write_text("contexts.tsv", "a\t\xff\n");
    expect_error(write_text("bad.tsv", "on-topic\tx\ta\n"), CG_ERR_FORMAT, "contexts.tsv:1: invalid UTF-8");
}

Test(dataset_tsv_errors, missing_contexts_file)
{
    expect_error(write_text("bad.tsv", "on-topic\tx\n\nabusive\ty\tq7\n"), CG_ERR_IO,
                 "bad.tsv:3: a row has a context id but");
}

Test(dataset_tsv_errors, empty_file)
{
    expect_error(write_text("empty.tsv", ""), CG_ERR_FORMAT, "empty.tsv: no rows");
    expect_error(write_text("blank.tsv", "\n  \n\r\n"), CG_ERR_FORMAT, "blank.tsv: no rows");
}

Test(dataset_tsv_errors, missing_file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/nothing.tsv", tmp);
    expect_error(path, CG_ERR_IO, "nothing.tsv: cannot open");
}

Test(dataset_tsv_errors, directory_is_a_read_error)
{
    expect_error(tmp, CG_ERR_IO, ":1: read error");
}

Test(dataset_tsv_errors, message_truncated_to_errlen)
{
    const char *path = write_text("bad.tsv", "spam\tx\n");
    cg_dataset ds;
    char err[8];
    cr_assert_eq(cg_dataset_load(path, &ds, err, sizeof err), CG_ERR_FORMAT);
    cr_assert_eq(strlen(err), sizeof err - 1);
    cr_assert_eq(cg_dataset_load(path, &ds, NULL, 0), CG_ERR_FORMAT);
}

/* ---- malformed JSON Lines ---- */

TestSuite(dataset_jsonl_errors, .init = make_tmp, .fini = remove_tmp);

#define GOOD_JSON "{\"label\": \"on-topic\", \"text\": \"fine\"}\n"

Test(dataset_jsonl_errors, not_an_object)
{
    expect_error(write_text("bad.jsonl", GOOD_JSON "[1, 2]\n"), CG_ERR_FORMAT, "bad.jsonl:2: not a JSON object");
    expect_error(write_text("bad.jsonl", GOOD_JSON "\"text\"\n"), CG_ERR_FORMAT, "bad.jsonl:2: not a JSON object");
}

Test(dataset_jsonl_errors, text_not_a_string)
{
    expect_error(write_text("bad.jsonl", GOOD_JSON GOOD_JSON "{\"label\": \"abusive\", \"text\": 42}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:3: \"text\" is not a string");
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\", \"text\": null}\n"), CG_ERR_FORMAT,
                 "bad.jsonl:1: \"text\" is not a string");
}

Test(dataset_jsonl_errors, missing_keys)
{
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\"}\n"), CG_ERR_FORMAT, "bad.jsonl:1: missing \"text\"");
    expect_error(write_text("bad.jsonl", "{\"text\": \"x\"}\n"), CG_ERR_FORMAT, "bad.jsonl:1: missing \"label\"");
}

Test(dataset_jsonl_errors, wrong_optional_types)
{
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\", \"text\": \"x\", \"article\": 3}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:1: \"article\" is not a string or null");
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\", \"text\": \"x\", \"source\": [\"s\"]}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:1: \"source\" is not a string or null");
    expect_error(write_text("bad.jsonl", GOOD_JSON "{\"label\": \"on-topic\", \"text\": \"x\", \"author\": 5}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:2: \"author\" is not a string or null");
    expect_error(write_text("bad.jsonl", "{\"label\": \"on-topic\", \"text\": \"x\", \"author_url\": false}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:1: \"author_url\" is not a string or null");
    expect_error(write_text("bad.jsonl", "{\"label\": \"on-topic\", \"text\": \"x\", \"author_email\": {}}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:1: \"author_email\" is not a string or null");
}

/* Only score and serve read a thread: train and eval refuse one rather than leave it out unseen; an
 * empty or null one is no thread. */
Test(dataset_jsonl_errors, a_thread_is_refused_not_left_out)
{
    expect_error(write_text("bad.jsonl", GOOD_JSON "{\"label\": \"on-topic\", \"text\": \"x\", \"article\": \"a\", "
                                         "\"thread\": [\"an approved comment\"]}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:2: \"thread\" is read by score and serve only");
    cg_dataset ds;
    load_ok(write_text("empty_thread.jsonl", "{\"label\": \"on-topic\", \"text\": \"x\", \"thread\": []}\n"
                                             "{\"label\": \"on-topic\", \"text\": \"y\", \"thread\": null}\n"),
            &ds);
    cr_assert_eq(ds.n, 2);
    cg_dataset_free(&ds);
}

Test(dataset_jsonl_errors, unknown_label)
{
    expect_error(write_text("bad.jsonl", "{\"label\": \"unsure\", \"text\": \"x\"}\n"), CG_ERR_FORMAT,
                 "bad.jsonl:1: unknown label 'unsure'");
}

Test(dataset_jsonl_errors, truncated_json)
{
    expect_error(write_text("bad.jsonl", GOOD_JSON "{\"label\": \"on-topic\", \"text\": \"cut off her"), CG_ERR_FORMAT,
                 "bad.jsonl:2: invalid JSON");
}

Test(dataset_jsonl_errors, trailing_garbage_and_duplicate_keys)
{
    expect_error(write_text("bad.jsonl", GOOD_JSON " {} {}\n"), CG_ERR_FORMAT, "bad.jsonl:2: invalid JSON");
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\", \"text\": \"a\", \"text\": \"b\"}\n"),
                 CG_ERR_FORMAT, "bad.jsonl:1: invalid JSON");
}

Test(dataset_jsonl_errors, invalid_utf8_and_nul)
{
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\", \"text\": \"\xe2\x82\"}\n"), CG_ERR_FORMAT,
                 "bad.jsonl:1: invalid UTF-8");
    static const char nul[] = "{\"label\": \"abusive\", \"text\": \"a\0b\"}\n";
    expect_error(write_bytes("bad.jsonl", nul, sizeof nul - 1), CG_ERR_FORMAT, "bad.jsonl:1: NUL byte");
    expect_error(write_text("bad.jsonl", "{\"label\": \"abusive\", \"text\": \"a\\u0000b\"}\n"), CG_ERR_FORMAT,
                 "bad.jsonl:1: invalid JSON");
}

Test(dataset_jsonl_errors, empty_file)
{
    expect_error(write_text("empty.jsonl", ""), CG_ERR_FORMAT, "empty.jsonl: no rows");
}

/* ---- streaming ---- */

/* The stream gives the rows cg_dataset_load gives, in order, with the same fields. */
static void expect_stream_matches_load(const char *path)
{
    cg_dataset ds;
    load_ok(path, &ds);
    char err[512] = "";
    cg_dataset_stream *s;
    cr_assert_eq(cg_dataset_stream_open(path, &s, err, sizeof err), CG_OK, "%s", err);
    cg_example row;
    size_t n = 0;
    while (cg_dataset_stream_next(s, &row) == CG_OK && row.text) {
        cr_assert_lt(n, ds.n);
        const cg_example *e = &ds.rows[n++];
        cr_expect_eq(row.label, e->label);
        cr_expect_eq(row.line, e->line);
        cr_assert_eq(row.text_len, e->text_len);
        cr_expect_eq(memcmp(row.text, e->text, e->text_len), 0);
        cr_expect_eq(row.text[row.text_len], '\0');
        cr_assert_eq(row.article_len, e->article_len);
        cr_expect_eq(row.article == NULL, e->article == NULL);
        if (row.article)
            cr_expect_eq(memcmp(row.article, e->article, e->article_len), 0);
        cr_expect_str_eq(row.source, e->source);
    }
    cr_expect_eq(n, ds.n);
    cr_expect_float_eq(cg_dataset_stream_fraction(s), 1.0, 1e-12);
    cg_dataset_stream_close(s);
    cg_dataset_free(&ds);
}

Test(dataset_stream, gives_the_rows_that_loading_gives)
{
    expect_stream_matches_load(FIXTURE("good.tsv"));
    expect_stream_matches_load(FIXTURE("good.jsonl"));
}

Test(dataset_stream, stops_at_a_bad_row_with_its_line, .init = make_tmp, .fini = remove_tmp)
{
    const char *path = write_text("bad.jsonl", "{\"label\": \"on-topic\", \"text\": \"fine\"}\n"
                                               "{\"label\": \"nonsense\", \"text\": \"x\"}\n");
    char err[512] = "";
    cg_dataset_stream *s;
    cr_assert_eq(cg_dataset_stream_open(path, &s, err, sizeof err), CG_OK, "%s", err);
    cg_example row;
    cr_assert_eq(cg_dataset_stream_next(s, &row), CG_OK);
    cr_expect_str_eq(row.text, "fine");
    cr_expect_eq(cg_dataset_stream_next(s, &row), CG_ERR_FORMAT);
    cr_expect_not_null(strstr(err, "bad.jsonl:2: unknown label 'nonsense'"), "%s", err);
    cg_dataset_stream_close(s);
    /* No rows at all is an error at the end; a missing file at opening. */
    path = write_text("empty.jsonl", "\n  \n");
    cr_assert_eq(cg_dataset_stream_open(path, &s, err, sizeof err), CG_OK);
    cr_expect_eq(cg_dataset_stream_next(s, &row), CG_ERR_FORMAT);
    cr_expect_not_null(strstr(err, "no rows"), "%s", err);
    cg_dataset_stream_close(s);
    cr_expect_eq(cg_dataset_stream_open("/nonexistent/x.jsonl", &s, err, sizeof err), CG_ERR_IO);
    cr_expect_null(s);
}
