/*
 * test_near_copy.c - serve's near-copy index on its own: the sketch and its similarity
 * (src/serve/near_copy_sketch.c), the index of recent corrections (near_copy.c) and its file in
 * the --learn directory (near_copy_file.c), and the rows a retraining learns (site_rows.c).
 */
#define _GNU_SOURCE
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "near_copy_file.h"
#include "site_rows.h"

static char dir[64];

static void make_dir(void)
{
    cgt_make_tmpdir(dir, "near_copy");
}

static void remove_dir(void)
{
    cgt_remove_tree(dir);
}

TestSuite(sketch);
TestSuite(index);
TestSuite(index_file, .init = make_dir, .fini = remove_dir);
TestSuite(site_rows, .init = make_dir, .fini = remove_dir);

static near_copy_sketch sketch_of(const char *text)
{
    near_copy_sketch s;
    cr_assert_eq(near_copy_sketch_of(text, strlen(text), NEAR_COPY_WORDS, &s), 0);
    return s;
}

static const char campaign[] = "Thank you for this wonderful tutorial, it really helped our whole team understand "
                               "the topic. Kind regards from BrightPath Digital.";

Test(sketch, counts_word_pairs_case_and_punctuation_aside)
{
    near_copy_sketch a = sketch_of("One two, THREE four; one two!"), b = sketch_of("one two three four one two");
    cr_assert_eq(a.shingles, 4); /* one two, two three, three four, four one */
    cr_assert_eq(a.n, 4);
    cr_assert_eq(memcmp(a.hash, b.hash, sizeof a.hash[0] * a.n), 0);
    near_copy_sketch none = sketch_of("...");
    cr_assert_eq(none.shingles, 0);
}

Test(sketch, similarity_is_jaccard_of_word_pairs)
{
    /* 9 words: 8 pairs each; one word changed in the middle breaks 2 pairs: 6 shared of 10. */
    near_copy_sketch a = sketch_of("alpha beta gamma delta epsilon zeta eta theta iota"),
                     b = sketch_of("alpha beta gamma delta CHANGED zeta eta theta iota");
    cr_assert_float_eq(near_copy_similarity(&a, &b), 0.6, 1e-12);
    cr_assert_float_eq(near_copy_similarity(&a, &a), 1.0, 1e-12);
    /* Too short to be matched: 5 pairs. */
    near_copy_sketch s = sketch_of("one two three four five six");
    cr_assert_eq(s.shingles, 5);
    cr_assert_eq(near_copy_similarity(&s, &s), 0);
}

Test(sketch, long_texts_keep_the_smallest_hashes)
{
    char text[20000] = "";
    for (int i = 0; i < 1000; i++)
        sprintf(text + strlen(text), "w%d ", i);
    near_copy_sketch a = sketch_of(text);
    cr_assert_eq(a.shingles, 999);
    cr_assert_eq(a.n, NEAR_COPY_SKETCH);
    for (unsigned j = 1; j < a.n; j++)
        cr_assert_lt(a.hash[j - 1], a.hash[j]);
    cr_assert_float_eq(near_copy_similarity(&a, &a), 1.0, 1e-12);
}

static near_copy_entry entry(long id, cg_label label)
{
    near_copy_entry e = {.id = id, .label = label};
    snprintf(e.received, sizeof e.received, "2026-12-06T21:00:%02ldZ", id % 60);
    return e;
}

Test(index, finds_the_most_similar_correction_above_the_threshold)
{
    near_copy_index *x = near_copy_new(4);
    cr_assert_not_null(x);
    near_copy_sketch spam = sketch_of(campaign),
                     other = sketch_of("Could you show how to flatten a list of lists with a comprehension please?");
    near_copy_entry e1 = entry(1, CG_OFF_TOPIC), e2 = entry(2, CG_ON_TOPIC);
    near_copy_add(x, &e1, &spam);
    near_copy_add(x, &e2, &other);
    near_copy_match m;
    near_copy_sketch variant = sketch_of("Thank you for this great tutorial, it really helped our whole team "
                                         "understand the topic. Greetings from BrightPath Digital.");
    cr_assert_eq(near_copy_find(x, &variant, &m), 1);
    cr_assert_eq(m.entry.id, 1);
    cr_assert_eq(m.entry.label, CG_OFF_TOPIC);
    cr_assert_str_eq(m.entry.received, "2026-12-06T21:00:01Z");
    cr_assert(m.similarity >= NEAR_COPY_THRESHOLD && m.similarity < 1, "%f", m.similarity);
    near_copy_sketch unrelated = sketch_of("The second example has a typo: the closing bracket is missing.");
    cr_assert_eq(near_copy_find(x, &unrelated, &m), 0);
    near_copy_free(x);
}

Test(index, the_latest_correction_of_a_text_stands_and_the_oldest_give_way)
{
    near_copy_index *x = near_copy_new(2);
    near_copy_sketch spam = sketch_of(campaign);
    near_copy_entry spam_click = entry(1, CG_OFF_TOPIC), ham_click = entry(2, CG_ON_TOPIC);
    near_copy_add(x, &spam_click, &spam);
    near_copy_add(x, &ham_click, &spam); /* the same text marked Not spam later */
    cr_assert_eq(near_copy_count(x), 1);
    near_copy_match m;
    cr_assert_eq(near_copy_find(x, &spam, &m), 1);
    cr_assert_eq(m.entry.id, 2);
    cr_assert_eq(m.entry.label, CG_ON_TOPIC);
    /* Two more corrections in an index of two: the campaign's gives way. */
    near_copy_sketch a = sketch_of("alpha beta gamma delta epsilon zeta eta theta iota"),
                     b = sketch_of("one two three four five six seven eight nine ten");
    near_copy_entry e3 = entry(3, CG_OFF_TOPIC), e4 = entry(4, CG_OFF_TOPIC);
    near_copy_add(x, &e3, &a);
    near_copy_add(x, &e4, &b);
    cr_assert_eq(near_copy_count(x), 2);
    cr_assert_eq(near_copy_find(x, &spam, &m), 0);
    cr_assert_eq(near_copy_find(x, &a, &m), 1);
    cr_assert_eq(near_copy_last_id(x), 4);
    near_copy_free(x);
}

Test(index_file, corrections_survive_a_restart_and_a_torn_line_is_cut)
{
    char err[600], path[128];
    size_t cut;
    near_copies *n;
    cr_assert_eq(near_copies_open(dir, 16, &n, &cut, err, sizeof err), 0, "%s", err);
    cr_assert_eq(near_copies_add(n, campaign, strlen(campaign), CG_OFF_TOPIC, err, sizeof err), 0, "%s", err);
    cr_assert_eq(near_copies_add(n, "Too short to index", 18, CG_OFF_TOPIC, err, sizeof err), 0);
    cr_assert_eq(near_copies_count(n), 1);
    near_copies_close(n);
    snprintf(path, sizeof path, "%s/near-copies.jsonl", dir);
    FILE *f = fopen(path, "a");
    fputs("{\"id\": 2, \"recei", f);
    fclose(f);
    cr_assert_eq(near_copies_open(dir, 16, &n, &cut, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cut, 16);
    near_copy_match m;
    cr_assert_eq(near_copies_find(n, campaign, strlen(campaign), &m), 1);
    cr_assert_eq(m.entry.id, 1);
    cr_assert_eq(m.entry.label, CG_OFF_TOPIC);
    cr_assert_float_eq(m.similarity, 1.0, 1e-12);
    /* The next id follows the ones kept. */
    const char other[] = "alpha beta gamma delta epsilon zeta eta theta iota";
    cr_assert_eq(near_copies_add(n, other, strlen(other), CG_ABUSIVE, err, sizeof err), 0);
    cr_assert_eq(near_copies_find(n, other, strlen(other), &m), 1);
    cr_assert_eq(m.entry.id, 2);
    near_copies_close(n);
}

Test(index_file, stays_bounded)
{
    char err[600], text[100], path[128];
    size_t cut;
    near_copies *n;
    cr_assert_eq(near_copies_open(dir, 4, &n, &cut, err, sizeof err), 0, "%s", err);
    for (int i = 0; i < 200; i++) {
        snprintf(text, sizeof text, "campaign number %d says buy the thing %d now please", i, i);
        cr_assert_eq(near_copies_add(n, text, strlen(text), CG_OFF_TOPIC, err, sizeof err), 0, "%s", err);
    }
    near_copies_close(n);
    snprintf(path, sizeof path, "%s/near-copies.jsonl", dir);
    FILE *f = fopen(path, "r");
    int lines = 0, c;
    while ((c = getc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    cr_assert_leq(lines, 2 * 4 + 64);
    cr_assert_eq(near_copies_open(dir, 4, &n, &cut, err, sizeof err), 0, "%s", err);
    cr_assert_eq(near_copies_count(n), 4);
    near_copies_close(n);
}

Test(index_file, a_damaged_line_is_reported_with_its_line)
{
    char err[600], path[128];
    size_t cut;
    near_copies *n;
    snprintf(path, sizeof path, "%s/near-copies.jsonl", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"id\": 1, \"received\": \"x\", \"label\": \"spam\", \"shingles\": 0, \"sketch\": \"\"}\n", f);
    fclose(f);
    cr_assert_eq(near_copies_open(dir, 4, &n, &cut, err, sizeof err), -1);
    cr_assert(strstr(err, "near-copies.jsonl:1: ") != NULL, "%s", err);
}

Test(site_rows, the_latest_correction_of_a_text_wins)
{
    char history[128], feedback[128], out[128], err[600];
    snprintf(history, sizeof history, "%s/history.jsonl", dir);
    snprintf(feedback, sizeof feedback, "%s/feedback.jsonl", dir);
    snprintf(out, sizeof out, "%s/rows.jsonl", dir);
    FILE *f = fopen(history, "w");
    fputs("{\"label\": \"on-topic\", \"text\": \"A\", \"author\": \"Ann\"}\n"
          "{\"label\": \"on-topic\", \"text\": \"B\"}\n"
          "{\"label\": \"on-topic\", \"text\": \"A\", \"author\": \"Ann\"}\n",
          f);
    fclose(f);
    f = fopen(feedback, "w");
    fputs("{\"label\": \"off-topic\", \"text\": \"B\"}\n"
          "{\"label\": \"abusive\", \"text\": \"C\"}\n"
          "{\"label\": \"on-topic\", \"text\": \"C\"}\n"
          "{\"label\": \"off-topic\", \"text\": \"unfinish",
          f);
    fclose(f);
    size_t rows, lines;
    cr_assert_eq(site_rows_write(history, feedback, out, &rows, &lines, err, sizeof err), 0, "%s", err);
    cr_assert_eq(rows, 3);
    cr_assert_eq(lines, 3);
    char *text = cgt_read_file(out, NULL);
    cr_assert_str_eq(text, "{\"label\":\"on-topic\",\"text\":\"A\",\"author\":\"Ann\"}\n"
                           "{\"label\":\"off-topic\",\"text\":\"B\"}\n"
                           "{\"label\":\"on-topic\",\"text\":\"C\"}\n");
    free(text);
    f = fopen(history, "a");
    fputs("{\"label\": \"spam\", \"text\": \"D\"}\n", f);
    fclose(f);
    cr_assert_eq(site_rows_write(history, feedback, out, &rows, &lines, err, sizeof err), -1);
    cr_assert(strstr(err, "history.jsonl:4: ") != NULL, "%s", err);
}

Test(site_rows, a_comment_is_its_text_and_its_author)
{
    char history[128], feedback[128], out[128], err[600];
    snprintf(history, sizeof history, "%s/history.jsonl", dir);
    snprintf(feedback, sizeof feedback, "%s/feedback.jsonl", dir);
    snprintf(out, sizeof out, "%s/rows.jsonl", dir);
    FILE *f = fopen(history, "w");
    fputs("{\"label\": \"on-topic\", \"text\": \"Great post!\", \"author\": \"Ann\"}\n"
          "{\"label\": \"on-topic\", \"text\": \"Great post!\", \"author\": \"Seo\", \"author_url\": \"https://s.example\"}\n"
          "{\"label\": \"on-topic\", \"text\": \"Great post!\", \"author\": null}\n",
          f);
    fclose(f);
    f = fopen(feedback, "w");
    fputs("{\"label\": \"off-topic\", \"text\": \"Great post!\", \"author\": \"Seo\", \"author_url\": \"https://s.example\"}\n", f);
    fclose(f);
    size_t rows, lines;
    cr_assert_eq(site_rows_write(history, feedback, out, &rows, &lines, err, sizeof err), 0, "%s", err);
    /* the same words from Ann, from nobody named and from Seo are three comments; Seo's was corrected */
    cr_assert_eq(rows, 3);
    char *text = cgt_read_file(out, NULL);
    cr_assert_str_eq(text, "{\"label\":\"on-topic\",\"text\":\"Great post!\",\"author\":\"Ann\"}\n"
                           "{\"label\":\"on-topic\",\"text\":\"Great post!\",\"author\":null}\n"
                           "{\"label\":\"off-topic\",\"text\":\"Great post!\",\"author\":\"Seo\",\"author_url\":\"https://s.example\"}\n");
    free(text);
    f = fopen(feedback, "a");
    fputs("{\"label\": \"on-topic\", \"text\": \"Fine\", \"author_email\": 7}\n", f);
    fclose(f);
    cr_assert_eq(site_rows_write(history, feedback, out, &rows, &lines, err, sizeof err), -1);
    char expected[300];
    snprintf(expected, sizeof expected, "%s:2: \"author_email\" is not a string or null", feedback);
    cr_assert_str_eq(err, expected);
}
