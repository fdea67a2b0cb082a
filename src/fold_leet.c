/* fold_leet.c - pass 3 of cg_fold (fold.c says what the passes do): digits and symbols that stand
 * for letters in a word read as letters, and masked words unmasked, but numbers, units, prices,
 * mentions and the spans of fold_spans.c left alone. */
#include "fold_leet.h"

#include <string.h>

#include "fold_chars.h"
#include "fold_spans.h"

/* Words that people mask with asterisks ("f*ck", "b**ch"), to unmask them. */
static const char *const masked_words[] = {
    "ass",  "asshole", "bastard", "bitch", "bollocks", "bullshit", "cock",  "crap",   "cunt",   "damn",
    "dick", "dickhead", "douche", "dumb",  "dumbass",  "fag",      "faggot", "fuck",  "fucker", "hell",
    "idiot", "jackass", "jerk",   "loser", "moron",    "nigga",    "nigger", "penis", "piss",   "prick",
    "pussy", "retard",  "scum",   "sex",   "shit",     "slut",     "stupid", "suck",  "twat",   "wanker",
    "whore",
};

/* What may follow an unmasked word ("f*cking", "sh*tty", "a**hole"); anything else means the
 * asterisks hid the letters of another word ("sh**ld" is not "shit" + "ld"). */
static const char *const mask_suffixes[] = {
    "", "s", "es", "ed", "er", "ers", "in", "ing", "ings", "y", "ty", "head", "heads", "hole", "holes", "face", "bag",
};

static int is_mask_suffix(const uint32_t *cps, size_t a, size_t b)
{
    for (size_t k = 0; k < sizeof mask_suffixes / sizeof mask_suffixes[0]; k++) {
        const char *suffix = mask_suffixes[k];
        size_t len = strlen(suffix), i = 0;
        while (i < len && a + i < b && cps[a + i] == (unsigned char)suffix[i])
            i++;
        if (i == len && a + len == b)
            return 1;
    }
    return 0;
}

/* A number glued to one of these is a quantity, not leetspeak ("3mins", "5million"). */
static const char *const units[] = {
    "bed",   "beds",  "bhk",  "billion", "day",   "days",   "eur",     "gbp",   "ghz",  "hour",  "hours",
    "hrs",   "kids",  "lbs",  "mhz",     "min",   "mins",   "month",   "months", "mths", "million",
    "pcs",   "people", "sec", "secs",    "star",  "stars",  "thousand", "times", "usd",  "week",  "weeks",
    "wks",   "year",  "years", "yrs",
};

/* The letter a symbol stands for in a word, or 0. */
static uint32_t leet_symbol(uint32_t c)
{
    switch (c) {
    case '@':
        return 'a';
    case '$':
        return 's';
    case '!':
        return 'i';
    case '|':
        return 'l';
    case 0xA2: /* ¢ */
        return 'c';
    case 0x20AC: /* € */
        return 'e';
    default:
        return 0;
    }
}

/* The letter the leet digit cps[p] of the word cps[a..b) stands for; '1' is read as 'l' when
 * doubled, after a vowel, before 'y', ending a word or starting one before a vowel ("ki11", "ho1e",
 * "on1y", "craw1", "1oser"), as 'i' otherwise ("sh1t", "1d1ot"). */
static uint32_t leet_digit(const uint32_t *cps, size_t a, size_t b, size_t p)
{
    switch (cps[p]) {
    case '0':
        return 'o';
    case '3':
        return 'e';
    case '4':
        return 'a';
    case '5':
        return 's';
    case '7':
        return 't';
    default:
        break;
    }
    uint32_t before = p > a ? cps[p - 1] : 0, after = p + 1 < b ? cps[p + 1] : 0;
    if (before == 'l' || after == '1' || after == 'y' || is_vowel(before) || (p == a && is_vowel(after)) ||
        (p + 1 == b && p > a))
        return 'l';
    return 'i';
}

/* Letters of cps[a..b). */
static size_t count_letters(const uint32_t *cps, size_t a, size_t b)
{
    size_t k = 0;
    for (size_t i = a; i < b; i++)
        k += (size_t)is_letter(cps[i]);
    return k;
}

/* Whether the word cps[a..b) is not to be read as leetspeak: it has no letter, digits that stand
 * for no letter, three digits in a row at an end ("b737", "t1000"), too few letters beside digits,
 * or is hexadecimal ("0x1f", "f0f0f0") or a mention ("@sam", "@m1ke"; but "@ss" and "@$$" are
 * leetspeak). */
static int leet_excluded(const uint32_t *cps, size_t a, size_t b, size_t letters)
{
    size_t digits = 0, run = 0, hex = 0;
    for (size_t i = a; i < b; i++) {
        run = is_digit(cps[i]) ? run + 1 : 0;
        if (run && !is_leet_digit(cps[i]))
            return 1;
        if (run >= 3 && (run == i + 1 - a || i + 1 == b || is_digit(cps[i + 1])))
            return 1;
        digits += (size_t)(run > 0);
        hex += (size_t)(is_digit(cps[i]) || (cps[i] >= 'a' && cps[i] <= 'f'));
    }
    if (letters == 0 || (digits > 0 && letters < 2))
        return 1;
    if ((b - a >= 2 && cps[a] == '0' && cps[a + 1] == 'x') || (b - a >= 6 && hex == b - a))
        return 1;
    int doubled = b - a >= 3 && cps[a + 1] == cps[a + 2] && is_letter(cps[a + 1]);
    return cps[a] == '@' && is_alnum(cps[a + 1]) && !doubled;
}

/* Whether cps[a..b) is a unit of measure or count. */
static int is_unit_word(const uint32_t *cps, size_t a, size_t b)
{
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (spells(cps + a, b - a, units[u]))
            return 1;
    return 0;
}

/* Unmask the word cps[a..b) if its asterisks hide the letters of a word of masked_words (the word
 * may go on with a suffix of mask_suffixes: "f*cking"). The longest such word wins; if two of one
 * length differ, nothing is done. */
static int unmask(uint32_t *cps, size_t a, size_t b)
{
    const char *best = NULL;
    size_t best_len = 0;
    size_t star = a;
    while (star < b && cps[star] != '*')
        star++;
    if (star == b) /* no asterisk: nothing masked */
        return 0;
    for (size_t w = 0; w < sizeof masked_words / sizeof masked_words[0]; w++) {
        const char *word = masked_words[w];
        size_t len = strlen(word), i = 0, stars = 0;
        if (len > b - a)
            continue;
        while (i < len && (cps[a + i] == (unsigned char)word[i] || (cps[a + i] == '*' && i > 0)))
            stars += (size_t)(cps[a + i++] == '*');
        if (i < len || stars == 0 || !is_mask_suffix(cps, a + len, b) || len < best_len)
            continue;
        if (len == best_len && strcmp(word, best) != 0)
            return 0;
        best = word;
        best_len = len;
    }
    for (size_t i = 0; i < best_len; i++)
        cps[a + i] = (unsigned char)best[i];
    return best != NULL;
}

/* Read the leetspeak of the word cps[a..b) (letters, digits, leet symbols and asterisks); returns
 * whether anything was read. Between its first and last letter, digits and symbols are letters
 * ('!' only next to a short piece, "sh!t" but not "today!from"; '|' never, "none|align").
 * Before the first letter, symbols are letters ("$hit", "@ss", "|oser", "!diot" but not "!!!so"),
 * and so are digits if the word had leetspeak inside or a symbol in front ("1d10t"), if it is one
 * '0' ("0ff"), or one digit before three letters or more that are no unit ("5hut"; not "3mins").
 * After the last letter, digits and symbols are letters if the word had leetspeak inside or a
 * symbol in front, if they are "$$" ("a$$"), one '0' after two letters or more ("wh0"), or one
 * digit or '$' after three letters or more ("idio7", "know$"; not "mp3" or "a55"). */
static int fold_leet_word(uint32_t *cps, size_t a, size_t b)
{
    size_t letters = count_letters(cps, a, b);
    if (letters == b - a) /* letters only: no digit, symbol or asterisk to read */
        return 0;
    if (leet_excluded(cps, a, b, letters))
        return 0;
    size_t first = a, last = b - 1;
    while (!is_letter(cps[first]))
        first++;
    while (!is_letter(cps[last]))
        last--;
    int leet = 0;               /* leetspeak inside, or a symbol in front */
    size_t seen = 1, read = 1; /* letters before p, as folded and as they were */
    for (size_t p = first + 1; p < last; p++) {
        uint32_t c = cps[p];
        if (is_leet_digit(c))
            cps[p] = leet_digit(cps, a, b, p);
        else if (c == '!')
            cps[p] = seen <= 2 || letters - read <= 2 ? 'i' : c;
        else if (c != '|' && leet_symbol(c))
            cps[p] = leet_symbol(c);
        leet |= cps[p] != c;
        seen += (size_t)is_letter(cps[p]);
        read += (size_t)is_letter(c);
    }
    for (size_t p = a; p < first; p++)
        if (!is_digit(cps[p]) && leet_symbol(cps[p]) && (cps[p] != '!' || first == a + 1)) {
            cps[p] = leet_symbol(cps[p]);
            leet = 1;
        }
    size_t after = count_letters(cps, first, b) == b - first ? b - first : 0;      /* "5hut": 3 */
    size_t before = count_letters(cps, a, last + 1) == last + 1 - a ? last + 1 - a : 0; /* "idio7": 4 */
    int lead = leet || (first == a + 1 && (cps[a] == '0' || (after >= 3 && !is_unit_word(cps, first, b))));
    int trail = leet || (last + 3 == b && cps[last + 1] == '$' && cps[last + 2] == '$') ||
                (last + 2 == b && ((cps[b - 1] == '0' && before >= 2) || before >= 3));
    int edges = 0;
    for (size_t p = a; p < first; p++)
        if (lead && is_leet_digit(cps[p])) {
            cps[p] = leet_digit(cps, a, b, p);
            edges = 1;
        }
    for (size_t p = last + 1; p < b; p++)
        if (trail && (is_leet_digit(cps[p]) || (cps[p] != '!' && cps[p] != '|' && leet_symbol(cps[p])))) {
            cps[p] = is_leet_digit(cps[p]) ? leet_digit(cps, a, b, p) : leet_symbol(cps[p]);
            edges = 1;
        }
    return unmask(cps, a, b) || leet || edges;
}

/* Whether cps[i] can be part of a leetspeak word: a letter, a digit, an asterisk or a leet symbol
 * ('$' not before a digit: "$25" is a price). */
static int in_leet_word(const uint32_t *cps, size_t i, size_t n)
{
    uint32_t c = cps[i];
    if (c == '$')
        return !(i + 1 < n && is_digit(cps[i + 1]));
    return is_letter(c) || is_digit(c) || c == '*' || leet_symbol(c);
}

/* The ASCII characters that can make a word of a span leetspeak or masked (in_leet_word): without
 * any, each word of the span is letters only, which fold_leet_word leaves as it is. */
static const unsigned char leet_chars[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['*'] = 1, ['@'] = 1, ['$'] = 1, ['!'] = 1, ['|'] = 1,
};

/* Read the leetspeak of the span cps[0..n) (no white space in it), unless it is one that
 * fold_spans.c protects. */
static void fold_leet_span(uint32_t *cps, size_t n, uint32_t *folded)
{
    if (cg_fold_protected(cps, n))
        return;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && in_leet_word(cps, b, n))
            b++;
        if (b > a && fold_leet_word(cps, a, b))
            (*folded)++;
        a = b > a ? b : a + 1;
    }
}

void cg_fold_leet(uint32_t *cps, size_t n, uint32_t *folded)
{
    for (size_t i = 0; i < n;) {
        if (is_space(cps[i])) {
            i++;
            continue;
        }
        /* A span of ASCII printable characters without leet_chars, the usual case, has nothing to
         * read: step over it without looking at its words. */
        size_t e = i;
        unsigned char leet = 0;
        while (e < n && cps[e] > ' ' && cps[e] < 0x7F)
            leet |= leet_chars[cps[e++]];
        if (!leet && (e == n || cps[e] <= ' ' || cps[e] == 0x7F)) {
            i = e;
            continue;
        }
        e = span_end(cps, i, n);
        fold_leet_span(cps + i, e - i, folded);
        i = e;
    }
}

void cg_fold_leet_ascii(char *s, size_t n, uint32_t *scratch, uint32_t *folded)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] <= ' ' || u[i] == 0x7F) { /* is_space */
            i++;
            continue;
        }
        size_t e = i;
        unsigned char leet = 0;
        while (e < n && u[e] > ' ' && u[e] != 0x7F)
            leet |= leet_chars[u[e++]];
        if (leet) { /* the span read as code points, by the same rules */
            for (size_t k = i; k < e; k++)
                scratch[k - i] = u[k];
            fold_leet_span(scratch, e - i, folded);
            for (size_t k = i; k < e; k++)
                s[k] = (char)scratch[k - i];
        }
        i = e;
    }
}
