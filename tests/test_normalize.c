/*
 * test_normalize.c - cg_normalize (src/normalize.c, with src/markup.c and src/fold.c): NFKC and
 * case folding, removal of ignorables and combining marks, invalid UTF-8 and NUL bytes, white
 * space and symbol runs, HTML tags and entities, look-alike letters, and the counts in ws->stats.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <utf8proc.h>

#include "normalize.h"
#include "workspace.h"

static cg_workspace *ws;

static void setup(void)
{
    cr_assert_eq(cg_workspace_create(&ws), CG_OK);
}

static void teardown(void)
{
    cg_workspace_free(ws);
    ws = NULL;
}

TestSuite(normalize, .init = setup, .fini = teardown);

/* Normalise len bytes and return ws->norm, checking that it is NUL-terminated at norm_len, with the
 * room past it that analyse.c reads a word's key from. */
static const char *norm_n(const char *text, size_t len)
{
    cr_assert_eq(cg_normalize(ws, text, len), CG_OK, "cg_normalize failed: %s", ws->error);
    cr_assert_not_null(ws->norm);
    cr_assert_eq(strlen(ws->norm), ws->norm_len, "norm_len disagrees with the NUL terminator");
    cr_assert_geq(ws->norm_cap, ws->norm_len + 1 + CG_NORM_SLACK, "no CG_NORM_SLACK bytes past the text");
    return ws->norm;
}

static const char *norm(const char *text)
{
    return norm_n(text, strlen(text));
}

#define expect_norm(input, expected) cr_expect_str_eq(norm(input), expected, "normalising \"%s\"", input)

/* ---- plain ASCII ---- */

Test(normalize, ascii_is_lower_cased)
{
    expect_norm("Hello WORLD", "hello world");
    cr_expect_eq(ws->stats.letters, 10);
    cr_expect_eq(ws->stats.upper, 6);
}

Test(normalize, empty_text_gives_empty_string)
{
    cr_expect_str_eq(norm_n("", 0), "");
    cr_expect_eq(ws->norm_len, 0);
    cr_expect_eq(ws->stats.chars, 0);
    cr_expect_str_eq(norm("   \t\n  "), "");
}

Test(normalize, white_space_is_collapsed_and_trimmed)
{
    expect_norm("  one \t\t two\r\n\n three  ", "one two three");
    /* No-break, ideographic, line-separator and NEL spaces are spaces too. */
    expect_norm("one\xC2\xA0" "two\xE3\x80\x80" "three\xE2\x80\xA8" "four\xC2\x85" "five",
                "one two three four five");
    /* A control character is white space. */
    expect_norm("one\x01\x02" "two\x7F" "three", "one two three");
}

Test(normalize, stats_count_what_was_written)
{
    norm("Hello World 42!!");
    cr_expect_eq(ws->stats.chars, 16);
    cr_expect_eq(ws->stats.letters, 10);
    cr_expect_eq(ws->stats.upper, 2);
    cr_expect_eq(ws->stats.digits, 2);
    cr_expect_eq(ws->stats.exclaims, 2);
    cr_expect_eq(ws->stats.invalid, 0);
    cr_expect_eq(ws->stats.images, 0);
    cr_expect_eq(ws->stats.anchors, 0);
    /* The counts start afresh with every text. */
    norm("ok");
    cr_expect_eq(ws->stats.chars, 2);
    cr_expect_eq(ws->stats.upper, 0);
    cr_expect_eq(ws->stats.exclaims, 0);
}

Test(normalize, symbol_runs_are_cut_to_three_but_letters_and_digits_are_kept)
{
    expect_norm("wow!!!!!!", "wow!!!");
    expect_norm("what?????", "what???");
    expect_norm("a------b", "a---b");
    expect_norm("1000000", "1000000");
    /* Elongated letters stay (fold_word undoes them per word) but are counted. */
    expect_norm("stuuuuupid", "stuuuuupid");
    cr_expect_eq(ws->stats.elongations, 1);
    expect_norm("soooo goooood", "soooo goooood");
    cr_expect_eq(ws->stats.elongations, 2);
    expect_norm("book", "book");
    cr_expect_eq(ws->stats.elongations, 0);
}

/* ASCII text is squeezed as bytes, eight at a time where no rule applies, and text beyond ASCII as
 * code points: the two agree wherever white space, controls and repeats fall among the blocks
 * (" \xC3\xA9" sends a text down the code points' path and adds " e" to what it gives). */
Test(normalize, ascii_squeezed_as_bytes_agrees_with_code_points)
{
    static const char *const pieces[] = {"word", "wordd", "woooord", "\t", "\n\n", "  ", " ", "\x7f", "---",
                                         "!!!!", "ok", "abcdefghij", "xy", "\x01", "zzz", "\x1f"};
    uint64_t x = 1;
    for (int t = 0; t < 2000; t++) {
        char text[256] = "", squeezed[300];
        for (int k = 0; k < 12; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            strcat(text, pieces[(x >> 33) % (sizeof pieces / sizeof pieces[0])]);
        }
        strcat(text, " end");
        snprintf(squeezed, sizeof squeezed, "%s e", norm(text));
        uint32_t elongations = ws->stats.elongations;
        size_t len = strlen(text);
        memcpy(text + len, " \xC3\xA9", 4);
        cr_assert_str_eq(norm_n(text, len + 3), squeezed, "text %d", t);
        cr_assert_eq(ws->stats.elongations, elongations, "text %d", t);
    }
}

Test(normalize, caller_text_is_not_modified)
{
    char text[] = "  <b>ＦＵＬＬ</b> &amp; caf\xC3\xA9 \xFF\x00 end";
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    norm_n(text, sizeof text - 1);
    cr_expect_eq(memcmp(text, copy, sizeof text), 0);
}

Test(normalize, workspace_reuse_leaves_nothing_behind)
{
    norm("a much longer first comment with many words in it");
    expect_norm("Hi", "hi");
    cr_expect_eq(ws->norm_len, 2);
}

/* ---- Unicode ---- */

Test(normalize, nfkc_folds_full_width_letters)
{
    expect_norm("\xEF\xBD\x89\xEF\xBD\x84\xEF\xBD\x89\xEF\xBD\x8F\xEF\xBD\x94", "idiot");         /* ｉｄｉｏｔ */
    expect_norm("\xEF\xBC\xA9\xEF\xBC\xA4\xEF\xBC\xA9\xEF\xBC\xAF\xEF\xBC\xB4", "idiot");         /* ＩＤＩＯＴ */
    cr_expect_eq(ws->stats.upper, 5);
    expect_norm("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93", "123");                                  /* １２３ */
}

Test(normalize, nfkc_expands_ligatures_and_compatibility_forms)
{
    expect_norm("\xEF\xAC\x81ne", "fine");          /* ﬁne */
    expect_norm("\xEF\xAC\x80" "ect", "ffect");     /* ﬀect */
    expect_norm("x\xC2\xB2", "x2");                 /* x² */
    expect_norm("\xE2\x91\xA0", "1");               /* ① */
    expect_norm("\xE2\x84\xA2", "tm");              /* ™ */
}

Test(normalize, non_ascii_case_folding)
{
    expect_norm("STRASSE Stra\xC3\x9F" "e", "strasse strasse"); /* Straße */
    expect_norm("\xC3\x80\xC3\x89\xC3\x8E", "aei");             /* ÀÉÎ: folded and marks stripped */
}

Test(normalize, default_ignorables_are_dropped)
{
    expect_norm("\xEF\xBB\xBFhello", "hello");              /* U+FEFF byte order mark */
    expect_norm("id\xE2\x80\x8Biot", "idiot");              /* U+200B zero width space */
    expect_norm("id\xE2\x80\x8Ci\xE2\x80\x8Dot", "idiot");  /* U+200C ZWNJ, U+200D ZWJ */
    expect_norm("id\xE2\x81\xA0iot", "idiot");              /* U+2060 word joiner */
    expect_norm("i\xC2\xAD" "diot", "idiot");               /* U+00AD soft hyphen */
    expect_norm("i&shy;di&zwj;ot", "idiot");                /* the same as entities */
}

Test(normalize, bidi_controls_are_dropped)
{
    expect_norm("\xE2\x80\xAEtoidi\xE2\x80\xAC", "toidi");  /* U+202E RLO ... U+202C PDF */
    expect_norm("a\xE2\x80\x8F" "b\xE2\x80\x8E" "c", "abc");  /* U+200F RLM, U+200E LRM */
    expect_norm("\xE2\x81\xA6x\xE2\x81\xA9", "x");          /* U+2066 LRI ... U+2069 PDI */
}

Test(normalize, combining_marks_are_stripped)
{
    expect_norm("caf\xC3\xA9", "cafe");          /* precomposed é */
    expect_norm("cafe\xCC\x81", "cafe");         /* e + U+0301 */
    expect_norm("na\xC3\xAFve r\xC3\xA9sum\xC3\xA9", "naive resume");
    /* "Zalgo" text: every letter loaded with marks. */
    expect_norm("i\xCC\xB7" "d\xCC\xB4\xCD\x8C" "i\xCC\xB8" "o\xCC\xB5" "t\xCC\xB6\xCC\x81", "idiot");
}

Test(normalize, non_latin_text_is_kept)
{
    /* Japanese and Arabic letters pass through (NFKC, no folding). */
    expect_norm("\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC");
    expect_norm("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7");
    /* Hangul stays composed (NFKC, not NFKD). */
    expect_norm("\xED\x95\x9C", "\xED\x95\x9C");
}

Test(normalize, cyrillic_and_greek_look_alikes_are_folded)
{
    /* "іdіоt" with Cyrillic і (U+0456) and о (U+043E). */
    expect_norm("\xD1\x96" "d\xD1\x96\xD0\xBE" "t", "idiot");
    cr_expect_geq(ws->stats.folded, 1);
    /* "раураl": Cyrillic р а у р а, Latin l. */
    expect_norm("\xD1\x80\xD0\xB0\xD1\x83\xD1\x80\xD0\xB0l", "paypal");
    cr_expect_geq(ws->stats.folded, 1);
    /* Capitals are case-folded first: Cyrillic А (U+0410) and Greek Ι Ο Τ. */
    expect_norm("\xD0\x90" "BC", "abc");
    expect_norm("\xCE\x99" "D\xCE\x99\xCE\x9F\xCE\xA4", "idiot");
    /* Latin text counts no folding. */
    expect_norm("idiot", "idiot");
    cr_expect_eq(ws->stats.folded, 0);
}

/* ---- invalid input ---- */

Test(normalize, invalid_utf8_becomes_replacement_character)
{
    expect_norm("a\xFF" "b", "a\xEF\xBF\xBD" "b");
    cr_expect_eq(ws->stats.invalid, 1);
    /* A lead byte without its continuation: one replacement, the next byte is read normally. */
    expect_norm("x\xC3(", "x\xEF\xBF\xBD(");
    cr_expect_eq(ws->stats.invalid, 1);
    /* A stray continuation byte, an overlong encoding, an encoded surrogate. */
    norm("\x80");
    cr_expect_eq(ws->stats.invalid, 1);
    cr_expect_str_eq(ws->norm, "\xEF\xBF\xBD");
    norm("a \xC0\xAF b");
    cr_expect_eq(ws->stats.invalid, 2);
    norm("a \xED\xA0\x80 b");
    cr_expect_geq(ws->stats.invalid, 1);
    /* Whatever is left is valid UTF-8 made of U+FFFD and the text around it. */
    cr_expect_eq(strncmp(ws->norm, "a \xEF\xBF\xBD", 5), 0);
}

Test(normalize, runs_of_replacement_characters_are_cut_but_all_counted)
{
    expect_norm("\xFF\xFF\xFF\xFF\xFF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    cr_expect_eq(ws->stats.invalid, 5);
}

Test(normalize, nul_bytes_become_spaces_and_are_counted)
{
    static const char text[] = "a\0b\0\0c";
    cr_expect_str_eq(norm_n(text, sizeof text - 1), "a b c");
    cr_expect_eq(ws->stats.invalid, 3);
    cr_expect_str_eq(norm_n("\0\0\0", 3), "");
}

Test(normalize, every_byte_value_gives_valid_utf8)
{
    char text[256];
    for (int i = 0; i < 256; i++)
        text[i] = (char)i;
    norm_n(text, sizeof text);
    /* Check the output decodes: every lead byte has the right continuation bytes. */
    const unsigned char *p = (const unsigned char *)ws->norm;
    for (size_t i = 0; i < ws->norm_len;) {
        size_t k = p[i] < 0x80 ? 1 : p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : p[i] >= 0xC2 ? 2 : 0;
        cr_assert_neq(k, 0, "byte %zu (0x%02x) cannot start a sequence", i, p[i]);
        cr_assert_leq(i + k, ws->norm_len);
        for (size_t j = 1; j < k; j++)
            cr_assert_eq(p[i + j] & 0xC0, 0x80, "byte %zu is not a continuation", i + j);
        i += k;
    }
    cr_expect_geq(ws->stats.invalid, 128);
}

/* ---- markup ---- */

Test(normalize, html_tags_are_dropped)
{
    expect_norm("<p>Hello <b>world</b></p>", "hello world");
    expect_norm("one<br>two<br/>three", "one two three");
    expect_norm("<!-- hidden comment --> shown", "shown");
    cr_expect_eq(ws->stats.images, 0);
    cr_expect_eq(ws->stats.anchors, 0);
}

Test(normalize, link_targets_are_kept_and_anchors_counted)
{
    expect_norm("<a href=\"http://spam.biz/x\">click</a> here", "http://spam.biz/x click here");
    cr_expect_eq(ws->stats.anchors, 1);
    expect_norm("<A HREF='HTTP://X.COM'>y</A> <a href=z.org>w</a>", "http://x.com y z.org w");
    cr_expect_eq(ws->stats.anchors, 2);
    /* An <a> without href is no link. */
    expect_norm("<a name=\"top\">top</a>", "top");
    cr_expect_eq(ws->stats.anchors, 0);
}

Test(normalize, images_are_counted)
{
    expect_norm("<img src=\"a.png\"> nice <IMG SRC=b.gif /> pics", "nice pics");
    cr_expect_eq(ws->stats.images, 2);
}

Test(normalize, markup_is_not_counted_as_visible_text)
{
    norm("<b>ab</b>");
    cr_expect_eq(ws->stats.letters, 2);
    cr_expect_eq(ws->stats.upper, 0);
}

Test(normalize, entities_are_decoded)
{
    expect_norm("Tom &amp; Jerry", "tom & jerry");
    expect_norm("&#8220;quoted&#8221;", "\xE2\x80\x9Cquoted\xE2\x80\x9D");
    expect_norm("it&#x27;s", "it's");
    expect_norm("caf&eacute;", "cafe");
    expect_norm("&#73;&#x44;iot", "idiot");
    expect_norm("a&nbsp;&nbsp;b", "a b");
}

Test(normalize, unknown_or_incomplete_entities_stay_literal)
{
    expect_norm("&foo; bar", "&foo; bar");
    expect_norm("fish &amp chips", "fish &amp chips");
    expect_norm("AT&T", "at&t");
    expect_norm("&#; &#x; &;", "&#; &#x; &;");
}

Test(normalize, decoded_entities_are_text_not_markup)
{
    expect_norm("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>");
}

Test(normalize, stray_angle_brackets_stay_text)
{
    expect_norm("a < b", "a < b");
    expect_norm("<", "<");
    expect_norm("i <3 you", "i <3 you");
    expect_norm("1<2 and 3 > 2", "1<2 and 3 > 2");
    expect_norm("<a href=\"never closed", "<a href=\"never closed");
}

/* The normaliser composes only text that holds a combining mark or a Hangul jamo (normalize.c:
 * may_compose), because those are the only code points that are ever the second of a canonical
 * decomposition: checked here for every code point, against the utf8proc the library uses. */
Test(normalize, only_marks_and_jamo_follow_in_a_canonical_decomposition)
{
    size_t checked = 0;
    for (utf8proc_int32_t cp = 0; cp <= 0x10FFFF; cp++) {
        utf8proc_int32_t d[32];
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, NULL);
        cr_assert(k >= 1 && k <= 32, "U+%04X decomposes into %zd", (unsigned)cp, (ssize_t)k);
        for (utf8proc_ssize_t i = 1; i < k; i++) {
            utf8proc_category_t cat = utf8proc_category(d[i]);
            int jamo = d[i] >= CG_JAMO_FIRST && d[i] <= CG_JAMO_LAST;
            cr_assert(jamo || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME,
                      "U+%04X decomposes with U+%04X second", (unsigned)cp, (unsigned)d[i]);
            checked++;
        }
    }
    cr_assert_gt(checked, 2000); /* the Latin letters with accents alone are hundreds */
}

Test(normalize, hangul_jamo_are_composed)
{
    expect_norm("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "\xed\x95\x9c"); /* conjoining jamo: 한 */
    expect_norm("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"); /* 한국어 */
    expect_norm("\xe3\x85\x8e\xe3\x85\x8f", "\xed\x95\x98"); /* compatibility jamo ㅎㅏ: 하 */
    expect_norm("caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d", "cafe \xe2\x80\x9cquoted\xe2\x80\x9d");
}
