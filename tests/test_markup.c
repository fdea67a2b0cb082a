/*
 * test_markup.c - cg_markup_at (src/markup.c): character entities (named, decimal, hex, invalid),
 * tags with their href and image flags, comments, and the many things that only look like markup:
 * unterminated, overlong or malformed tags and entities must stay text.
 *
 * Every input is copied into a heap block of exactly n bytes (no NUL after it), so that a read past
 * the end shows up under AddressSanitizer.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"

static char *block; /* the current input, exactly n bytes */

static void teardown(void)
{
    free(block);
    block = NULL;
}

TestSuite(markup, .fini = teardown);

static cg_markup_kind at_n(const char *s, size_t n, cg_markup *m)
{
    free(block);
    block = malloc(n ? n : 1);
    cr_assert_not_null(block);
    memcpy(block, s, n);
    /* Fill the result with garbage: cg_markup_at must reset every field. */
    memset(m, 0x5A, sizeof *m);
    return cg_markup_at(block, n, m);
}

static cg_markup_kind at(const char *s, cg_markup *m)
{
    return at_n(s, strlen(s), m);
}

static void expect_entity(const char *s, size_t consumed, uint32_t codepoint)
{
    cg_markup m;
    cr_assert_eq(at(s, &m), CG_MARKUP_ENTITY, "\"%s\" should be an entity", s);
    cr_expect_eq(m.consumed, consumed, "\"%s\": consumed %zu, expected %zu", s, m.consumed, consumed);
    cr_expect_eq(m.codepoint, codepoint, "\"%s\": U+%04X, expected U+%04X", s, m.codepoint, codepoint);
    cr_expect_eq(m.is_image, 0);
    cr_expect_eq(m.is_anchor, 0);
}

static void expect_text(const char *s)
{
    cg_markup m;
    cr_expect_eq(at(s, &m), CG_MARKUP_NONE, "\"%s\" should stay text", s);
    cr_expect_eq(m.consumed, 0, "\"%s\": nothing is consumed", s);
}

static void expect_tag(const char *s, size_t consumed, int is_image, int is_anchor)
{
    cg_markup m;
    cr_assert_eq(at(s, &m), CG_MARKUP_TAG, "\"%s\" should be a tag", s);
    cr_expect_eq(m.consumed, consumed, "\"%s\": consumed %zu, expected %zu", s, m.consumed, consumed);
    cr_expect_eq(m.is_image, is_image, "\"%s\": is_image", s);
    cr_expect_eq(m.is_anchor, is_anchor, "\"%s\": is_anchor", s);
    if (!is_anchor) {
        cr_expect_null(m.href);
        cr_expect_eq(m.href_len, 0);
    }
}

/* ---- entities ---- */

Test(markup, named_entities)
{
    expect_entity("&amp;", 5, '&');
    expect_entity("&lt;", 4, '<');
    expect_entity("&gt;", 4, '>');
    expect_entity("&quot;", 6, '"');
    expect_entity("&apos;", 6, '\'');
    expect_entity("&nbsp;", 6, 0xA0);
    expect_entity("&hellip;", 8, 0x2026);
    expect_entity("&eacute;", 8, 0xE9);
}

Test(markup, entity_consumes_only_itself)
{
    expect_entity("&amp;rest of text", 5, '&');
    expect_entity("&#65;&#66;", 5, 'A');
}

Test(markup, decimal_entities)
{
    expect_entity("&#8220;", 7, 0x201C);
    expect_entity("&#65;", 5, 'A');
    expect_entity("&#0065;", 7, 'A');
    expect_entity("&#1114111;", 10, 0x10FFFF);
}

Test(markup, hex_entities)
{
    expect_entity("&#x27;", 6, '\'');
    expect_entity("&#X27;", 6, '\'');
    expect_entity("&#x1F600;", 9, 0x1F600);
    expect_entity("&#x1f600;", 9, 0x1F600);
    expect_entity("&#x10FFFF;", 10, 0x10FFFF);
}

Test(markup, entities_that_cannot_be_text_become_replacement_character)
{
    expect_entity("&#0;", 4, 0xFFFD);
    expect_entity("&#xD800;", 8, 0xFFFD);
    expect_entity("&#xDFFF;", 8, 0xFFFD);
}

Test(markup, invalid_entities_stay_text)
{
    expect_text("&foo;");         /* unknown name */
    expect_text("&AMP;");         /* names are case-sensitive */
    expect_text("&amp");          /* no semicolon */
    expect_text("&amp rest");     /* no semicolon nearby */
    expect_text("&;");            /* empty */
    expect_text("&#;");           /* no digits */
    expect_text("&#x;");          /* no hex digits */
    expect_text("&#12a;");        /* not a decimal number */
    expect_text("&#xZZ;");        /* not a hex number */
    expect_text("&#1114112;");    /* above U+10FFFF */
    expect_text("&#x110000;");
    expect_text("&#99999999999999999999;"); /* would overflow */
    expect_text("& amp;");
    expect_text("&");
}

Test(markup, overlong_entity_stays_text)
{
    expect_entity("&#x0010FFFF;", 12, 0x10FFFF); /* 12 bytes: the longest accepted */
    expect_text("&#x00010FFFF;");                /* 13 bytes */
    expect_text("&#00000000065;");
}

Test(markup, entity_is_not_read_past_n)
{
    cg_markup m;
    cr_expect_eq(at_n("&amp;", 4, &m), CG_MARKUP_NONE);
    cr_expect_eq(at_n("&amp;", 5, &m), CG_MARKUP_ENTITY);
    cr_expect_eq(at_n("&", 1, &m), CG_MARKUP_NONE);
}

/* ---- tags ---- */

Test(markup, simple_tags)
{
    expect_tag("<b>", 3, 0, 0);
    expect_tag("</p>", 4, 0, 0);
    expect_tag("<br/>", 5, 0, 0);
    expect_tag("<br />", 6, 0, 0);
    expect_tag("<h1>", 4, 0, 0);
    expect_tag("<p class=\"x\">text</p>", 13, 0, 0);
    expect_tag("<DIV\n  id=main>", 15, 0, 0);
    expect_tag("<!DOCTYPE html>", 15, 0, 0);
}

Test(markup, images_are_flagged)
{
    expect_tag("<img src=x.png>", 15, 1, 0);
    expect_tag("<IMG>", 5, 1, 0);
    expect_tag("<img/>", 6, 1, 0);
    expect_tag("</img>", 6, 0, 0);
    expect_tag("<imgx>", 6, 0, 0);
}

static void expect_anchor(const char *s, size_t consumed, const char *href)
{
    cg_markup m;
    cr_assert_eq(at(s, &m), CG_MARKUP_TAG, "\"%s\" should be a tag", s);
    cr_expect_eq(m.consumed, consumed, "\"%s\": consumed %zu", s, m.consumed);
    cr_assert_eq(m.is_anchor, 1, "\"%s\" should be an anchor", s);
    cr_expect_eq(m.is_image, 0);
    cr_assert_not_null(m.href);
    cr_assert(m.href >= block && m.href + m.href_len <= block + consumed, "href must point into the tag");
    cr_expect_eq(m.href_len, strlen(href), "\"%s\": href length %zu", s, m.href_len);
    cr_expect_eq(memcmp(m.href, href, strlen(href)), 0, "\"%s\": href \"%.*s\"", s, (int)m.href_len, m.href);
}

Test(markup, anchors_give_their_href)
{
    expect_anchor("<a href=\"http://x.com/p\">", 25, "http://x.com/p");
    expect_anchor("<a href='y.org'>", 16, "y.org");
    expect_anchor("<a href=z.net>", 14, "z.net");
    expect_anchor("<A HREF=\"Q\">", 12, "Q");
    expect_anchor("<a  href = \"w\" >", 16, "w");
    expect_anchor("<a class=\"c\" href=\"u\" title=\"t\">", 32, "u");
    expect_anchor("<a\nhref=\"v\">", 12, "v");
    expect_anchor("<a href=\"&amp;x\">", 17, "&amp;x"); /* not decoded */
}

/* "href=" inside another attribute's quoted value is not the link: a spammer could otherwise show
 * the features one domain while the link goes to another. */
Test(markup, href_inside_a_quoted_value_is_not_the_href)
{
    expect_anchor("<a title=\"x href=decoy.com\" href=\"real.biz\">", 44, "real.biz");
    expect_anchor("<a data-x='y href=decoy.com' href=real.biz>", 43, "real.biz");
}

Test(markup, tags_that_are_not_links)
{
    expect_tag("<a>", 3, 0, 0);
    expect_tag("<a name=\"top\">", 14, 0, 0);
    expect_tag("</a>", 4, 0, 0);
    expect_tag("<abbr title=\"x\">", 16, 0, 0);
    expect_tag("<area href=\"x\">", 15, 0, 0);
    expect_tag("<a xhref=\"x\">", 13, 0, 0);
}

Test(markup, comments)
{
    expect_tag("<!-- c -->", 10, 0, 0);
    expect_tag("<!---->", 7, 0, 0);
    expect_tag("<!-- a > b < c -->tail", 18, 0, 0);
    expect_tag("<!-- <img src=x> -->", 20, 0, 0);
}

Test(markup, unterminated_markup_stays_text)
{
    expect_text("<!-- never closed");
    expect_text("<!-- almost --");
    expect_text("<a href=\"x\"");
    expect_text("<b");
    expect_text("<p class=");
}

Test(markup, things_that_only_look_like_tags)
{
    expect_text("< b>");  /* space after '<' */
    expect_text("<3");
    expect_text("<3 you>");
    expect_text("<>");
    expect_text("</>");
    expect_text("<!>");
    expect_text("<=");
    expect_text("<a<b>"); /* a '<' before the '>' */
    expect_text("<b\"x\">");
    expect_text("<");
}

Test(markup, tag_is_not_read_past_n)
{
    cg_markup m;
    cr_expect_eq(at_n("<b>", 2, &m), CG_MARKUP_NONE);
    cr_expect_eq(at_n("<b>", 3, &m), CG_MARKUP_TAG);
    cr_expect_eq(at_n("<!-- x -->", 9, &m), CG_MARKUP_NONE);
}

/* A tag `<a title="xxx...">` of exactly len bytes. */
static char *long_tag(size_t len)
{
    char *s = malloc(len + 1);
    cr_assert_not_null(s);
    memset(s, 'x', len);
    memcpy(s, "<a title=\"", 10);
    memcpy(s + len - 2, "\">", 2);
    s[len] = '\0';
    return s;
}

Test(markup, overlong_tags_stay_text)
{
    cg_markup m;
    char *s = long_tag(2048);
    cr_expect_eq(at(s, &m), CG_MARKUP_TAG, "a 2048-byte tag is still a tag");
    cr_expect_eq(m.consumed, 2048);
    free(s);
    s = long_tag(2049);
    cr_expect_eq(at(s, &m), CG_MARKUP_NONE, "a 2049-byte tag is text");
    free(s);
    s = long_tag(100000);
    cr_expect_eq(at(s, &m), CG_MARKUP_NONE);
    free(s);
}

Test(markup, overlong_comment_stays_text)
{
    size_t len = 5000;
    char *s = malloc(len + 1);
    cr_assert_not_null(s);
    memset(s, '.', len);
    memcpy(s, "<!--", 4);
    memcpy(s + len - 3, "-->", 3);
    s[len] = '\0';
    cg_markup m;
    cr_expect_eq(at(s, &m), CG_MARKUP_NONE);
    free(s);
}

Test(markup, empty_input_is_text)
{
    cg_markup m;
    cr_expect_eq(at_n("", 0, &m), CG_MARKUP_NONE);
    cr_expect_eq(m.consumed, 0);
}
