/*
 * test_tokenize.c - cg_tokenize and friends (src/tokenize.c): each token kind on examples, the
 * class names, cg_token_domain, and pathological megabyte inputs that must finish with the token
 * count the bounded patterns imply (no timing is asserted).
 *
 * Most tests hand the tokenizer text that is already normalised (lower case, no markup), written
 * straight into ws->norm, so that they test the patterns and nothing else (normalisation folds
 * leetspeak such as "tw@t", which would change some examples). A few go through cg_normalize, as
 * the library does, and the megabyte inputs are run both ways.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "normalize.h"
#include "tokenize.h"
#include "workspace.h"

static cg_workspace *ws;
static cg_patterns *patterns;

static void setup(void)
{
    char err[256] = "";
    cr_assert_eq(cg_workspace_create(&ws), CG_OK);
    cr_assert_eq(cg_patterns_compile(&patterns, err, sizeof err), CG_OK, "%s", err);
}

static void teardown(void)
{
    cg_patterns_free(patterns);
    cg_workspace_free(ws);
}

TestSuite(tokenize, .init = setup, .fini = teardown);

typedef struct expected {
    cg_token_kind kind;
    const char *text;
} expected;

/* Tokenise text[0..len) as the normalised text, or normalise it first. */
static void tokenize_as(const char *text, size_t len, int normalise)
{
    if (normalise) {
        cr_assert_eq(cg_normalize(ws, text, len), CG_OK);
    } else {
        cr_assert_eq(cg_grow((void **)&ws->norm, &ws->norm_cap, len + 1, 1), CG_OK);
        memcpy(ws->norm, text, len);
        ws->norm[len] = '\0';
        ws->norm_len = len;
    }
    cr_assert_eq(cg_tokenize(patterns, ws), CG_OK, "%s", ws->error);
    /* Tokens lie inside the text, in order, without overlapping. */
    size_t end = 0;
    for (size_t i = 0; i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        cr_assert_geq(t->start, end, "token %zu overlaps the one before", i);
        cr_assert_gt(t->len, 0, "token %zu is empty", i);
        cr_assert_leq((size_t)t->start + t->len, ws->norm_len, "token %zu runs past the text", i);
        cr_assert_lt(t->kind, CG_TOK_KINDS);
        end = t->start + t->len;
    }
}

static void tokenize_n(const char *text, size_t len)
{
    tokenize_as(text, len, 0);
}

static const char *kind_name(int kind)
{
    return cg_token_class_name((cg_token_kind)kind);
}

static void expect_tokens_as(const char *text, const expected *want, size_t n, int normalise)
{
    tokenize_as(text, strlen(text), normalise);
    for (size_t i = 0; i < n && i < ws->n_tokens; i++) {
        const cg_token *t = &ws->tokens[i];
        cr_expect(t->len == strlen(want[i].text) && memcmp(ws->norm + t->start, want[i].text, t->len) == 0,
                  "\"%s\": token %zu is \"%.*s\", expected \"%s\"", text, i, (int)t->len, ws->norm + t->start,
                  want[i].text);
        cr_expect_eq(t->kind, want[i].kind, "\"%s\": token %zu \"%s\" is %s, expected %s", text, i, want[i].text,
                     kind_name(t->kind), kind_name(want[i].kind));
    }
    cr_expect_eq(ws->n_tokens, n, "\"%s\": %zu tokens, expected %zu", text, ws->n_tokens, n);
}

#define expect_tokens(text, ...)                                                                     \
    do {                                                                                             \
        const expected want_[] = {__VA_ARGS__};                                                      \
        expect_tokens_as(text, want_, sizeof want_ / sizeof want_[0], 0);                            \
    } while (0)

/* The same, through cg_normalize. */
#define expect_normalised_tokens(text, ...)                                                          \
    do {                                                                                             \
        const expected want_[] = {__VA_ARGS__};                                                      \
        expect_tokens_as(text, want_, sizeof want_ / sizeof want_[0], 1);                            \
    } while (0)

/* A single token of the given kind covering the whole (normalised) text. */
static void expect_one(const char *text, cg_token_kind kind, const char *token)
{
    expect_tokens_as(text, &(expected){kind, token}, 1, 0);
}

/* ---- token kinds ---- */

Test(tokenize, words)
{
    expect_tokens("hello, world", {CG_TOK_WORD, "hello"}, {CG_TOK_WORD, "world"});
    expect_tokens("abc123 foo_bar", {CG_TOK_WORD, "abc123"}, {CG_TOK_WORD, "foo_bar"});
}

Test(tokenize, words_with_apostrophes)
{
    expect_tokens("don't it's o'clock", {CG_TOK_WORD, "don't"}, {CG_TOK_WORD, "it's"}, {CG_TOK_WORD, "o'clock"});
    /* A leading apostrophe is not part of a word. */
    expect_tokens("'quoted'", {CG_TOK_WORD, "quoted'"});
}

Test(tokenize, non_latin_words_and_symbols)
{
    expect_one("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", CG_TOK_WORD, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"); /* 日本語 */
    expect_one("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", CG_TOK_WORD, "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7"); /* مرحبا */
    /* An emoji is a token of its own (reported as a word). */
    expect_tokens("ok \xF0\x9F\x98\x80", {CG_TOK_WORD, "ok"}, {CG_TOK_WORD, "\xF0\x9F\x98\x80"});
}

Test(tokenize, masked_words_stay_whole)
{
    /* Asterisks between letters are part of the word: a mask the folding did not read is one word,
     * not fragments such as "us" and "d" that read as other words. */
    expect_tokens("a us*d b*cycle", {CG_TOK_WORD, "a"}, {CG_TOK_WORD, "us*d"}, {CG_TOK_WORD, "b*cycle"});
    expect_tokens("any*ne sell*ng f**r", {CG_TOK_WORD, "any*ne"}, {CG_TOK_WORD, "sell*ng"}, {CG_TOK_WORD, "f**r"});
    expect_one("s*rry", CG_TOK_WORD, "s*rry");
    expect_one("b*c*cl*", CG_TOK_WORD, "b*c*cl");
    /* Up to four asterisks in a row; "d*****n" has five: two words and a run of asterisks. */
    expect_one("d****n", CG_TOK_WORD, "d****n");
    expect_tokens("d*****n", {CG_TOK_WORD, "d"}, {CG_TOK_PUNCT_RUN, "***"}, {CG_TOK_PUNCT_RUN, "**"},
                  {CG_TOK_WORD, "n"});
    /* Asterisks at the ends of a word, before a digit or a space are not part of it. */
    expect_tokens("*bold* word* a*2 x* y", {CG_TOK_WORD, "bold"}, {CG_TOK_WORD, "word"}, {CG_TOK_WORD, "a"},
                  {CG_TOK_NUMBER, "2"}, {CG_TOK_WORD, "x"}, {CG_TOK_WORD, "y"});
    expect_tokens("2*3", {CG_TOK_NUMBER, "2"}, {CG_TOK_NUMBER, "3"});
    /* Non-Latin letters around the asterisk too. */
    expect_one("\xC3\xA9*t\xC3\xA9", CG_TOK_WORD, "\xC3\xA9*t\xC3\xA9"); /* é*té */
}

Test(tokenize, masked_words_through_normalisation)
{
    /* Masks of the folding's list are read ("f*cking" is "fucking"); the others stay whole. The
     * benign comment of tools/adversarial.py that this was about: */
    expect_normalised_tokens("S*rry f*r p*sting h*re, b*t is any*ne sell*ng a us*d b*cycle?",
                             {CG_TOK_WORD, "s*rry"}, {CG_TOK_WORD, "f*r"}, {CG_TOK_WORD, "p*sting"},
                             {CG_TOK_WORD, "h*re"}, {CG_TOK_WORD, "b*t"}, {CG_TOK_WORD, "is"},
                             {CG_TOK_WORD, "any*ne"}, {CG_TOK_WORD, "sell*ng"}, {CG_TOK_WORD, "a"},
                             {CG_TOK_WORD, "us*d"}, {CG_TOK_WORD, "b*cycle"});
    expect_normalised_tokens("you f*cking m*ron", {CG_TOK_WORD, "you"}, {CG_TOK_WORD, "fucking"},
                             {CG_TOK_WORD, "moron"});
}

Test(tokenize, long_words_are_split)
{
    char text[101];
    for (int i = 0; i < 100; i++)
        text[i] = (char)('a' + i % 10);
    text[100] = '\0';
    tokenize_n(text, 100);
    cr_assert_eq(ws->n_tokens, 2);
    cr_expect_eq(ws->tokens[0].len, 63);
    cr_expect_eq(ws->tokens[1].len, 37);
    cr_expect_eq(ws->tokens[0].kind, CG_TOK_WORD);
    cr_expect_eq(ws->tokens[1].kind, CG_TOK_WORD);
}

Test(tokenize, urls_with_scheme)
{
    expect_tokens("see https://example.com/path?q=1 now", {CG_TOK_WORD, "see"},
                  {CG_TOK_URL, "https://example.com/path?q=1"}, {CG_TOK_WORD, "now"});
    expect_one("http://spam-gifts.biz/win", CG_TOK_URL, "http://spam-gifts.biz/win");
    expect_one("http://localhost:8080/x", CG_TOK_URL, "http://localhost:8080/x");
    /* A URL ends at a quote. */
    expect_tokens("\"http://x.com/a\"", {CG_TOK_URL, "http://x.com/a"});
}

Test(tokenize, urls_without_scheme)
{
    expect_tokens("visit example.com today", {CG_TOK_WORD, "visit"}, {CG_TOK_URL, "example.com"},
                  {CG_TOK_WORD, "today"});
    expect_tokens("visit www.easy-money.xyz now", {CG_TOK_WORD, "visit"}, {CG_TOK_URL, "www.easy-money.xyz"},
                  {CG_TOK_WORD, "now"});
    expect_one("spam-gifts.biz/win", CG_TOK_URL, "spam-gifts.biz/win");
    expect_one("shop.example.co.uk", CG_TOK_URL, "shop.example.co.uk");
    expect_one("bit.ly/3xyz", CG_TOK_URL, "bit.ly/3xyz");
}

Test(tokenize, dotted_words_without_known_domain_are_words)
{
    expect_tokens("foo.bar", {CG_TOK_WORD, "foo"}, {CG_TOK_WORD, "bar"});
    expect_tokens("end.next", {CG_TOK_WORD, "end"}, {CG_TOK_WORD, "next"});
}

Test(tokenize, emails)
{
    expect_tokens("email sales@cheapstuff.biz now", {CG_TOK_WORD, "email"}, {CG_TOK_EMAIL, "sales@cheapstuff.biz"},
                  {CG_TOK_WORD, "now"});
    expect_one("john.smith+tag@mail.example.co.uk", CG_TOK_EMAIL, "john.smith+tag@mail.example.co.uk");
    /* No dot after the '@': not an address. */
    expect_tokens("me@localhost", {CG_TOK_WORD, "me"}, {CG_TOK_WORD, "localhost"});
}

Test(tokenize, mentions)
{
    expect_tokens("follow @bestdeals4u today", {CG_TOK_WORD, "follow"}, {CG_TOK_MENTION, "@bestdeals4u"},
                  {CG_TOK_WORD, "today"});
    expect_one("@bob_99", CG_TOK_MENTION, "@bob_99");
    /* An '@' inside a word is not a mention. */
    expect_tokens("a@b", {CG_TOK_WORD, "a"}, {CG_TOK_WORD, "b"});
}

Test(tokenize, phone_numbers)
{
    expect_one("+44 7911 123456", CG_TOK_PHONE, "+44 7911 123456");
    expect_tokens("call 09061701461 to claim", {CG_TOK_WORD, "call"}, {CG_TOK_PHONE, "09061701461"},
                  {CG_TOK_WORD, "to"}, {CG_TOK_WORD, "claim"});
    expect_one("555-123-4567", CG_TOK_PHONE, "555-123-4567");
    expect_one("974.5555.1234", CG_TOK_PHONE, "974.5555.1234");
}

Test(tokenize, money)
{
    expect_tokens("only $25.99!", {CG_TOK_WORD, "only"}, {CG_TOK_MONEY, "$25.99"});
    expect_tokens("earn 100 dollars", {CG_TOK_WORD, "earn"}, {CG_TOK_MONEY, "100 dollars"});
    expect_one("$500", CG_TOK_MONEY, "$500");
    expect_one("\xE2\x82\xAC" "50", CG_TOK_MONEY, "\xE2\x82\xAC" "50");             /* €50 */
    expect_one("\xC2\xA3" "1,000", CG_TOK_MONEY, "\xC2\xA3" "1,000");               /* £1,000 */
    expect_one("20 usd", CG_TOK_MONEY, "20 usd");
    expect_one("$5k", CG_TOK_MONEY, "$5k");
    expect_one("300 bucks", CG_TOK_MONEY, "300 bucks");
}

Test(tokenize, numbers)
{
    expect_one("42", CG_TOK_NUMBER, "42");
    expect_one("3.14", CG_TOK_NUMBER, "3.14");
    expect_one("1,000,000", CG_TOK_NUMBER, "1,000,000");
    expect_tokens("in 2024 we", {CG_TOK_WORD, "in"}, {CG_TOK_NUMBER, "2024"}, {CG_TOK_WORD, "we"});
    expect_tokens("10 kg", {CG_TOK_NUMBER, "10"}, {CG_TOK_WORD, "kg"});
}

Test(tokenize, punctuation_runs)
{
    expect_tokens("what?!", {CG_TOK_WORD, "what"}, {CG_TOK_PUNCT_RUN, "?!"});
    expect_tokens("wow!!!", {CG_TOK_WORD, "wow"}, {CG_TOK_PUNCT_RUN, "!!!"});
    /* A longer run is split into runs of at most three (normalisation cuts it to three first). */
    expect_tokens("!!!!!", {CG_TOK_PUNCT_RUN, "!!!"}, {CG_TOK_PUNCT_RUN, "!!"});
    expect_normalised_tokens("wow!!!!!!", {CG_TOK_WORD, "wow"}, {CG_TOK_PUNCT_RUN, "!!!"});
    expect_tokens("so...", {CG_TOK_WORD, "so"}, {CG_TOK_PUNCT_RUN, "..."});
    expect_one("***", CG_TOK_PUNCT_RUN, "***");
    /* A single mark is no token. */
    expect_tokens("yes! no? ok.", {CG_TOK_WORD, "yes"}, {CG_TOK_WORD, "no"}, {CG_TOK_WORD, "ok"});
}

Test(tokenize, mixed_spam_through_normalisation)
{
    expect_normalised_tokens("WINNER!! Call 09061701461 or mail win@prize.top, only $5 @promo www.prize.top",
                  {CG_TOK_WORD, "winner"}, {CG_TOK_PUNCT_RUN, "!!"}, {CG_TOK_WORD, "call"},
                  {CG_TOK_PHONE, "09061701461"}, {CG_TOK_WORD, "or"}, {CG_TOK_WORD, "mail"},
                  {CG_TOK_EMAIL, "win@prize.top"}, {CG_TOK_WORD, "only"}, {CG_TOK_MONEY, "$5"},
                  {CG_TOK_MENTION, "@promo"}, {CG_TOK_URL, "www.prize.top"});
}

Test(tokenize, markup_and_case_through_normalisation)
{
    expect_normalised_tokens("Visit WWW.Example.COM <b>today</b>", {CG_TOK_WORD, "visit"},
                             {CG_TOK_URL, "www.example.com"}, {CG_TOK_WORD, "today"});
    expect_normalised_tokens("<a href=\"http://x.com/p\">my site</a>", {CG_TOK_URL, "http://x.com/p"},
                             {CG_TOK_WORD, "my"}, {CG_TOK_WORD, "site"});
    expect_normalised_tokens("\xEF\xBC\x84\xEF\xBC\x92\xEF\xBC\x95", {CG_TOK_MONEY, "$25"}); /* ＄２５ */
}

Test(tokenize, empty_and_blank_text_give_no_tokens)
{
    tokenize_n("", 0);
    cr_expect_eq(ws->n_tokens, 0);
    tokenize_n("  , ; : - ", 10);
    cr_expect_eq(ws->n_tokens, 0);
}

Test(tokenize, class_names)
{
    cr_expect_str_eq(cg_token_class_name(CG_TOK_WORD), "<word>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_URL), "<url>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_EMAIL), "<email>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_MENTION), "<mention>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_PHONE), "<phone>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_MONEY), "<money>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_NUMBER), "<number>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_PUNCT_RUN), "<punct>");
    cr_expect_str_eq(cg_token_class_name(CG_TOK_KINDS), "<?>");
}

/* ---- cg_token_domain ---- */

static void expect_domain(const char *token, cg_token_kind kind, const char *domain)
{
    size_t len = 12345;
    const char *d = cg_token_domain(token, strlen(token), kind, &len);
    cr_assert_not_null(d);
    cr_expect(len == strlen(domain) && memcmp(d, domain, len) == 0, "domain of \"%s\" is \"%.*s\", expected \"%s\"",
              token, (int)len, d, domain);
}

Test(tokenize, domain_of_urls)
{
    expect_domain("http://www.spam-gifts.biz/win", CG_TOK_URL, "spam-gifts.biz");
    expect_domain("https://example.com:8080/x", CG_TOK_URL, "example.com");
    expect_domain("www.easy-money.xyz", CG_TOK_URL, "easy-money.xyz");
    expect_domain("example.com?q=1", CG_TOK_URL, "example.com");
    expect_domain("http://a.io#frag", CG_TOK_URL, "a.io");
    expect_domain("shop.example.co.uk/p/1", CG_TOK_URL, "shop.example.co.uk");
    expect_domain("http://www.", CG_TOK_URL, "www.");
}

Test(tokenize, domain_of_emails)
{
    expect_domain("sales@cheapstuff.biz", CG_TOK_EMAIL, "cheapstuff.biz");
    expect_domain("x@www.mail.org", CG_TOK_EMAIL, "mail.org");
}

Test(tokenize, domain_ignores_text_after_the_token)
{
    /* The token is "example.com" only; a scheme further on in the text is not its scheme. */
    const char *text = "example.com/x and http://other.org";
    size_t len;
    const char *d = cg_token_domain(text, 13, CG_TOK_URL, &len);
    cr_expect_eq(d, text);
    cr_expect_eq(len, 11);
}

/*
 * cg_token_domain takes a length: it must not read beyond it. The token is placed at the very end
 * of a readable page followed by an inaccessible one, so any read past token_len faults.
 */
Test(tokenize, domain_reads_only_token_len_bytes)
{
    long page = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(mem, MAP_FAILED);
    cr_assert_eq(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
    static const char url[] = "example.com/path", mail[] = "someone@example.org";
    char *token = mem + page - (sizeof url - 1);
    memcpy(token, url, sizeof url - 1); /* no NUL terminator */
    size_t len;
    const char *d = cg_token_domain(token, sizeof url - 1, CG_TOK_URL, &len);
    cr_expect_eq(d, token);
    cr_expect_eq(len, 11);
    token = mem + page - (sizeof mail - 1);
    memcpy(token, mail, sizeof mail - 1);
    d = cg_token_domain(token, sizeof mail - 1, CG_TOK_EMAIL, &len);
    cr_expect_eq(len, 11);
    munmap(mem, (size_t)page * 2);
}

/* ---- pathological inputs ---- */

#define MB (1u << 20)

static char *repeated(const char *unit, size_t reps, size_t *len)
{
    size_t u = strlen(unit);
    *len = u * reps;
    char *text = malloc(*len);
    cr_assert_not_null(text);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + i * u, unit, u);
    return text;
}

/* Tokenise `reps` copies of `unit` as normalised text; all tokens must be of `kind`. */
static void tokenize_repeated(const char *unit, size_t reps, cg_token_kind kind)
{
    size_t len;
    char *text = repeated(unit, reps, &len);
    tokenize_n(text, len);
    free(text);
    for (size_t i = 0; i < ws->n_tokens; i++)
        cr_assert_eq(ws->tokens[i].kind, kind, "token %zu is %s", i, kind_name(ws->tokens[i].kind));
}

/* The same text through the whole of normalisation (whose folding passes see it too): it must
 * finish, and tokenise into sane tokens (checked by tokenize_as). */
static void normalise_and_tokenize_repeated(const char *unit, size_t reps)
{
    size_t len;
    char *text = repeated(unit, reps, &len);
    tokenize_as(text, len, 1);
    free(text);
    cr_assert_gt(ws->n_tokens, 0);
    cr_assert_leq(ws->norm_len, len);
}

Test(tokenize, megabyte_of_one_letter)
{
    /* Words are at most 63 code points: 16644 full words and one of 4 letters. */
    tokenize_repeated("a", MB, CG_TOK_WORD);
    cr_assert_eq(ws->n_tokens, 16645);
    cr_expect_eq(ws->tokens[0].len, 63);
    cr_expect_eq(ws->tokens[16644].start, 16644u * 63);
    cr_expect_eq(ws->tokens[16644].len, 4);
    normalise_and_tokenize_repeated("a", MB);
    cr_expect_eq(ws->n_tokens, 16645);
}

Test(tokenize, megabyte_of_one_digit)
{
    /* Numbers are at most 30 digits: 34952 of them and one of 16. */
    tokenize_repeated("1", MB, CG_TOK_NUMBER);
    cr_assert_eq(ws->n_tokens, 34953);
    cr_expect_eq(ws->tokens[0].len, 30);
    cr_expect_eq(ws->tokens[34952].len, 16);
    normalise_and_tokenize_repeated("1", MB);
    cr_expect_eq(ws->n_tokens, 34953);
}

Test(tokenize, megabyte_of_a_at)
{
    /* "a@a@a@...": never an address (no dot), never a mention (an '@' after a letter): one word
     * per "a@". */
    tokenize_repeated("a@", MB / 2, CG_TOK_WORD);
    cr_assert_eq(ws->n_tokens, MB / 2);
    cr_expect_eq(ws->tokens[MB / 2 - 1].start, MB - 2);
    cr_expect_eq(ws->tokens[MB / 2 - 1].len, 1);
    normalise_and_tokenize_repeated("a@", MB / 2);
}

Test(tokenize, megabyte_of_www)
{
    /* "www.www.www....": a URL takes "www." and at most 2000 more bytes, so 2004 a piece; the next
     * one starts right after (2004 is a multiple of 4). 523 full ones and one of 484 bytes. */
    tokenize_repeated("www.", MB / 4, CG_TOK_URL);
    cr_assert_eq(ws->n_tokens, 524);
    cr_expect_eq(ws->tokens[0].len, 2004);
    cr_expect_eq(ws->tokens[523].start, 523u * 2004);
    cr_expect_eq(ws->tokens[523].len, 484);
    normalise_and_tokenize_repeated("www.", MB / 4);
}

Test(tokenize, megabyte_of_http_scheme)
{
    /* "http://http://...": a URL is "http://" and 2000 more bytes (2007); the next starts at the
     * next 'h', 2 bytes on, so every 2009 bytes. 149796 copies are 1048572 bytes: 522 URLs. */
    tokenize_repeated("http://", 149796, CG_TOK_URL);
    cr_assert_eq(ws->n_tokens, 522);
    cr_expect_eq(ws->tokens[0].len, 2007);
    cr_expect_eq(ws->tokens[1].start, 2009);
    cr_expect_eq(ws->tokens[521].start, 521u * 2009);
    cr_expect_eq(ws->tokens[521].len, 1048572 - 521u * 2009);
    normalise_and_tokenize_repeated("http://", 149796);
}

Test(tokenize, megabyte_of_spaced_letters)
{
    /* "a b a b ...": single letters set apart, as normalisation's folding looks for. */
    normalise_and_tokenize_repeated("a b ", MB / 4);
    normalise_and_tokenize_repeated("f.u.", MB / 4);
    normalise_and_tokenize_repeated("sh1t ", MB / 5);
}

Test(tokenize, megabyte_of_masked_letters)
{
    /* "a*a*a*...": asterisks between letters stay in the word, so words of 63 units (32 letters and
     * 31 asterisks, 63 bytes) that end at a letter; the next begins after an asterisk that no
     * word takes, so a word every 64 bytes. */
    tokenize_repeated("a*", MB / 2, CG_TOK_WORD);
    cr_assert_eq(ws->n_tokens, MB / 64);
    cr_expect_eq(ws->tokens[0].len, 63);
    cr_expect_eq(ws->tokens[1].start, 64);
    normalise_and_tokenize_repeated("a*", MB / 2);
    normalise_and_tokenize_repeated("a**", MB / 3);
}

Test(tokenize, workspace_is_reused_after_a_large_text)
{
    tokenize_repeated("a@", MB / 2, CG_TOK_WORD);
    expect_tokens("two words", {CG_TOK_WORD, "two"}, {CG_TOK_WORD, "words"});
}
