/*
 * test_serve_parts.c - the pieces behind serve's Akismet API, each on its own: decoding form
 * bodies (src/serve/form.c), the key file (keys.c), the permalink table and its reload
 * (articles.c), and the feedback file's whole-or-absent lines (feedback.c).
 */
#define _GNU_SOURCE
#include "support.h"

#include <jansson.h>

#include "articles.h"
#include "feedback.h"
#include "form.h"
#include "keys.h"

static char dir[64];

static void make_dir(void)
{
    cgt_make_tmpdir(dir, "serve_parts");
}

static void remove_dir(void)
{
    cgt_remove_tree(dir);
}

TestSuite(form);
TestSuite(keys, .init = make_dir, .fini = remove_dir);
TestSuite(articles, .init = make_dir, .fini = remove_dir);
TestSuite(feedback, .init = make_dir, .fini = remove_dir);

Test(form, decodes_fields_as_clients_encode_them)
{
    const char body[] = "blog=http%3A%2F%2Fb.example&comment_content=Hi+there%21%0A%2B1&empty=&bare&&"
                        "comment_content=again&nul=a%00b";
    form f;
    char err[100];
    cr_assert_eq(form_parse(body, sizeof body - 1, &f, err, sizeof err), 0, "%s", err);
    size_t len;
    cr_assert_str_eq(form_get(&f, "blog", NULL), "http://b.example");
    cr_assert_str_eq(form_get(&f, "comment_content", NULL), "again", "the last of a repeated name wins");
    cr_assert_str_eq(form_get(&f, "empty", &len), "");
    cr_assert_eq(len, 0);
    cr_assert_str_eq(form_get(&f, "bare", NULL), "");
    cr_assert_not_null(form_get(&f, "nul", &len));
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(form_get(&f, "nul", NULL), "a\0b", 3), 0);
    cr_assert_null(form_get(&f, "user_ip", NULL));
    form_free(&f);

    const char first[] = "comment_content=Hi+there%21%0A%2B1";
    cr_assert_eq(form_parse(first, sizeof first - 1, &f, err, sizeof err), 0);
    cr_assert_str_eq(form_get(&f, "comment_content", NULL), "Hi there!\n+1");
    form_free(&f);
}

Test(form, refuses_malformed_escapes)
{
    static const char *const bad[] = {"a=%", "a=%4", "a=%zz", "%G1=x", "a=b&c=%2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        form f;
        char err[100] = "";
        cr_assert_eq(form_parse(bad[i], strlen(bad[i]), &f, err, sizeof err), -1, "%s was accepted", bad[i]);
        cr_assert(strstr(err, "escape"), "%s: %s", bad[i], err);
        cr_assert_eq(f.n, 0);
    }
}

Test(keys, binds_a_key_to_its_blog)
{
    const char text[] = "# keys\n\nalpha-1 https://Blog.Example/\n  beta-2  \n";
    char *path = cgt_write_file(dir, "keys", text, sizeof text - 1), err[300];
    keys *k;
    cr_assert_eq(keys_load(path, &k, err, sizeof err), 0, "%s", err);
    cr_assert(keys_valid(k, "alpha-1", "https://blog.example"));
    cr_assert(keys_valid(k, "alpha-1", NULL), "no blog given: the key alone");
    cr_assert_not(keys_valid(k, "alpha-1", "https://other.example/"));
    cr_assert(keys_valid(k, "beta-2", "https://anything.example"));
    cr_assert_not(keys_valid(k, "beta-", NULL));
    cr_assert_not(keys_valid(k, "beta-22", NULL));
    cr_assert_not(keys_valid(k, "# keys", NULL));
    cr_assert_not(keys_valid(k, NULL, NULL));
    keys_free(k);
    free(path);
}

Test(keys, reports_bad_files_without_their_keys)
{
    const char text[] = "secret-key https://a.example extra\n";
    char *path = cgt_write_file(dir, "keys", text, sizeof text - 1), err[300];
    keys *k;
    cr_assert_eq(keys_load(path, &k, err, sizeof err), -1);
    cr_assert(strstr(err, ":1: "), "%s", err);
    cr_assert_null(strstr(err, "secret-key"), "the message shows the key: %s", err);
    free(path);
    char *empty = cgt_write_file(dir, "empty", "# none\n", 7);
    cr_assert_eq(keys_load(empty, &k, err, sizeof err), -1);
    cr_assert(strstr(err, "no key"), "%s", err);
    free(empty);
}

Test(articles, finds_posts_by_permalink_and_reloads)
{
    const char first[] = "{\"permalink\": \"https://b.example/tram/\", \"title\": \"Tram\", \"text\": \"Four stops.\"}\n"
                         "\n{\"permalink\": \"https://b.example/cafe\", \"text\": \"Reopens.\"}\n";
    char *path = cgt_write_file(dir, "articles.jsonl", first, sizeof first - 1), err[300];
    articles *a;
    cr_assert_eq(articles_open(path, &a, err, sizeof err), 0, "%s", err);
    const article_table *t = articles_acquire(a);
    size_t len;
    cr_assert_eq(articles_count(t), 2);
    cr_assert_str_eq(articles_find(t, "https://b.example/tram", &len), "Tram\n\nFour stops.");
    cr_assert_eq(len, strlen("Tram\n\nFour stops."));
    cr_assert_str_eq(articles_find(t, "https://b.example/tram//#comment-5", &len), "Tram\n\nFour stops.");
    cr_assert_str_eq(articles_find(t, "https://b.example/cafe/", &len), "Reopens.");
    cr_assert_null(articles_find(t, "https://b.example/tra", &len));
    cr_assert_null(articles_find(t, "https://b.example/tram/x", &len));

    /* A reload replaces the table; the held one stays readable until released. */
    const char second[] = "{\"permalink\": \"https://b.example/new\", \"title\": null, \"text\": \"New.\"}\n";
    free(cgt_write_file(dir, "articles.jsonl", second, sizeof second - 1));
    cr_assert_eq(articles_reload(a, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(articles_find(t, "https://b.example/cafe", &len), "Reopens.");
    articles_release(a, t);
    t = articles_acquire(a);
    cr_assert_eq(articles_count(t), 1);
    cr_assert_str_eq(articles_find(t, "https://b.example/new", &len), "New.");
    articles_release(a, t);

    /* A bad file is reported with file:line and the loaded table kept. */
    const char bad[] = "{\"permalink\": \"https://b.example/x\", \"text\": \"X.\"}\n{\"permalink\": \"\", \"text\": \"\"}\n";
    free(cgt_write_file(dir, "articles.jsonl", bad, sizeof bad - 1));
    cr_assert_eq(articles_reload(a, err, sizeof err), -1);
    cr_assert(strstr(err, "articles.jsonl:2: \"permalink\""), "%s", err);
    t = articles_acquire(a);
    cr_assert_not_null(articles_find(t, "https://b.example/new", &len));
    articles_release(a, t);
    articles_close(a);
    free(path);
}

Test(articles, refuses_a_permalink_given_twice)
{
    const char text[] = "{\"permalink\": \"https://b.example/a/\", \"text\": \"1\"}\n"
                        "{\"permalink\": \"https://b.example/b\", \"text\": \"2\"}\n"
                        "{\"permalink\": \"https://b.example/a\", \"text\": \"3\"}\n";
    char *path = cgt_write_file(dir, "dup.jsonl", text, sizeof text - 1), err[300];
    articles *a;
    cr_assert_eq(articles_open(path, &a, err, sizeof err), -1);
    cr_assert(strstr(err, "dup.jsonl:3: permalink already on line 1"), "%s", err);
    free(path);
}

/* A record as serve makes one; the test owns it. */
static json_t *record(cg_label label, const char *text)
{
    char err[200];
    cg_comment c = {text, strlen(text), NULL, NULL, NULL};
    json_t *r = feedback_record(label, &c, "The post.", 9, "test", err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    return r;
}

Test(feedback, appends_whole_lines_and_cuts_a_torn_one)
{
    const char torn[] = "{\"label\":\"on-topic\",\"text\":\"kept\"}\n{\"label\":\"off-to";
    char *path = cgt_write_file(dir, "feedback.jsonl", torn, sizeof torn - 1), err[300];
    feedback *f;
    size_t cut;
    cr_assert_eq(feedback_open(path, &f, &cut, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cut, strlen("{\"label\":\"off-to"));
    json_t *r = record(CG_ABUSIVE, "line one\nwith a newline");
    cr_assert_eq(feedback_append(f, r, err, sizeof err), 0, "%s", err);
    json_decref(r);

    /* A second writer is kept off the file. */
    feedback *second;
    cr_assert_eq(feedback_open(path, &second, &cut, err, sizeof err), -1);
    cr_assert(strstr(err, "another process"), "%s", err);
    feedback_close(f);

    size_t len;
    char *text = cgt_read_file(path, &len);
    char *nl = strchr(text, '\n');
    cr_assert_eq(strncmp(text, "{\"label\":\"on-topic\",\"text\":\"kept\"}\n", (size_t)(nl - text + 1)), 0);
    json_error_t jerr;
    json_t *line = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &jerr);
    cr_assert_not_null(line, "%s", jerr.text);
    cr_assert_str_eq(json_string_value(json_object_get(line, "label")), "abusive");
    cr_assert_str_eq(json_string_value(json_object_get(line, "text")), "line one\nwith a newline");
    cr_assert_str_eq(json_string_value(json_object_get(line, "article")), "The post.");
    cr_assert_not_null(json_object_get(line, "received"));
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    cr_assert_eq(lines, 2, "%zu lines", lines);
    cr_assert_eq(text[len - 1], '\n');
    json_decref(line);
    free(text);
    free(path);
}

/* feedback_record of text[0..len) without an author. */
static json_t *record_of(const char *text, size_t len, const char *article, size_t article_len, char *err,
                         size_t errlen)
{
    cg_comment c = {text, len, NULL, NULL, NULL};
    return feedback_record(CG_ON_TOPIC, &c, article, article_len, "test", err, errlen);
}

Test(feedback, refuses_what_train_would_refuse)
{
    char err[200];
    cr_assert_null(record_of("a\0b", 3, NULL, 0, err, sizeof err));
    cr_assert(strstr(err, "NUL"), "%s", err);
    cr_assert_null(record_of("caf\xe9", 4, NULL, 0, err, sizeof err));
    cr_assert(strstr(err, "UTF-8"), "%s", err);
    cr_assert_null(record_of("ok", 2, "bad \xff", 5, err, sizeof err));
    cr_assert(strstr(err, "article"), "%s", err);
    size_t big = CG_MAX_COMMENT_BYTES + 1;
    char *text = malloc(big);
    cr_assert_not_null(text);
    memset(text, 'a', big);
    cr_assert_null(record_of(text, big, NULL, 0, err, sizeof err));
    cr_assert(strstr(err, "longer"), "%s", err);
    free(text);
    cg_comment bad_name = {"ok", 2, "Jos\xe9", NULL, NULL};
    cr_assert_null(feedback_record(CG_ON_TOPIC, &bad_name, NULL, 0, "test", err, sizeof err));
    cr_assert_str_eq(err, "the \"author\" is not valid UTF-8");
}

Test(feedback, keeps_the_author_beside_the_text_and_only_the_domain_of_the_address)
{
    char err[200];
    cg_comment c = {"Nice post!", 10, "Jean", "https://jean.example/", "jean.dupont@Mail.Example"};
    json_t *r = feedback_record(CG_OFF_TOPIC, &c, NULL, 0, "test", err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    char *line = json_dumps(r, JSON_COMPACT);
    cr_assert_str_eq(line, "{\"label\":\"off-topic\",\"text\":\"Nice post!\",\"source\":\"test\",\"author\":\"Jean\","
                           "\"author_url\":\"https://jean.example/\",\"author_email\":\"@Mail.Example\"}");
    free(line);
    json_decref(r);
    /* empty fields are left out; an address without '@' is all domain; the last '@' counts */
    cg_comment d = {"x", 1, "", NULL, "odd@name@host.example"}, e = {"x", 1, NULL, "", "nohost"};
    r = feedback_record(CG_ON_TOPIC, &d, NULL, 0, "test", err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_null(json_object_get(r, "author"));
    cr_assert_str_eq(json_string_value(json_object_get(r, "author_email")), "@host.example");
    json_decref(r);
    r = feedback_record(CG_ON_TOPIC, &e, NULL, 0, "test", err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_null(json_object_get(r, "author_url"));
    cr_assert_str_eq(json_string_value(json_object_get(r, "author_email")), "@nohost");
    json_decref(r);
}
