/* differential_inputs.h - the generated inputs of test_differential.c (its opening comment says what
 * they are): make_input(b, i) for 0 <= i < N_SMALL + N_HUGE, and the article they are also
 * extracted against. A fixed pseudo-random sequence: the recorded vectors and scores depend on it
 * never changing. Include it once, after criterion.h. */
#ifndef CG_DIFFERENTIAL_INPUTS_H
#define CG_DIFFERENTIAL_INPUTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commentguard.h"

#define N_SMALL 3000
#define N_HUGE 8

static const char article_text[] =
    "Public transport needs more money: the author argues that buses and trains in the city are "
    "underfunded, and that data science could help plan the routes. Python code is on GitHub.";

static uint64_t rng_state;

static uint32_t next_random(void)
{
    /* xorshift64*: fixed here, so that the inputs never change with the C library */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static size_t pick(size_t n)
{
    return next_random() % n;
}

static const char *const ascii_words[] = {
    "the", "a", "I", "you", "agree", "with", "author", "public", "transport", "needs", "more", "money",
    "great", "article", "thanks", "for", "sharing", "this", "is", "not", "what", "they", "said", "Python",
    "data", "science", "model", "code", "works", "fine", "idiot", "stupid", "loser", "pathetic", "hate",
    "muslims", "gay", "people", "WINNER", "Call", "now", "claim", "cash", "prize", "FREE", "click", "here",
    "buy", "cheap", "pills", "don't", "it's", "can't", "O'Brien", "e.g.", "etc.", "well...", "ok", "lol",
    "x", "u", "r", "i", "www", "http", "https", "covid19", "mp3", "4x4", "3rd", "10am", "self_made",
};

static const char *const unicode_words[] = {
    "caf\xc3\xa9", "na\xc3\xafve", "\xce\xa9mega", "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
    "\xd1\x96" "d\xd1\x96\xd0\xbe" "t",                       /* Cyrillic look-alikes inside Latin */
    "\xce\x97\xce\xb7", "\xef\xbd\x89\xef\xbd\x84\xef\xbd\x89\xef\xbd\x8f\xef\xbd\x94", /* full width */
    "\xf0\x9d\x90\xa2\xf0\x9d\x90\x9d\xf0\x9d\x90\xa2\xf0\x9d\x90\xa8\xf0\x9d\x90\xad", /* bold */
    "\xf0\x9f\x98\x80", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "\xe2\x80\x8b", "\xef\xbb\xbf", "e\xcc\x81",
    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", "stra\xc3\x9f" "e",
    "\xef\xac\x81ne", "\xe2\xa0\x80", "\xe2\x80\x9cquoted\xe2\x80\x9d", "\xe2\x80\x94", "\xc2\xa0",
    "\xe2\x82\xac" "50", "\xc2\xa3" "20", "\xe2\x93\x98\xe2\x93\x93\xe2\x93\x98\xe2\x93\x9e\xe2\x93\xa3",
    "\xe1\x8f\x9a\xe1\x8e\xaa", "\xe2\x80\xae" "abc", "\xc3\x85ngstr\xc3\xb6m", "\xce\x9c\xce\xbc",
};

static const char *const obfuscated_words[] = {
    "f.u.c.k", "s h i t", "sh1t", "1d10t", "@ss", "$hit", "f*ck", "stuuupid", "us*d", "m0r0n", "f-u-c-k",
    "a s s", "f_u_c_k", "f~u~c~k", "sh!t", "b!tch", "tw@t", "5tup1d", "1d1ot", "iiiidiot", "looooser",
    "w h a t a loser", "u r a", "a c . o . m . e", "$25.99", "@sam", "0x1f", "p\xce\xbfrn",
};

static const char *const markup_words[] = {
    "<a href=\"http://spam.ru/x?y=1\">link</a>", "<img src=x.png>", "&amp;", "&#8220;", "&#x27;", "&nbsp;",
    "<!-- hidden -->", "<b>bold</b>", "<p>", "</p>", "a<b", "&bogus;", "https://example.com/path?q=1",
    "www.cheap-pills.biz", "spam.xyz/offer", "mail@example.org", "first.last+tag@mail.co.uk", "@user_1",
    "+44 7911 123456", "555-123-4567", "$1,000,000", "10 dollars", "3.14159", "2024", "!!!", "???", "...",
    "**", "#hashtag", "100%", "(see above)", "\"quote\"", "1.2.3.4.5.6", "&lt;script&gt;",
    /* the tokeniser's fast paths and their edges */
    "life-style", "co-op.com", "a.b.c", "x@", "@@double", "@abcdefghijklmnopqrstuvwxyz0123456789", "&&", "#!",
    "*.*", "..@", "http:no", "https:x", "user.name@", ".net", "ab@cd", "a'b@c.com", "x_y@z.org", "www", "www.",
    "wwwx.com", "e.g.", "i.e.,", "a-b-c-d", "%+", "+%", "?!?!", "!?.", "*#&$%", "&#", "caf\xc3\xa9@x.io",
    "@caf\xc3\xa9", "\xc3\xa9@user", "word:word", "end.", "end.\"", "o'neil.com", "a--b.uk", "x.y.z.w.v.q.com",
    /* numbers, and '-' and '_' before an address or not */
    "5 usd", "5 eur", "5 gbp", "5 qar", "5 qr", "1 dollar", "10 euros", "3 pounds", "5 bucks", "99 \xc2\xa3",
    "42\xe2\x82\xac", "5 $", "5$", "$5", "5k", "5 bn", "12 345 6789", "123 4567890", "123456 78", "1234567",
    "123-4567", "12.345.678", "2019.com", "2019, then", "7.5", "5. 6", "5.x", "5,6", "5, 6", "100%x@y.com", "90's",
    "3rd", "10am", "4x4", "5*", "5/6", "(5)", "5:30", "5_x@y.io", "5+5", "5@x.io", "-x@y.com", "_a@b.io", "--",
    "a - b", "-5", "_x_", "x-y-z", "5 people", "5 days", "5 euro", "5 u", "5\xd9\xa3",
};

static const char *const separators[] = {" ", " ", " ", " ", "", ". ", ", ", "\n", "\t", "  ", "! ", "? ", "-"};

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static void append(buffer *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
        cr_assert_not_null(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void append_str(buffer *b, const char *s)
{
    append(b, s, strlen(s));
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One fragment of the mix `kind` (0 ASCII, 1 mixed Unicode, 2 obfuscated, 3 markup and numbers,
 * 4 invalid UTF-8, 5 everything). */
static void append_fragment(buffer *b, int kind)
{
    int k = kind == 5 ? (int)pick(5) : kind;
    if (k != 0 && pick(3) == 0)
        k = 0; /* every mix keeps some plain words */
    switch (k) {
    case 0: {
        const char *w = ascii_words[pick(COUNT(ascii_words))];
        if (pick(8) == 0) { /* upper case */
            for (const char *p = w; *p; p++) {
                char c = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
                append(b, &c, 1);
            }
        } else {
            append_str(b, w);
        }
        break;
    }
    case 1:
        append_str(b, unicode_words[pick(COUNT(unicode_words))]);
        break;
    case 2:
        append_str(b, obfuscated_words[pick(COUNT(obfuscated_words))]);
        break;
    case 3:
        append_str(b, markup_words[pick(COUNT(markup_words))]);
        break;
    default: {
        size_t n = 1 + pick(4);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)(pick(4) == 0 ? 0 : 0x80 + pick(0x80));
            append(b, &c, 1);
        }
        static const char *const bad[] = {"\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xe2\x82"};
        append_str(b, bad[pick(COUNT(bad))]);
        break;
    }
    }
    append_str(b, separators[pick(COUNT(separators))]);
}

/* Input i (0 <= i < N_SMALL + N_HUGE) into b. */
static void make_input(buffer *b, size_t i)
{
    b->len = 0;
    rng_state = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(i + 1) * 0xD6E8FEB86659FD93ull);
    for (int warm = 0; warm < 4; warm++)
        next_random();
    if (i < N_SMALL) {
        int kind = (int)(i % 6);
        size_t n = pick(8) == 0 ? pick(400) : pick(40);
        for (size_t k = 0; k < n; k++)
            append_fragment(b, kind);
        return;
    }
    static const char runs[] = "a1!.";
    size_t h = i - N_SMALL;
    if (h < 4) { /* 200,000 of one byte */
        for (size_t k = 0; k < 200000; k++)
            append(b, &runs[h], 1);
        return;
    }
    size_t target = h == N_HUGE - 1 ? CG_MAX_COMMENT_BYTES - 64 : 100000 * h;
    while (b->len < target)
        append_fragment(b, (int)(h % 6));
}

#endif
