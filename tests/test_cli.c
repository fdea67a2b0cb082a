/*
 * test_cli.c - the commentguard program (src/cli/), run as a child process: line-for-line output of
 * `score` in both formats, error lines that do not stop the run, overlong and binary input, thread
 * counts that do not change the output, `eval` and `train` end to end, and exit statuses.
 *
 * Scoring tests use the model in $CG_TEST_MODEL, else the shipped model (CG_MODEL_DIR), and are
 * skipped when that directory holds no bundle. Each run's input, output and error output go
 * through temporary files, so that no pipe can fill up and deadlock.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commentguard.h"

#define FIXTURE(name) CG_FIXTURES "/cli/" name

extern char **environ;

/* ---- running the program ---- */

typedef struct run_result {
    int status; /* exit status, or -1 if killed by a signal */
    char *out;  /* standard output, NUL-terminated */
    size_t out_len;
    char *err; /* standard error, NUL-terminated */
} run_result;

static int temp_file(void)
{
    char name[] = "/tmp/cg_cli_XXXXXX";
    int fd = mkstemp(name);
    cr_assert_geq(fd, 0);
    unlink(name);
    return fd;
}

static char *slurp(int fd, size_t *len)
{
    off_t size = lseek(fd, 0, SEEK_END);
    cr_assert_geq(size, 0);
    char *buf = malloc((size_t)size + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(pread(fd, buf, (size_t)size, 0), size);
    buf[size] = '\0';
    if (len)
        *len = (size_t)size;
    return buf;
}

/* Run `commentguard args...` (args NULL-terminated) with input[0..len) on standard input. */
static run_result run_program(const char *const *args, const char *input, size_t len)
{
    const char *argv[32] = {CG_PROGRAM};
    int n = 1;
    for (; args[n - 1]; n++) {
        cr_assert_lt(n, 31);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    int in = temp_file(), out = temp_file(), err = temp_file();
    cr_assert_eq(pwrite(in, input, len, 0), (ssize_t)len);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    pid_t pid;
    cr_assert_eq(posix_spawn(&pid, CG_PROGRAM, &actions, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    int wstatus;
    cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
    run_result r = {.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1};
    r.out = slurp(out, &r.out_len);
    r.err = slurp(err, NULL);
    close(in);
    close(out);
    close(err);
    return r;
}

static run_result run_text(const char *const *args, const char *input)
{
    return run_program(args, input, strlen(input));
}

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* The model the scoring tests use; skips the test if there is none. */
static const char *test_model(void)
{
    const char *dir = getenv("CG_TEST_MODEL");
    if (!dir || !*dir)
        dir = CG_MODEL_DIR;
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/bundle.json", dir);
    if (stat(path, &st) != 0)
        cr_skip_test("no model bundle in %s (set CG_TEST_MODEL)", dir);
    return dir;
}

static char *read_fixture(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *text = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        text = realloc(text, cap += 65536);
        cr_assert_not_null(text);
        size_t got = fread(text + *len, 1, cap - *len - 1, f);
        *len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    text[*len] = '\0';
    return text;
}

/* ---- reading the output ---- */

/* Split text into lines (in place); returns how many. Each must end in '\n'. */
static size_t split_lines(char *text, size_t len, char **lines, size_t max)
{
    size_t n = 0;
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        cr_assert_not_null(nl, "output does not end in a newline");
        *nl = '\0';
        cr_assert_lt(n, max);
        lines[n++] = p;
        p = nl + 1;
    }
    return n;
}

/* A text-format result line: label and three probabilities summing to 1. */
static void assert_scored_text(const char *line)
{
    char label[32];
    double p[3];
    int used = 0;
    cr_assert_eq(sscanf(line, "%31[a-z-]\t%lf\t%lf\t%lf%n", label, &p[0], &p[1], &p[2], &used), 4, "line: %s", line);
    cr_assert_eq(line[used], '\0', "line: %s", line);
    cr_assert(strcmp(label, "on-topic") == 0 || strcmp(label, "off-topic") == 0 || strcmp(label, "abusive") == 0,
              "line: %s", line);
    cr_assert_float_eq(p[0] + p[1] + p[2], 1.0, 2e-6, "line: %s", line);
}

static json_t *parse_line(const char *line)
{
    json_error_t e;
    json_t *o = json_loads(line, 0, &e);
    cr_assert_not_null(o, "not JSON: %s (%s)", line, e.text);
    cr_assert(json_is_object(o), "not an object: %s", line);
    return o;
}

/* A JSONL result: keys id (if given), label, scores, in that order. */
static void assert_scored_json(const char *line, int with_id)
{
    json_t *o = parse_line(line);
    const char *label = json_string_value(json_object_get(o, "label"));
    cr_assert_not_null(label, "line: %s", line);
    json_t *scores = json_object_get(o, "scores");
    double sum = 0;
    for (int k = 0; k < CG_NUM_CLASSES; k++) {
        json_t *v = json_object_get(scores, cg_label_name((cg_label)k));
        cr_assert(json_is_number(v), "line: %s", line);
        sum += json_number_value(v);
    }
    cr_assert_float_eq(sum, 1.0, 2e-6, "line: %s", line);
    cr_assert_eq(json_object_size(o), with_id ? 3u : 2u, "line: %s", line);
    cr_assert_eq(strncmp(line, with_id ? "{\"id\":" : "{\"label\":", with_id ? 6 : 9), 0, "line: %s", line);
    cr_assert_lt(strstr(line, "\"label\":") - line, strstr(line, "\"scores\":") - line, "line: %s", line);
    json_decref(o);
}

/* A JSONL error line; id_json is the expected id as compact JSON, or NULL for none. */
static void assert_error_json(const char *line, const char *id_json)
{
    json_t *o = parse_line(line);
    cr_assert(json_is_string(json_object_get(o, "error")), "line: %s", line);
    cr_assert_null(json_object_get(o, "label"), "line: %s", line);
    json_t *id = json_object_get(o, "id");
    if (!id_json) {
        cr_assert_null(id, "line: %s", line);
    } else {
        json_t *want = json_loads(id_json, JSON_DECODE_ANY, NULL);
        cr_assert(id && json_equal(id, want), "line: %s, want id %s", line, id_json);
        json_decref(want);
    }
    json_decref(o);
}

/* ---- score, text format ---- */

Test(score_text, one_line_per_input_line_in_order)
{
    const char *model = test_model();
    size_t len;
    char *input = read_fixture(FIXTURE("comments.txt"), &len);
    run_result r = run_program((const char *[]){"score", "--model", model, "--threads", "1", NULL}, input, len);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char *lines[64];
    size_t n = split_lines(r.out, r.out_len, lines, 64);
    cr_assert_eq(n, 20); /* fixture: 20 lines, one of them empty */
    for (size_t i = 0; i < n; i++)
        assert_scored_text(lines[i]);
    /* In order: each line scores as it does alone. */
    char *copy = strdup(input), *save = NULL, *line = strtok_r(copy, "\n", &save);
    for (size_t i = 0; line && i < 3; i++, line = strtok_r(NULL, "\n", &save)) {
        char one[512];
        snprintf(one, sizeof one, "%s\n", line);
        run_result alone = run_text((const char *[]){"score", "--model", model, NULL}, one);
        cr_assert_eq(alone.status, 0);
        alone.out[strcspn(alone.out, "\n")] = '\0';
        cr_assert_str_eq(alone.out, lines[i]);
        run_free(&alone);
    }
    free(copy);
    free(input);
    run_free(&r);
}

Test(score_text, crlf_and_missing_final_newline)
{
    const char *model = test_model();
    run_result lf = run_text((const char *[]){"score", "--model", model, NULL}, "you are an idiot\nthanks a lot\n");
    run_result crlf = run_text((const char *[]){"score", "--model", model, NULL}, "you are an idiot\r\nthanks a lot");
    cr_assert_eq(lf.status, 0);
    cr_assert_eq(crlf.status, 0);
    cr_assert_str_eq(crlf.out, lf.out);
    run_free(&lf);
    run_free(&crlf);
}

Test(score_text, empty_lines_and_nul_bytes_are_comments)
{
    const char *model = test_model();
    static const char input[] = "\nab\0cd\n\0\0\0\n";
    run_result r = run_program((const char *[]){"score", "--model", model, NULL}, input, sizeof input - 1);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char *lines[8];
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 8), 3);
    for (int i = 0; i < 3; i++)
        assert_scored_text(lines[i]);
    run_free(&r);
}

/* A line of `size` bytes of 'x' between two good lines, in text or JSONL format. */
static char *long_line_input(size_t size, int jsonl, size_t *len)
{
    char *input = malloc(size + 128);
    cr_assert_not_null(input);
    const char *first = jsonl ? "{\"id\":1,\"text\":\"first\"}\n{\"id\":2,\"text\":\"" : "first\n";
    const char *last = jsonl ? "\"}\n{\"id\":3,\"text\":\"last\"}\n" : "\nlast\n";
    size_t a = strlen(first), b = strlen(last);
    memcpy(input, first, a);
    memset(input + a, 'x', size);
    memcpy(input + a + size, last, b);
    *len = a + size + b;
    return input;
}

Test(score_text, overlong_line_is_an_error_and_scoring_goes_on)
{
    const char *model = test_model();
    size_t len;
    char *input = long_line_input(3u << 20, 0, &len);
    run_result r = run_program((const char *[]){"score", "--model", model, "--threads", "2", NULL}, input, len);
    cr_assert_eq(r.status, 1);
    char *lines[8];
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 8), 3);
    assert_scored_text(lines[0]);
    cr_assert_eq(strncmp(lines[1], "error\t", 6), 0, "line: %s", lines[1]);
    cr_assert_null(strchr(lines[1] + 6, '\t'));
    assert_scored_text(lines[2]);
    free(input);
    run_free(&r);
    /* The longest comment accepted, with a CRLF ending, is scored. */
    input = long_line_input(CG_MAX_COMMENT_BYTES + 1, 0, &len);
    input[len - 7] = '\r'; /* the last 'x', before "\nlast\n" */
    r = run_program((const char *[]){"score", "--model", model, NULL}, input, len);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 8), 3);
    assert_scored_text(lines[1]);
    free(input);
    run_free(&r);
}

Test(score_text, binary_input_gives_a_line_per_line)
{
    const char *model = test_model();
    size_t len = 200000;
    char *input = malloc(len);
    unsigned x = 12345;
    size_t newlines = 0;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        input[i] = (char)(x >> 16);
        newlines += input[i] == '\n';
    }
    run_result r = run_program((const char *[]){"score", "--model", model, "--threads", "2", NULL}, input, len);
    cr_assert(r.status == 0 || r.status == 1, "status %d", r.status);
    size_t out_lines = 0;
    for (size_t i = 0; i < r.out_len; i++)
        out_lines += r.out[i] == '\n';
    cr_assert_eq(out_lines, newlines + (input[len - 1] != '\n'));
    free(input);
    run_free(&r);
}

Test(score_text, threads_do_not_change_the_output)
{
    const char *model = test_model();
    size_t len;
    char *fixture = read_fixture(FIXTURE("comments.txt"), &len);
    /* 40 copies, numbered so that lines differ: about 800 lines, several batches. */
    size_t cap = 40 * (len + 20 * 8), used = 0;
    char *input = malloc(cap);
    for (int copy = 0; copy < 40; copy++)
        for (char *p = fixture; *p;) {
            size_t n = strcspn(p, "\n");
            used += (size_t)snprintf(input + used, cap - used, "%.*s #%d\n", (int)n, p, copy);
            p += n + (p[n] == '\n');
        }
    run_result one = run_program((const char *[]){"score", "--model", model, "--threads", "1", NULL}, input, used);
    run_result three = run_program((const char *[]){"score", "--model", model, "--threads", "3", NULL}, input, used);
    cr_assert_eq(one.status, 0);
    cr_assert_eq(three.status, 0);
    cr_assert_eq(one.out_len, three.out_len);
    cr_assert(memcmp(one.out, three.out, one.out_len) == 0);
    free(fixture);
    free(input);
    run_free(&one);
    run_free(&three);
}

/* ---- score, JSONL format ---- */

Test(score_jsonl, ids_echoed_in_order)
{
    const char *model = test_model();
    char input[32768];
    size_t used = 0;
    for (int i = 0; i < 600; i++) /* more than two batches */
        used += (size_t)snprintf(input + used, sizeof input - used,
                                 i % 3 == 0   ? "{\"id\":%d,\"text\":\"comment number %d\"}\n"
                                 : i % 3 == 1 ? "{\"text\":\"comment %d\",\"id\":\"s%d\"}\n"
                                              : "{\"text\":\"no id %d%d\"}\n",
                                 i, i);
    cr_assert_lt(used, sizeof input - 1);
    run_result r = run_program((const char *[]){"score", "--model", model, "--format", "jsonl", "--threads", "3", NULL},
                               input, used);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char **lines = malloc(700 * sizeof *lines);
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 700), 600);
    for (int i = 0; i < 600; i++) {
        assert_scored_json(lines[i], i % 3 != 2);
        char want[32];
        snprintf(want, sizeof want, i % 3 == 0 ? "{\"id\":%d," : "{\"id\":\"s%d\",", i);
        if (i % 3 != 2)
            cr_assert_eq(strncmp(lines[i], want, strlen(want)), 0, "line %d: %s", i, lines[i]);
    }
    free(lines);
    run_free(&r);
}

Test(score_jsonl, bad_lines_get_error_objects)
{
    const char *model = test_model();
    static const char input[] =
        "{\"id\":1,\"text\":\"fine\"}\n"
        "not json at all\n"
        "[1,2,3]\n"
        "{\"id\":{\"k\":[1]},\"text\":5}\n"
        "{\"id\":\"no text\"}\n"
        "\n"
        "{\"id\":6,\"text\":\"x\",\"article\":7}\n"
        "{\"id\":7,\"text\":\"\xff\xfe\"}\n"
        "{\"id\":8,\"text\":\"truncated\n"
        "{\"id\":9,\"text\":\"a\\u0000b\",\"article\":null}\n"
        "{\"id\":null,\"text\":\"last\"}";
    run_result r = run_text((const char *[]){"score", "--model", model, "--format", "jsonl", NULL}, input);
    cr_assert_eq(r.status, 1);
    char *lines[16];
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 16), 11);
    assert_scored_json(lines[0], 1);
    assert_error_json(lines[1], NULL);
    assert_error_json(lines[2], NULL);
    assert_error_json(lines[3], "{\"k\":[1]}");
    assert_error_json(lines[4], "\"no text\"");
    assert_error_json(lines[5], NULL);
    assert_error_json(lines[6], "6");
    assert_error_json(lines[7], NULL); /* invalid UTF-8 is invalid JSON */
    assert_error_json(lines[8], NULL);
    assert_scored_json(lines[9], 1);
    assert_scored_json(lines[10], 1);
    cr_assert_eq(strncmp(lines[10], "{\"id\":null,", 11), 0);
    run_free(&r);
}

Test(score_jsonl, overlong_line_is_an_error_and_scoring_goes_on)
{
    const char *model = test_model();
    size_t len;
    char *input = long_line_input(5u << 20, 1, &len); /* beyond the 4 MiB + 64 KiB JSONL limit */
    run_result r = run_program((const char *[]){"score", "--model", model, "--format", "jsonl", NULL}, input, len);
    cr_assert_eq(r.status, 1);
    char *lines[8];
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 8), 3);
    assert_scored_json(lines[0], 1);
    assert_error_json(lines[1], NULL);
    assert_scored_json(lines[2], 1);
    free(input);
    /* A line within the limit whose text is over CG_MAX_COMMENT_BYTES: an error that keeps its id. */
    input = long_line_input(CG_MAX_COMMENT_BYTES + 1, 1, &len);
    run_free(&r);
    r = run_program((const char *[]){"score", "--model", model, "--format", "jsonl", NULL}, input, len);
    cr_assert_eq(r.status, 1);
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 8), 3);
    assert_error_json(lines[1], "2");
    free(input);
    run_free(&r);
}

/* The scores part of a JSONL result line, "{...}" after "scores":. */
static char *scores_of(const char *line)
{
    const char *s = strstr(line, "\"scores\":");
    cr_assert_not_null(s, "line: %s", line);
    return strdup(s);
}

Test(score_jsonl, article_option_and_field_agree)
{
    const char *model = test_model();
    size_t len;
    char *article = read_fixture(FIXTURE("article.txt"), &len);
    json_t *with = json_pack("{s:s, s:s#}", "text", "30K is fine if you do not need a villa", "article", article, len);
    char *with_line = json_dumps(with, JSON_COMPACT);
    char input[8192];
    snprintf(input, sizeof input, "%s\n{\"text\":\"30K is fine if you do not need a villa\"}\n"
                                  "{\"text\":\"30K is fine if you do not need a villa\",\"article\":null}\n",
             with_line);
    run_result opt = run_text((const char *[]){"score", "--model", model, "--format", "jsonl", "--article",
                                               FIXTURE("article.txt"), NULL},
                              input);
    run_result none =
        run_text((const char *[]){"score", "--model", model, NULL}, "30K is fine if you do not need a villa\n");
    cr_assert_eq(opt.status, 0, "stderr: %s", opt.err);
    char *lines[4];
    cr_assert_eq(split_lines(opt.out, opt.out_len, lines, 4), 3);
    char *field = scores_of(lines[0]), *option = scores_of(lines[1]);
    cr_assert_str_eq(field, option); /* the field and --article give the same article */
    /* "article": null means no article: the same as text format without --article. */
    double p[3];
    cr_assert_eq(sscanf(strchr(none.out, '\t'), "\t%lf\t%lf\t%lf", &p[0], &p[1], &p[2]), 3);
    json_t *o = parse_line(lines[2]);
    for (int k = 0; k < 3; k++)
        cr_assert_float_eq(json_number_value(json_object_get(json_object_get(o, "scores"), cg_label_name((cg_label)k))),
                           p[k], 1e-9);
    json_decref(o);
    free(field);
    free(option);
    free(with_line);
    json_decref(with);
    free(article);
    run_free(&opt);
    run_free(&none);
}

/* "thread": the comments under the post, read with the article (cg_article_new_thread): the same
 * scores as the article and the comments joined by blank lines in "article"; an empty thread is no
 * thread; a thread without an article string, or one that is not an array of strings, is an error
 * of that line alone. */
Test(score_jsonl, thread_field_is_read_with_the_article)
{
    const char *model = test_model();
    static const char input[] =
        "{\"id\":1,\"text\":\"Does anyone know a good plumber in Leeds?\",\"article\":\"Pandas groupby tutorial.\","
        "\"thread\":[\"I used groupby with agg to sum sales per region in my CSV file.\","
        "\"You can pass a list of columns to groupby, then call reset_index on the dataframe.\","
        "\"Is transform faster than apply for normalising each group of two million rows?\"]}\n"
        "{\"id\":2,\"text\":\"Does anyone know a good plumber in Leeds?\",\"article\":\"Pandas groupby tutorial.\\n\\n"
        "I used groupby with agg to sum sales per region in my CSV file.\\n\\n"
        "You can pass a list of columns to groupby, then call reset_index on the dataframe.\\n\\n"
        "Is transform faster than apply for normalising each group of two million rows?\"}\n"
        "{\"id\":3,\"text\":\"Does anyone know a good plumber in Leeds?\",\"article\":\"Pandas groupby tutorial.\","
        "\"thread\":[]}\n"
        "{\"id\":4,\"text\":\"Does anyone know a good plumber in Leeds?\",\"article\":\"Pandas groupby tutorial.\"}\n"
        "{\"id\":5,\"text\":\"x\",\"thread\":[\"a\"]}\n"
        "{\"id\":6,\"text\":\"x\",\"article\":\"t\",\"thread\":\"a\"}\n"
        "{\"id\":7,\"text\":\"x\",\"article\":\"t\",\"thread\":[\"a\",3]}\n"
        "{\"id\":8,\"text\":\"x\",\"article\":null,\"thread\":null}\n";
    run_result r = run_text((const char *[]){"score", "--model", model, "--format", "jsonl", NULL}, input);
    cr_assert_eq(r.status, 1, "stderr: %s", r.err);
    char *lines[10];
    cr_assert_eq(split_lines(r.out, r.out_len, lines, 10), 8);
    char *thread = scores_of(lines[0]), *joined = scores_of(lines[1]), *empty = scores_of(lines[2]),
         *alone = scores_of(lines[3]);
    cr_expect_str_eq(thread, joined);
    cr_expect_str_eq(empty, alone);
    cr_expect_str_neq(thread, alone, "the thread must change the scores for this test to mean anything");
    assert_error_json(lines[4], "5");
    cr_expect(strstr(lines[4], "needs the") != NULL, "%s", lines[4]);
    assert_error_json(lines[5], "6");
    assert_error_json(lines[6], "7");
    cr_expect(strstr(lines[6], "item 2") != NULL, "%s", lines[6]);
    assert_scored_json(lines[7], 1);
    free(thread);
    free(joined);
    free(empty);
    free(alone);
    run_free(&r);
}

/* ---- exit statuses and messages ---- */

/* --explain: each answer carries its reasons, strongest first, each with a positive weight, and
 * those found in the comment point at the bytes that spell them (case aside). */
Test(score_jsonl, explain_gives_reasons_that_point_into_the_comment)
{
    const char *model = test_model();
    const char *text = "You are a stupid idiot and a moron";
    char input[256];
    snprintf(input, sizeof input, "{\"id\":1,\"text\":\"%s\"}\n", text);
    run_result r = run_text((const char *[]){"score", "--model", model, "--format", "jsonl", "--explain", NULL}, input);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    json_t *o = parse_line(r.out);
    json_t *reasons = json_object_get(o, "reasons");
    cr_assert(json_is_array(reasons), "%s", r.out);
    cr_assert_gt(json_array_size(reasons), 0, "%s", r.out);
    double previous = 1e300;
    size_t i;
    json_t *reason;
    json_array_foreach(reasons, i, reason) {
        double w = json_number_value(json_object_get(reason, "weight"));
        const char *what = json_string_value(json_object_get(reason, "text"));
        cr_assert_not_null(what);
        cr_expect_gt(w, 0.0, "%s", r.out);
        cr_expect_leq(w, previous, "reasons not strongest first: %s", r.out);
        previous = w;
        json_t *start = json_object_get(reason, "start"), *end = json_object_get(reason, "end");
        if (start) {
            size_t a = (size_t)json_integer_value(start), b = (size_t)json_integer_value(end);
            cr_assert(a < b && b <= strlen(text));
            cr_expect_eq(strncasecmp(text + a, what, b - a), 0, "'%s' at %zu..%zu", what, a, b);
        }
    }
    json_decref(o);
    run_free(&r);
}

/* Without --explain there are no reasons; in text format they are a fifth, JSON column. */
Test(score_text, explain_adds_a_fifth_column)
{
    const char *model = test_model();
    run_result plain = run_text((const char *[]){"score", "--model", model, NULL}, "you idiot\n");
    run_result explained = run_text((const char *[]){"score", "--model", model, "--explain", NULL}, "you idiot\n");
    cr_assert_eq(explained.status, 0, "stderr: %s", explained.err);
    cr_assert_null(strstr(plain.out, "\t["));
    size_t n = strlen(plain.out) - 1; /* the same four columns, then a tab and the reasons */
    cr_assert_eq(strncmp(plain.out, explained.out, n), 0, "%s vs %s", plain.out, explained.out);
    cr_assert_eq(strncmp(explained.out + n, "\t[", 2), 0, "%s", explained.out);
    run_free(&plain);
    run_free(&explained);
}

static void assert_usage_error(const char *const *args, const char *message)
{
    run_result r = run_text(args, "");
    cr_assert_eq(r.status, 2, "%s: status %d", args[0], r.status);
    cr_assert_not_null(strstr(r.err, message), "stderr: %s", r.err);
    cr_assert_eq(r.out_len, 0);
    run_free(&r);
}

Test(usage, errors_exit_2)
{
    assert_usage_error((const char *[]){"score", "--explain=yes", NULL}, "--explain");
    assert_usage_error((const char *[]){"score", "--threads", "0", NULL}, "--threads");
    assert_usage_error((const char *[]){"score", "--format", "xml", NULL}, "--format");
    assert_usage_error((const char *[]){"score", "--model", NULL}, "needs a value");
    assert_usage_error((const char *[]){"score", "stray", NULL}, "unexpected argument");
    assert_usage_error((const char *[]){"frobnicate", NULL}, "unknown command");
    assert_usage_error((const char *[]){"eval", NULL}, "--data");
    assert_usage_error((const char *[]){"train", "--data", "x.tsv", NULL}, "--out");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--c", "1,-2", NULL}, "--c");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--folds", "0", "--c", "1,2", NULL},
                       "--folds 0");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--char-ngrams", "5-2", NULL},
                       "char n-gram");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--class-weights", "some", NULL},
                       "--class-weights");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--mismatched-articles", "1.5", NULL},
                       "--mismatched-articles");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--decision-weights", "1,2", NULL},
                       "--decision-weights");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--lexicon", "", NULL}, "--lexicon");
    assert_usage_error((const char *[]){"train", "--data", "x", "--out", "y", "--decision-weights", "1,0,1", NULL},
                       "--decision-weights");
    run_result r = run_text((const char *[]){NULL}, "");
    cr_assert_eq(r.status, 2);
    run_free(&r);
}

Test(usage, help_and_version)
{
    run_result r = run_text((const char *[]){"--version", NULL}, "");
    cr_assert_eq(r.status, 0);
    char want[64];
    snprintf(want, sizeof want, "commentguard %s\n", cg_version());
    cr_assert_str_eq(r.out, want);
    run_free(&r);
    const char *commands[] = {"score", "eval", "train"};
    for (int i = 0; i < 3; i++) {
        r = run_text((const char *[]){commands[i], "--help", NULL}, "");
        cr_assert_eq(r.status, 0);
        cr_assert_eq(strncmp(r.out, "Usage: commentguard ", 20), 0);
        run_free(&r);
    }
}

Test(usage, unloadable_model_exits_2)
{
    run_result r = run_text((const char *[]){"score", "--model", "/nonexistent/cg-model", NULL}, "hello\n");
    cr_assert_eq(r.status, 2);
    cr_assert_eq(r.out_len, 0);
    cr_assert_eq(strncmp(r.err, "commentguard: score: ", 21), 0, "stderr: %s", r.err);
    cr_assert_not_null(strstr(r.err, "/nonexistent/cg-model"), "stderr: %s", r.err);
    run_free(&r);
    r = run_text(
        (const char *[]){"eval", "--model", "/nonexistent/cg-model", "--data", FIXTURE("labelled.jsonl"), NULL}, "");
    cr_assert_eq(r.status, 2);
    run_free(&r);
}

/* ---- eval and train ---- */

Test(eval, json_report)
{
    const char *model = test_model();
    run_result r = run_text((const char *[]){"eval", "--model", model, "--data", FIXTURE("labelled.jsonl"), "--json",
                                             "--threads", "2", NULL},
                            "");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    json_t *o = parse_line(r.out);
    cr_assert_eq(json_integer_value(json_object_get(o, "n")), 30);
    double acc = json_number_value(json_object_get(o, "accuracy"));
    cr_assert(acc >= 0 && acc <= 1);
    json_t *per_class = json_object_get(o, "per_class"), *confusion = json_object_get(o, "confusion");
    json_int_t total = 0;
    const json_int_t support[3] = {12, 10, 8}; /* the fixture's label counts */
    for (int g = 0; g < 3; g++) {
        json_t *c = json_object_get(per_class, cg_label_name((cg_label)g));
        cr_assert_eq(json_integer_value(json_object_get(c, "support")), support[g]);
        cr_assert(json_is_number(json_object_get(c, "auc")));
        for (int p = 0; p < 3; p++)
            total += json_integer_value(
                json_object_get(json_object_get(confusion, cg_label_name((cg_label)g)), cg_label_name((cg_label)p)));
    }
    cr_assert_eq(total, 30);
    json_t *sources = json_object_get(o, "per_source");
    cr_assert_eq(json_object_size(sources), 3);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(sources, "forum"), "n")), 14);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(sources, "news"), "bad")), "abusive");
    cr_assert_null(json_object_get(json_object_get(sources, "forum"), "bad")); /* three classes */
    json_decref(o);
    run_free(&r);
}

Test(eval, bad_data_fails_with_file_and_line)
{
    const char *model = test_model();
    char dir[] = "/tmp/cg_cli_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bad.jsonl", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"label\":\"on-topic\",\"text\":\"ok\"}\n{\"label\":\"nonsense\",\"text\":\"x\"}\n", f);
    cr_assert_eq(fclose(f), 0);
    run_result r = run_text((const char *[]){"eval", "--model", model, "--data", path, NULL}, "");
    unlink(path);
    rmdir(dir);
    cr_assert_eq(r.status, 1);
    cr_assert_not_null(strstr(r.err, ":2:"), "stderr: %s", r.err);
    run_free(&r);
}

/* The start of BUNDLE/CARD.md, NUL-terminated, into text. */
static void read_card(const char *bundle, char *text, size_t size)
{
    char path[256];
    snprintf(path, sizeof path, "%s/CARD.md", bundle);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no %s", path);
    text[fread(text, 1, size - 1, f)] = '\0';
    fclose(f);
}

Test(train, builds_a_model_that_scores)
{
    char dir[] = "/tmp/cg_cli_XXXXXX", out[64], file[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/model", dir);
    run_result r = run_text((const char *[]){"train", "--data", FIXTURE("labelled.jsonl"), "--out", out, "--folds", "2",
                                             "--c", "1", "--class-weights", "none", "--hash-bits", "12", "--threads",
                                             "1", "--seed", "7", NULL},
                            "");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_not_null(strstr(r.out, "macro-F1"), "stdout: %s", r.out);
    cr_assert_not_null(strstr(r.err, "s] "), "progress lines expected on stderr: %s", r.err);
    cr_assert_eq(r.err[0], '[');
    run_free(&r);
    run_result s = run_text((const char *[]){"score", "--model", out, NULL}, "what a great article\n");
    cr_assert_eq(s.status, 0, "stderr: %s", s.err);
    char *lines[2];
    cr_assert_eq(split_lines(s.out, s.out_len, lines, 2), 1);
    assert_scored_text(lines[0]);
    run_free(&s);
    /* The cross-validation report, linked from the card. */
    snprintf(file, sizeof file, "%s/report/index.html", out);
    cr_expect_eq(access(file, R_OK), 0, "no %s", file);
    char text[16384];
    read_card(out, text, sizeof text);
    cr_expect_not_null(strstr(text, "[report/index.html](report/index.html)"));
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Train on the fixture with the given extra options (a fixed setting, so both trainings share C and
 * every weight of the pairs); the scores of `input` in text format go to out. */
static void train_and_score(const char *dir, const char *name, const char *const *extra, const char *input,
                            run_result *out)
{
    char model[128];
    snprintf(model, sizeof model, "%s/%s", dir, name);
    const char *args[24] = {"train", "--data", FIXTURE("labelled.jsonl"), "--out", model, "--folds", "0", "--c", "1",
                            "--class-weights", "none", "--hash-bits", "12", "--threads", "1", "--quiet"};
    int n = 16;
    for (int i = 0; extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    run_result r = run_text(args, "");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    run_free(&r);
    *out = run_text((const char *[]){"score", "--model", model, NULL}, input);
    cr_assert_eq(out->status, 0, "stderr: %s", out->err);
}

Test(train, a_lexicon_goes_into_the_bundle_and_into_the_explanations)
{
    char dir[] = "/tmp/cg_cli_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *lexicon = CG_FIXTURES "/lexicon/insults.txt";
    run_result scored;
    train_and_score(dir, "listed", (const char *[]){"--lexicon", lexicon, NULL}, "you absolute m0r0n\n", &scored);
    cr_expect_eq(strncmp(scored.out, "abusive\t", 8), 0, "%s", scored.out);
    run_free(&scored);
    char bundle[128], file[192], text[16384];
    snprintf(bundle, sizeof bundle, "%s/listed", dir);
    snprintf(file, sizeof file, "%s/lexicon.txt", bundle);
    cr_expect_eq(access(file, R_OK), 0, "the bundle holds its lexicon");
    read_card(bundle, text, sizeof text);
    cr_expect_not_null(strstr(text, "- lexicon: `insults.txt` (copied into the bundle as `lexicon.txt`)"), "%s", text);
    run_result explained = run_text((const char *[]){"score", "--model", bundle, "--format", "jsonl", "--explain", NULL},
                                    "{\"text\": \"you absolute m0r0n\"}\n");
    cr_assert_eq(explained.status, 0, "stderr: %s", explained.err);
    cr_expect_not_null(strstr(explained.out, "\"words of the lexicon\""), "%s", explained.out);
    run_free(&explained);

    /* Trained again without one, the bundle is replaced whole: no lexicon left in it, and nothing of
     * the old bundle (here with a topicality table, as training/fit-topicality.sh adds) left beside it. */
    char table[192];
    snprintf(table, sizeof table, "%s/topic.idf", bundle);
    FILE *t = fopen(table, "w");
    cr_assert_not_null(t);
    fputs("documents 1\n", t);
    fclose(t);
    train_and_score(dir, "listed", (const char *[]){NULL}, "you absolute m0r0n\n", &scored);
    run_free(&scored);
    cr_expect_neq(access(file, F_OK), 0, "the old lexicon is gone from %s", bundle);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));)
        cr_expect(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || strcmp(e->d_name, "listed") == 0,
                  "left in %s: %s", dir, e->d_name);
    closedir(d);

    /* A bad line stops training with its place; no bundle is written. */
    char bad[192], out[192];
    snprintf(bad, sizeof bad, "%s/bad.txt", dir);
    FILE *f = fopen(bad, "w");
    cr_assert_not_null(f);
    fputs("idiot\nthree word entry\n", f);
    fclose(f);
    snprintf(out, sizeof out, "%s/never", dir);
    run_result r = run_text((const char *[]){"train", "--data", FIXTURE("labelled.jsonl"), "--out", out, "--folds", "0",
                                             "--c", "1", "--quiet", "--lexicon", bad, NULL},
                            "");
    cr_expect_neq(r.status, 0);
    cr_expect_not_null(strstr(r.err, "bad.txt:2: an entry must be one or two words"), "%s", r.err);
    cr_expect_neq(access(out, F_OK), 0, "no bundle at %s", out);
    run_free(&r);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(train, decision_weights_raise_a_class_and_keep_the_label_its_most_probable)
{
    char dir[] = "/tmp/cg_cli_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *input = "what a great article\nbuy cheap pills at example.biz now\nyou are an idiot\n"
                        "I disagree with the second point\n";
    run_result plain, weighted, given_ones;
    train_and_score(dir, "plain", (const char *[]){NULL}, input, &plain);
    train_and_score(dir, "weighted", (const char *[]){"--decision-weights", "1,3,1", NULL}, input, &weighted);
    train_and_score(dir, "ones", (const char *[]){"--decision-weights", "1,1,1", NULL}, input, &given_ones);
    cr_expect_str_eq(given_ones.out, plain.out, "weights of 1 are libsvm's own rule");
    char *a[5], *b[5];
    cr_assert_eq(split_lines(plain.out, plain.out_len, a, 5), 4);
    cr_assert_eq(split_lines(weighted.out, weighted.out_len, b, 5), 4);
    for (int i = 0; i < 4; i++) {
        assert_scored_text(b[i]);
        char la[32], lb[32];
        double pa[3], pb[3];
        cr_assert_eq(sscanf(a[i], "%31s %lf %lf %lf", la, &pa[0], &pa[1], &pa[2]), 4);
        cr_assert_eq(sscanf(b[i], "%31s %lf %lf %lf", lb, &pb[0], &pb[1], &pb[2]), 4);
        cr_expect_gt(pb[CG_OFF_TOPIC], pa[CG_OFF_TOPIC], "off-topic weighted 3: %s vs %s", b[i], a[i]);
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (pb[k] > pb[best])
                best = k;
        cr_expect_str_eq(lb, cg_label_name((cg_label)best), "the label is the most probable class: %s", b[i]);
    }
    char bundle[128], text[16384];
    snprintf(bundle, sizeof bundle, "%s/weighted", dir);
    read_card(bundle, text, sizeof text);
    cr_expect_not_null(strstr(text, "class weights (on-topic, off-topic, abusive) 1, 3, 1, given"), "%s", text);
    run_free(&plain);
    run_free(&weighted);
    run_free(&given_ones);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(train, bad_data_exits_1)
{
    run_result r = run_text((const char *[]){"train", "--data", "/nonexistent/data.tsv", "--out", "/tmp/cg-unused",
                                             "--quiet", NULL},
                            "");
    cr_assert_eq(r.status, 1);
    cr_assert_eq(strncmp(r.err, "commentguard: train: ", 21), 0, "stderr: %s", r.err);
    run_free(&r);
}
