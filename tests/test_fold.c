/*
 * test_fold.c - undoing obfuscation (src/fold.c) through the whole normaliser: exact normalised text
 * for each technique (confusables, full-width and mathematical letters, leetspeak, masks, letters
 * set apart, repeated letters, invisible characters, stacked marks), the folding count, what must
 * stay as written (numbers, prices, units, links, addresses, mentions, code, real Russian and
 * Greek), and linear time on pathological input.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fold.h"
#include "normalize.h"

static cg_workspace *ws;

static void setup(void)
{
    cr_assert_eq(cg_workspace_create(&ws), CG_OK);
}

static void teardown(void)
{
    cg_workspace_free(ws);
}

/* The normalised text of a comment (valid until the next call). */
static const char *norm(const char *text)
{
    cr_assert_eq(cg_normalize(ws, text, strlen(text)), CG_OK);
    return ws->norm;
}

#define EXPECT(text, want) cr_expect_str_eq(norm(text), want, "for \"%s\"", text)

/* A word as analyse.c hashes it: cg_fold_word applied to it. */
static const char *word(const char *w, uint32_t *folded)
{
    static char out[256];
    size_t n = cg_fold_word(w, strlen(w), out, folded);
    out[n] = '\0';
    return out;
}

TestSuite(fold, .init = setup, .fini = teardown);

/* ---- techniques ---- */

Test(fold, confusables_of_other_scripts)
{
    EXPECT("уоu аrе аn іdіоt", "you are an idiot"); /* Cyrillic у о а е і о mixed with Latin */
    EXPECT("ѕтuріd", "stupid");                     /* Cyrillic but for the u */
    EXPECT("ѕтѕ", "sts");                           /* all Cyrillic look-alikes, in a Latin text */
    EXPECT("ιdιοt", "idiot");                       /* Greek ι ο */
    EXPECT("Ꮪtupid", "stupid");                     /* Cherokee */
    EXPECT("հօսս", "houu");                         /* Armenian */
    EXPECT("ɪᴅɪᴏᴛ", "idiot");                       /* Latin small capitals */
    EXPECT("ƒøøł", "fool");                         /* Latin letters with hooks and strokes */
    EXPECT("🅸🅳🅸🅾🆃 🅕🅞🅞🅛", "idiot fool");        /* negative squared and circled */
}

Test(fold, greek_capitals_kept_by_the_normaliser)
{
    /* Υου, Νobody, Ηey: capitals that look like other Latin letters than their small forms. */
    uint32_t you[] = {cg_fold_capital(0x03C5), 0x03BF, 0x03C5, ' ', cg_fold_capital(0x03BD), 'o', ' ',
                      cg_fold_capital(0x03B7), 'e', 'y'};
    uint32_t folded = 0;
    size_t n = cg_fold(you, sizeof you / sizeof you[0], &folded);
    const uint32_t want[] = {'y', 'o', 'u', ' ', 'n', 'o', ' ', 'h', 'e', 'y'};
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    cr_expect_arr_eq(you, want, sizeof want);
    cr_expect_eq(folded, 3);
    cr_expect_eq(cg_fold_capital('a'), 'a');
    cr_expect_eq(cg_fold_capital(0x03B1), 0x03B1); /* α looks like a whatever its case */

    /* In real Greek such a capital stays, as its small letter. */
    uint32_t greek[] = {cg_fold_capital(0x03B7), ' ', 0x03BB, 0x03B5, 0x03BE, 0x03B7};
    folded = 0;
    cg_fold(greek, sizeof greek / sizeof greek[0], &folded);
    cr_expect_eq(greek[0], 0x03B7);
    cr_expect_eq(folded, 0);
}

Test(fold, compatibility_forms)
{
    EXPECT("ｉｄｉｏｔ", "idiot"); /* full-width */
    EXPECT("𝐢𝐝𝐢𝐨𝐭 𝕴𝖉𝖎𝖔𝖙 𝒾𝒹𝒾ℴ𝓉", "idiot idiot idiot"); /* mathematical */
    EXPECT("ⓘⓓⓘⓞⓣ ᶦᵈᶦᵒᵗ", "idiot idiot"); /* circled, superscript */
}

Test(fold, leetspeak)
{
    EXPECT("sh1t m0r0n id10t 1d10t n00b", "shit moron idiot idiot noob");
    EXPECT("@ss $hit tw@t a$$ a$$hole @$$h0l3 |oser", "ass shit twat ass asshole asshole loser");
    EXPECT("b!tch sh!t !diot", "bitch shit idiot");
    EXPECT("k1ll ho1e on1y craw1 1oser", "kill hole only crawl loser");
    EXPECT("7his 5hut idio7 her3 0ff wh0 know$", "this shut idiot here off who knows");
    EXPECT("SH1T", "shit");
}

Test(fold, masked_words)
{
    EXPECT("f*ck f**k sh*t a**hole b*tches f*cking d*ck", "fuck fuck shit asshole bitches fucking dick");
    EXPECT("y*u a*b 5* *bold* word*", "y*u a*b 5* *bold* word*");
    /* Asterisks over an ordinary word's vowels hide that word, not a masked word plus letters. */
    EXPECT("sh**ld f**r sc**nce h*ll*", "sh**ld f**r sc**nce h*ll*");
    EXPECT("sh*tty d*ckhead f*ckers", "shitty dickhead fuckers");
}

Test(fold, letters_set_apart)
{
    EXPECT("f.u.c.k f u c k f-u-c-k f_u_c_k f*u*c*k f . u . c . k", "fuck fuck fuck fuck fuck fuck");
    EXPECT("s.h.1.t a s s", "shit ass");
    EXPECT("a c . o . m . p . l . e . t . e i_d_i_o_t", "a complete idiot");
    EXPECT("W h a t a loser", "what a loser");
    EXPECT("y-o-u s t u p i d", "you stupid");
    EXPECT("U.S.A. and a.k.a.", "usa. and aka.");
}

Test(fold, repeated_letters_in_words)
{
    uint32_t folded = 0;
    cr_expect_str_eq(word("stuuuupid", &folded), "stupid");
    cr_expect_str_eq(word("fuuuuuck", &folded), "fuck");
    cr_expect_str_eq(word("good", &folded), "good");
    cr_expect_eq(folded, 2);
    /* The normaliser keeps them, so that "www" in a link survives; analyse.c folds the words. */
    EXPECT("stuuuupid www.example.com", "stuuuupid www.example.com");
}

Test(fold, invisible_characters)
{
    /* zero width space, non-joiner, joiner; word joiner, soft hyphen, BOM; bidi override and pop;
     * bidi isolates, Mongolian vowel separator, a tag character; braille blanks read as spaces */
    EXPECT("i\u200Bd\u200Ci\u200Do\u2060t i\u00ADd\uFEFFi\u202Eo\u202Ct", "idiot idiot");
    EXPECT("i\u2066d\u2069i\u180Eo\U000E0041t", "idiot");
    EXPECT("f\u2800u\u2800c\u2800k", "fuck");
}

Test(fold, stacked_combining_marks)
{
    char zalgo[256] = "";
    for (const char *c = "idiot"; *c; c++) {
        size_t n = strlen(zalgo);
        zalgo[n] = *c;
        zalgo[n + 1] = '\0';
        for (int m = 0; m < 20; m++)
            strcat(zalgo, m % 2 ? "\u0301" : "\u0363");
    }
    EXPECT(zalgo, "idiot");
    EXPECT("i̷̛d̵iot", "idiot");
}

Test(fold, counts_foldings_per_word)
{
    norm("you are an іdіоt and a sh1t, f.u.c.k");
    cr_expect_eq(ws->stats.folded, 3);
    norm("a plain comment with nothing to fold, 10 of 12");
    cr_expect_eq(ws->stats.folded, 0);
}

/* ---- what must stay ---- */

Test(fold, numbers_prices_units_and_names_stay)
{
    const char *keep[] = {
        "item 1 of 10", "mp3 covid19 ps4 win10 a55", "$25.99 us$25 $5", "4x4 2nd 3rd 1st 90s", "b2b h2o r2d2",
        "10am 5km 3mins 5million 4years", "b737 t1000 0x1f #f0f0f0", "version 2.4.1 and 192.168.1.1",
        "i am a teacher", "u r a star", "e.g. i.e. a.m.", "j. k. rowling", "a, b, c", "1-800-555-0199",
        "today!from", "none|align", "hello!!! wow!!", "idiot!", "5*",
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        EXPECT(keep[i], keep[i]);
}

Test(fold, links_addresses_mentions_and_code_stay)
{
    const char *keep[] = {
        "see http://sh1t.example.com/a1b/c.d.e.f and https://t.co/x1y2",
        "www.l33t.com or sh1t.org or a.b.c.d.com",
        "mail j0hn.d03@mail.com or f.u.c.k@example.org",
        "thanks @sam and @john_doe99 and @m1ke",
        "x = a1b; foo(b0b) a[i1] p->n1 std::v3 a && b || c `l33t`",
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        EXPECT(keep[i], keep[i]);
}

Test(fold, real_russian_and_greek_stay)
{
    EXPECT("Привет, как дела? Это хорошо, он сам", "привет, как дела? это хорошо, он сам");
    EXPECT("Το σπίτι είναι μεγάλο", "το σπιτι ειναι μεγαλο");
    /* A word that mixes scripts is folded even in Russian. */
    EXPECT("привет іdіоt", "привет idiot");
}

/* ---- cost ---- */

/* Normalise a megabyte made of `unit` repeated; must take well under a second. */
static void time_repeated(const char *unit)
{
    size_t len = 1u << 20, k = strlen(unit);
    char *text = malloc(len);
    cr_assert_not_null(text);
    for (size_t i = 0; i < len; i++)
        text[i] = unit[i % k];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(cg_normalize(ws, text, len), CG_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_expect_lt(seconds, 2.0, "\"%s\" repeated took %.2f s", unit, seconds);
    free(text);
}

Test(fold, linear_on_pathological_input, .timeout = 60)
{
    const char *units[] = {"1.", "a.", "a ", "u ", "a-b ", "a. ", "@a", "a@", "a1", "1a", "$", "*a", "a*",
                           "!a", ".com", "www.", "а", "аa ", "🅰", "a.b.c d-e-f "};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        time_repeated(units[i]);
}

/* cg_fold_ascii is cg_fold for ASCII text; told that no leetspeak character is there, it skips only
 * a pass that would have read nothing. */
static void check_fold_ascii(const char *text, int has_leet)
{
    size_t n = strlen(text);
    uint32_t a[128], b[128];
    cr_assert_lt(n, 128);
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] = (unsigned char)text[i];
    uint32_t folded_a = 0, folded_b = 0;
    size_t na = cg_fold(a, n, &folded_a), nb = cg_fold_ascii(b, n, &folded_b, has_leet);
    cr_assert_eq(na, nb, "for \"%s\"", text);
    cr_expect_arr_eq(a, b, na * sizeof *a, "for \"%s\"", text);
    cr_expect_eq(folded_a, folded_b, "for \"%s\"", text);
}

Test(fold, ascii_folding_is_the_same)
{
    static const char *const leet[] = {"sh1t m0r0n", "you @ss", "f*ck off", "$hit happens", "l|ar", "wh0 r u",
                                       "f.u.c.k 4x4 mp3", "call 555 1234!", "a s s h 0 l e"};
    static const char *const plain[] = {"f u c k you", "f-u-c-k", "i t ' s a c a t", "hello there, world",
                                        "w h a t a loser", "x.com and a.b.c", ""};
    for (size_t i = 0; i < sizeof leet / sizeof leet[0]; i++)
        check_fold_ascii(leet[i], 1);
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        check_fold_ascii(plain[i], 1);
        check_fold_ascii(plain[i], 0);
    }
    /* Through the normaliser, which says whether such a character was read, entities included. */
    EXPECT("sh&#49;t", "shit");
    EXPECT("you &#64;ss", "you ass");
    EXPECT("SH1T", "shit");
}

/* Whether cg_fold_scan, byte by byte, says that letters may be set apart in text. */
static int scan_says_maybe(const char *text, size_t n)
{
    cg_fold_scan scan = CG_FOLD_SCAN_START;
    for (size_t i = 0; i < n; i++)
        cg_fold_scan_byte(&scan, (unsigned char)text[i]);
    return cg_fold_scan_end(scan);
}

/* The normaliser folds plain ASCII as bytes, without pass 2, where cg_fold_scan finds no letters
 * set apart: the scan must never miss text that pass 2 changes (checked on every text of up to 9
 * characters of an alphabet of units, separators and others, and on longer ones at random), and
 * finds what pass 2 joins. */
Test(fold, scan_for_letters_set_apart_misses_none)
{
    static const char alphabet[] = "a. 1,b@$2-_*~\t";
    size_t k = sizeof alphabet - 1, checked = 0, maybe = 0;
    char text[24];
    uint32_t cps[24];
    unsigned long long rng = 0x9E3779B97F4A7C15ull;
    for (unsigned long long code = 1; code < 3000000; code++) {
        size_t n = 0;
        if (code < 2441406) { /* every text of up to 9 of the first 5 characters, then random ones */
            for (unsigned long long c = code; c > 0; c = (c - 1) / 5) /* bijective base 5 */
                text[n++] = alphabet[(c - 1) % 5];
        } else {
            rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
            unsigned long long r = rng * 0x2545F4914F6CDD1Dull;
            n = 8 + (size_t)(r % 16);
            for (size_t i = 0; i < n; i++, r = r * 6364136223846793005ull + 1442695040888963407ull)
                text[i] = alphabet[(r >> 40) % k];
        }
        for (size_t i = 0; i < n; i++)
            cps[i] = (unsigned char)text[i];
        uint32_t folded = 0;
        size_t m = cg_fold_ascii(cps, n, &folded, 0);
        int changed = m != n || folded != 0;
        for (size_t i = 0; i < m && !changed; i++)
            changed = cps[i] != (unsigned char)text[i];
        int says = scan_says_maybe(text, n);
        if (changed)
            cr_assert(says, "the scan missed letters set apart in \"%.*s\"", (int)n, text);
        checked++;
        maybe += (size_t)says;
    }
    cr_expect_lt(maybe, checked / 2, "the scan says maybe too often to save anything");
    const char *joined[] = {"f.u.c.k", "s h i t", "a - b - c", "x..y..z", "@ $ 1", "i.e."};
    for (size_t i = 0; i < sizeof joined / sizeof joined[0]; i++)
        cr_expect(scan_says_maybe(joined[i], strlen(joined[i])), "for \"%s\"", joined[i]);
    const char *plain[] = {"hello there, world", "a word", "ab cd", "f.uc.k", "a    b", ""};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        cr_expect_not(scan_says_maybe(plain[i], strlen(plain[i])), "for \"%s\"", plain[i]);
}

Test(fold, letters_set_apart_beside_text_beyond_ascii)
{
    /* Pass 2 runs on such text only where a run starts (fold.c: has_separated_run). */
    EXPECT("f.u.c.k \xe2\x80\x99" "em", "fuck \xe2\x80\x99" "em");
    EXPECT("\xe2\x80\x9c" "f u c k you\xe2\x80\x9d", "\xe2\x80\x9c" "fuck you\xe2\x80\x9d");
    EXPECT("\xc3\xa9t\xc3\xa9 s-h-i-t", "ete shit");
    EXPECT("caf\xc3\xa9 x b c", "cafe xbc");
    EXPECT("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 x.y", "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 x.y");
}
