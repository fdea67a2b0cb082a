/* fold.c - undoing the tricks people use to hide words from filters.
 *
 * cg_fold reads the code points of a whole comment after compatibility decomposition (which already
 * reads full-width, mathematical and circled letters as plain ones), case folding and the removal
 * of marks and invisible characters (normalize.c), in three passes:
 *  1. Confusables: a letter of another script that imitates a Latin one (Cyrillic а, Greek ο,
 *     Cherokee Ꮪ, Latin small capitals and letters with hooks or strokes, negative circled and
 *     squared letters) becomes that letter, in the spirit of the skeletons of Unicode TS #39.
 *     Letters of Cyrillic, Greek, Armenian and Cherokee are folded only inside a word that mixes
 *     scripts, or when the comment holds no letter of that script that could not pass for Latin:
 *     real Russian or Greek is left as it is.
 *  2. Separators: three or more single letters set apart by the same short separator are joined
 *     ("f.u.c.k", "f u c k", "f-u-c-k", "f_u_c_k", "f*u*c*k").
 *  3. Leetspeak: digits and symbols standing for letters in a word are read as letters ("sh1t",
 *     "m0r0n", "1d10t", "@ss", "$hit", "tw@t"), and a masked word of a short list is unmasked
 *     ("f*ck"), but numbers, units, model names, mentions, prices and hexadecimal stay ("mp3",
 *     "covid19", "4x4", "3rd", "10am", "@sam", "$25.99", "0x1f").
 * A run of non-space characters that looks like a link, an e-mail address, a domain or code is
 * left exactly as it is by passes 2 and 3.
 *
 * cg_fold_word then reads a letter written three or more times in a row once, word by word. */
#include "fold.h"

#include <string.h>
#include <utf8proc.h>

/* Scripts whose letters may imitate Latin ones; LATIN look-alikes are always folded. */
enum script { LATIN, CYRILLIC, GREEK, ARMENIAN, CHEROKEE, OTHER_SCRIPT };

/* Look-alikes as they are after case folding (lower-case forms; Cherokee in its upper-case block,
 * where case folding puts it; the Greek capitals that cg_fold_capital keeps), sorted by code
 * point. */
static const struct confusable {
    uint32_t from;
    char to;
    unsigned char script;
} confusables[] = {
    /* Latin */
    {0x00F0, 'd', LATIN}, {0x00F8, 'o', LATIN}, {0x0111, 'd', LATIN}, {0x0127, 'h', LATIN}, {0x0131, 'i', LATIN},
    {0x0138, 'k', LATIN}, {0x0142, 'l', LATIN}, {0x014B, 'n', LATIN}, {0x0167, 't', LATIN}, {0x0180, 'b', LATIN},
    {0x0183, 'b', LATIN}, {0x0185, 'b', LATIN}, {0x0188, 'c', LATIN}, {0x018C, 'd', LATIN}, {0x0192, 'f', LATIN},
    {0x0199, 'k', LATIN}, {0x019A, 'l', LATIN}, {0x019E, 'n', LATIN}, {0x01A5, 'p', LATIN}, {0x01AB, 't', LATIN},
    {0x01AD, 't', LATIN}, {0x01B4, 'y', LATIN}, {0x01B6, 'z', LATIN}, {0x01DD, 'e', LATIN}, {0x01E5, 'g', LATIN},
    {0x0221, 'd', LATIN}, {0x0234, 'l', LATIN}, {0x0235, 'n', LATIN}, {0x0236, 't', LATIN}, {0x0237, 'j', LATIN},
    {0x023C, 'c', LATIN}, {0x023F, 's', LATIN}, {0x0240, 'z', LATIN}, {0x0247, 'e', LATIN}, {0x0249, 'j', LATIN},
    {0x024B, 'q', LATIN}, {0x024D, 'r', LATIN}, {0x024F, 'y', LATIN}, {0x0251, 'a', LATIN}, {0x0253, 'b', LATIN},
    {0x0255, 'c', LATIN}, {0x0256, 'd', LATIN}, {0x0257, 'd', LATIN}, {0x0259, 'e', LATIN}, {0x025B, 'e', LATIN},
    {0x0260, 'g', LATIN}, {0x0261, 'g', LATIN}, {0x0262, 'g', LATIN}, {0x0266, 'h', LATIN}, {0x0268, 'i', LATIN},
    {0x0269, 'i', LATIN}, {0x026A, 'i', LATIN}, {0x026B, 'l', LATIN}, {0x026C, 'l', LATIN}, {0x026D, 'l', LATIN},
    {0x0271, 'm', LATIN}, {0x0272, 'n', LATIN}, {0x0273, 'n', LATIN}, {0x0274, 'n', LATIN}, {0x0275, 'o', LATIN},
    {0x027C, 'r', LATIN}, {0x027D, 'r', LATIN}, {0x027E, 'r', LATIN}, {0x0280, 'r', LATIN}, {0x0282, 's', LATIN},
    {0x0288, 't', LATIN}, {0x0289, 'u', LATIN}, {0x028B, 'v', LATIN}, {0x028F, 'y', LATIN}, {0x0290, 'z', LATIN},
    {0x0291, 'z', LATIN}, {0x0299, 'b', LATIN}, {0x029C, 'h', LATIN}, {0x029D, 'j', LATIN}, {0x029F, 'l', LATIN},
    {0x02A0, 'q', LATIN},
    /* Greek */
    {0x0396, 'z', GREEK}, {0x0397, 'h', GREEK}, {0x039C, 'm', GREEK}, {0x039D, 'n', GREEK}, {0x03A5, 'y', GREEK},
    {0x03B1, 'a', GREEK}, {0x03B2, 'b', GREEK}, {0x03B3, 'y', GREEK}, {0x03B5, 'e', GREEK}, {0x03B7, 'n', GREEK},
    {0x03B9, 'i', GREEK}, {0x03BA, 'k', GREEK}, {0x03BC, 'u', GREEK}, {0x03BD, 'v', GREEK}, {0x03BF, 'o', GREEK},
    {0x03C1, 'p', GREEK}, {0x03C3, 'c', GREEK}, {0x03C4, 't', GREEK}, {0x03C5, 'u', GREEK}, {0x03C7, 'x', GREEK},
    {0x03C9, 'w', GREEK}, {0x03F3, 'j', GREEK},
    /* Cyrillic */
    {0x0430, 'a', CYRILLIC}, {0x0432, 'b', CYRILLIC}, {0x0433, 'r', CYRILLIC}, {0x0435, 'e', CYRILLIC},
    {0x043A, 'k', CYRILLIC}, {0x043C, 'm', CYRILLIC}, {0x043D, 'h', CYRILLIC}, {0x043E, 'o', CYRILLIC},
    {0x043F, 'n', CYRILLIC}, {0x0440, 'p', CYRILLIC}, {0x0441, 'c', CYRILLIC}, {0x0442, 't', CYRILLIC},
    {0x0443, 'y', CYRILLIC}, {0x0445, 'x', CYRILLIC}, {0x044C, 'b', CYRILLIC}, {0x0455, 's', CYRILLIC},
    {0x0456, 'i', CYRILLIC}, {0x0458, 'j', CYRILLIC}, {0x045B, 'h', CYRILLIC}, {0x0461, 'w', CYRILLIC},
    {0x0475, 'v', CYRILLIC}, {0x049B, 'k', CYRILLIC}, {0x049D, 'k', CYRILLIC}, {0x04A3, 'h', CYRILLIC},
    {0x04AB, 'c', CYRILLIC}, {0x04AF, 'y', CYRILLIC}, {0x04B1, 'y', CYRILLIC}, {0x04B3, 'x', CYRILLIC},
    {0x04BB, 'h', CYRILLIC}, {0x04BD, 'e', CYRILLIC}, {0x04BF, 'e', CYRILLIC}, {0x04C4, 'k', CYRILLIC},
    {0x04C8, 'h', CYRILLIC}, {0x04CA, 'h', CYRILLIC}, {0x04CE, 'm', CYRILLIC}, {0x04CF, 'l', CYRILLIC},
    {0x04D9, 'e', CYRILLIC}, {0x04E9, 'o', CYRILLIC}, {0x04FD, 'x', CYRILLIC}, {0x04FF, 'x', CYRILLIC},
    {0x0501, 'd', CYRILLIC}, {0x0511, 'e', CYRILLIC}, {0x051B, 'q', CYRILLIC}, {0x051D, 'w', CYRILLIC},
    /* Armenian */
    {0x0566, 'q', ARMENIAN}, {0x0570, 'h', ARMENIAN}, {0x0575, 'j', ARMENIAN}, {0x0578, 'n', ARMENIAN},
    {0x057D, 'u', ARMENIAN}, {0x0581, 'g', ARMENIAN}, {0x0585, 'o', ARMENIAN},
    /* Cherokee */
    {0x13A0, 'd', CHEROKEE}, {0x13A1, 'r', CHEROKEE}, {0x13A2, 't', CHEROKEE}, {0x13A5, 'i', CHEROKEE},
    {0x13A9, 'y', CHEROKEE}, {0x13AA, 'a', CHEROKEE}, {0x13AB, 'j', CHEROKEE}, {0x13AC, 'e', CHEROKEE},
    {0x13B3, 'w', CHEROKEE}, {0x13B7, 'm', CHEROKEE}, {0x13BB, 'h', CHEROKEE}, {0x13BD, 'y', CHEROKEE},
    {0x13C0, 'g', CHEROKEE}, {0x13C2, 'h', CHEROKEE}, {0x13C3, 'z', CHEROKEE}, {0x13CF, 'b', CHEROKEE},
    {0x13D2, 'r', CHEROKEE}, {0x13D4, 'w', CHEROKEE}, {0x13D5, 's', CHEROKEE}, {0x13D9, 'v', CHEROKEE},
    {0x13DA, 's', CHEROKEE}, {0x13DE, 'l', CHEROKEE}, {0x13DF, 'c', CHEROKEE}, {0x13E2, 'p', CHEROKEE},
    {0x13E6, 'k', CHEROKEE}, {0x13F3, 'g', CHEROKEE}, {0x13F4, 'b', CHEROKEE},
    /* Latin */
    {0x1D00, 'a', LATIN}, {0x1D03, 'b', LATIN}, {0x1D04, 'c', LATIN}, {0x1D05, 'd', LATIN}, {0x1D07, 'e', LATIN},
    {0x1D0A, 'j', LATIN}, {0x1D0B, 'k', LATIN}, {0x1D0C, 'l', LATIN}, {0x1D0D, 'm', LATIN}, {0x1D0F, 'o', LATIN},
    {0x1D11, 'o', LATIN}, {0x1D18, 'p', LATIN}, {0x1D1B, 't', LATIN}, {0x1D1C, 'u', LATIN}, {0x1D20, 'v', LATIN},
    {0x1D21, 'w', LATIN}, {0x1D22, 'z', LATIN}, {0x1D6C, 'b', LATIN}, {0x1D6D, 'd', LATIN}, {0x1D6E, 'f', LATIN},
    {0x1D6F, 'm', LATIN}, {0x1D70, 'n', LATIN}, {0x1D71, 'p', LATIN}, {0x1D72, 'r', LATIN}, {0x1D73, 'r', LATIN},
    {0x1D74, 's', LATIN}, {0x1D75, 't', LATIN}, {0x1D76, 'z', LATIN}, {0x1D7B, 'i', LATIN}, {0x1D7D, 'p', LATIN},
    {0x1D7E, 'u', LATIN}, {0x1D80, 'b', LATIN}, {0x1D81, 'd', LATIN}, {0x1D82, 'f', LATIN}, {0x1D83, 'g', LATIN},
    {0x1D84, 'k', LATIN}, {0x1D85, 'l', LATIN}, {0x1D86, 'm', LATIN}, {0x1D87, 'n', LATIN}, {0x1D88, 'p', LATIN},
    {0x1D89, 'r', LATIN}, {0x1D8A, 's', LATIN}, {0x1D8C, 'v', LATIN}, {0x1D8D, 'x', LATIN}, {0x1D8E, 'z', LATIN},
    {0x1D8F, 'a', LATIN}, {0x1D91, 'd', LATIN}, {0x1D92, 'e', LATIN}, {0x1D96, 'i', LATIN}, {0x1D99, 'u', LATIN},
    {0x2C65, 'a', LATIN}, {0x2C66, 't', LATIN}, {0x2C68, 'h', LATIN}, {0x2C6A, 'k', LATIN}, {0x2C6C, 'z', LATIN},
    {0x2C71, 'v', LATIN}, {0x2C73, 'w', LATIN}, {0x2C74, 'v', LATIN}, {0x2C78, 'e', LATIN}, {0x2C7A, 'o', LATIN},
    {0xA730, 'f', LATIN}, {0xA731, 's', LATIN}, {0xA741, 'k', LATIN}, {0xA743, 'k', LATIN}, {0xA745, 'k', LATIN},
    {0xA747, 'l', LATIN}, {0xA749, 'l', LATIN}, {0xA74B, 'o', LATIN}, {0xA74D, 'o', LATIN}, {0xA751, 'p', LATIN},
    {0xA753, 'p', LATIN}, {0xA755, 'p', LATIN}, {0xA757, 'q', LATIN}, {0xA759, 'q', LATIN}, {0xA75F, 'v', LATIN},
    {0xA7A1, 'g', LATIN}, {0xA7A3, 'k', LATIN}, {0xA7A5, 'n', LATIN}, {0xA7A7, 'r', LATIN}, {0xA7A9, 's', LATIN},
    {0xA7AF, 'q', LATIN}, {0xA7B5, 'b', LATIN}, {0xAB30, 'a', LATIN}, {0xAB34, 'e', LATIN}, {0xAB47, 'r', LATIN},
    {0xAB48, 'r', LATIN}, {0xAB52, 'u', LATIN},
};

/* Greek letters whose capital imitates another Latin letter than the small one (Η and η). */
static int is_two_faced(uint32_t small)
{
    return small == 0x03B6 || small == 0x03B7 || small == 0x03BC || small == 0x03BD || small == 0x03C5;
}

uint32_t cg_fold_capital(uint32_t c)
{
    return is_two_faced(c) ? c - 0x20 : c;
}

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

/* ---- characters ---- */

static int is_space(uint32_t c)
{
    if (c < 0x80)
        return c <= ' ' || c == 0x7F;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
           cat == UTF8PROC_CATEGORY_CC;
}

static int is_letter(uint32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* A letter or a digit of any script: what words are made of. */
static int is_alnum(uint32_t c)
{
    if (c < 0x80)
        return is_letter(c) || is_digit(c);
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

static int is_vowel(uint32_t c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Whether cps[0..n) spells the ASCII word w. */
static int spells(const uint32_t *cps, size_t n, const char *w)
{
    size_t i = 0;
    while (i < n && w[i] && cps[i] == (unsigned char)w[i])
        i++;
    return i == n && w[i] == '\0';
}

/* ---- pass 1: confusables ---- */

static const struct confusable *find_confusable(uint32_t c)
{
    size_t lo = 0, hi = sizeof confusables / sizeof confusables[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (confusables[mid].from == c)
            return &confusables[mid];
        if (confusables[mid].from < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The script of a letter, by its block. */
static enum script script_of(uint32_t c)
{
    if (c < 0x2B0 || (c >= 0x1D00 && c < 0x1DC0) || (c >= 0x1E00 && c < 0x1F00) || (c >= 0x2C60 && c < 0x2C80) ||
        (c >= 0xA720 && c < 0xA800) || (c >= 0xAB30 && c < 0xAB70))
        return LATIN;
    if ((c >= 0x370 && c < 0x400) || (c >= 0x1F00 && c < 0x2000))
        return GREEK;
    if ((c >= 0x400 && c < 0x530) || (c >= 0x1C80 && c < 0x1C90) || (c >= 0x2DE0 && c < 0x2E00) ||
        (c >= 0xA640 && c < 0xA6A0))
        return CYRILLIC;
    if (c >= 0x530 && c < 0x590)
        return ARMENIAN;
    if ((c >= 0x13A0 && c < 0x1400) || (c >= 0xAB70 && c < 0xABC0))
        return CHEROKEE;
    return OTHER_SCRIPT;
}

/* The letter a negative circled or squared capital stands for (🅕, 🅵: symbols that compatibility
 * decomposition leaves alone), or 0. */
static uint32_t letter_symbol(uint32_t c)
{
    if (c >= 0x1F150 && c <= 0x1F169)
        return 'a' + (c - 0x1F150);
    if (c >= 0x1F170 && c <= 0x1F189)
        return 'a' + (c - 0x1F170);
    return 0;
}

/* Scripts (bit 1 << script) of which the text has a letter that no Latin letter looks like: the
 * text is really written in them, at least in part. */
static unsigned genuine_scripts(const uint32_t *cps, size_t n)
{
    unsigned genuine = 0;
    for (size_t i = 0; i < n; i++)
        if (cps[i] >= 0x370 && is_letter(cps[i]) && !find_confusable(cps[i]))
            genuine |= 1u << script_of(cps[i]);
    return genuine;
}

/* Fold the look-alikes of the word cps[a..b) as the rules above say; returns whether any was. */
static int fold_word_confusables(uint32_t *cps, size_t a, size_t b, unsigned genuine)
{
    unsigned scripts = 0;
    for (size_t i = a; i < b; i++) {
        if (!is_letter(cps[i]))
            continue;
        const struct confusable *e = cps[i] < 0x80 ? NULL : find_confusable(cps[i]);
        scripts |= 1u << (e ? e->script : cps[i] < 0x80 ? LATIN : script_of(cps[i]));
    }
    int mixed = (scripts & (scripts - 1)) != 0;
    int any = 0;
    for (size_t i = a; i < b; i++) {
        const struct confusable *e = cps[i] < 0x80 ? NULL : find_confusable(cps[i]);
        if (e && (e->script == LATIN || mixed || !(genuine & (1u << e->script)))) {
            cps[i] = (uint32_t)e->to;
            any = 1;
        } else if (cps[i] >= 0x391 && cps[i] < 0x3AA && is_two_faced(cps[i] + 0x20)) {
            cps[i] += 0x20; /* a capital kept by cg_fold_capital, not folded: case-fold it */
        }
    }
    return any;
}

static void fold_confusables(uint32_t *cps, size_t n, uint32_t *folded)
{
    unsigned genuine = genuine_scripts(cps, n);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        if (letter_symbol(cps[i])) {
            while (end < n && letter_symbol(cps[end])) {
                cps[end] = letter_symbol(cps[end]);
                end++;
            }
            (*folded)++;
        } else if (is_alnum(cps[i])) {
            int foreign = 0;
            while (end < n && is_alnum(cps[end]))
                foreign |= cps[end++] >= 0x80;
            if (foreign && fold_word_confusables(cps, i, end, genuine))
                (*folded)++;
        } else {
            end++;
        }
        i = end;
    }
}

/* ---- what is left alone: links, e-mail addresses, domains, code ---- */

/* Top-level domains that make "name.tld" a domain (those the tokenizer knows, and a few more). */
static const char *const domains[] = {"au",  "biz", "ca",     "club", "co",   "com", "de",  "edu", "gl",
                                      "gov", "in",  "info",   "io",   "ly",   "me",  "net", "online",
                                      "org", "qa",  "ru",     "site", "top",  "tv",  "uk",  "us",  "xyz"};

/* Whether s[0..n) starts with a known top-level domain that ends there or at a non-letter. */
static int domain_at(const uint32_t *s, size_t n)
{
    size_t k = 0;
    while (k < n && k < 8 && s[k] >= 'a' && s[k] <= 'z')
        k++;
    if (k < 2 || (k < n && is_alnum(s[k])))
        return 0;
    for (size_t d = 0; d < sizeof domains / sizeof domains[0]; d++)
        if (spells(s, k, domains[d]))
            return 1;
    return 0;
}

/* Whether the span s[0..n) (no white space in it) is a link, an e-mail address, a domain or code. */
static int is_protected(const uint32_t *s, size_t n)
{
    size_t plain = 0; /* every rule below needs an ASCII character that is no letter or digit */
    while (plain < n && (s[plain] >= 0x80 || (s[plain] >= 'a' && s[plain] <= 'z') || (s[plain] >= '0' && s[plain] <= '9')))
        plain++;
    if (plain == n)
        return 0;
    int at = 0; /* an '@' after a letter or digit was seen */
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s[i], next = i + 1 < n ? s[i + 1] : 0;
        if (c >= 0x80)
            continue;
        if (c == ':' && next == '/' && i + 2 < n && s[i + 2] == '/')
            return 1; /* scheme:// */
        if (c == 'w' && i + 3 < n && next == 'w' && s[i + 2] == 'w' && s[i + 3] == '.')
            return 1; /* www. */
        if (c == '.' && i > 0 && is_alnum(s[i - 1]) && domain_at(s + i + 1, n - i - 1))
            return 1; /* example.com */
        if (c == '@' && i > 0 && is_alnum(s[i - 1]))
            at = 1;
        if (at && c == '.' && is_letter(next))
            return 1; /* name@host.tld */
        switch (c) {
        case '=': case ';': case '{': case '}': case '[': case ']': case '<': case '>': case '`': case '\\':
            return 1;
        default:
            break;
        }
        if ((c == ':' || c == '&' || c == '|') && next == c)
            return 1; /* :: && || */
        if ((c == '-' && next == '>') || (c == '(' && i > 0 && is_alnum(s[i - 1])))
            return 1; /* -> f(x) */
    }
    return 0;
}

/* Where the span of non-space code points that starts at i ends. */
static size_t span_end(const uint32_t *cps, size_t i, size_t n)
{
    while (i < n && !is_space(cps[i]))
        i++;
    return i;
}

/* ---- pass 2: single letters set apart ---- */

/* Digits that may stand for a letter. */
static int is_leet_digit(uint32_t c)
{
    return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7';
}

static int is_separator(uint32_t c)
{
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '~' || c == 0xB7;
}

/* A character that can be one of the single letters set apart: a Latin letter (look-alikes are
 * folded by then; other scripts have words of one letter, as Russian "а я и"), or a digit or
 * symbol that may stand for one. */
static int is_unit(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || is_leet_digit(c) || c == '@' || c == '$';
}

/* Letters that are words of their own in chat ("u r a ..."): a run of only these, set apart by
 * spaces, is words rather than a word spelled out. */
static int is_chat_word(uint32_t c)
{
    return c == 'a' || c == 'i' || c == 'u' || c == 'r';
}

/* Length of the run of separators at cps[i..n), at most 4. */
static size_t separators_at(const uint32_t *cps, size_t i, size_t n)
{
    size_t k = 0;
    while (i + k < n && k < 4 && is_separator(cps[i + k]))
        k++;
    return k;
}

/* Whether cps[s..s+k) is all spaces. */
static int all_spaces(const uint32_t *cps, size_t s, size_t k)
{
    for (size_t i = s; i < s + k; i++)
        if (cps[i] != ' ')
            return 0;
    return 1;
}

/* Whether a run set apart by the separator cps[s..s+m) goes on after it: unit, the same separator,
 * unit. */
static int run_goes_on(const uint32_t *cps, size_t s, size_t m, size_t n)
{
    size_t u = s + m, v = u + 1 + m;
    return v < n && is_unit(cps[u]) && is_unit(cps[v]) && memcmp(cps + u + 1, cps + s, m * sizeof *cps) == 0;
}

/* The run of single units set apart by one separator (of 1 to 3 characters) that starts at
 * cps[i], after the code point `before`: returns its number of units (0 if there is no run of two
 * or more), its separator length in *sep and the position past its last unit in *end. A unit is a
 * single character: not followed by a letter or digit. Where two runs meet, a unit between a
 * separator of spaces and another separator belongs to the other run ("a c . o . m . e": "c" is
 * not in the run "a c"; "f u c k f-u-c-k" is two runs). */
static size_t separated_run(const uint32_t *cps, size_t i, size_t n, uint32_t before, size_t *sep, size_t *end)
{
    if (!is_unit(cps[i]) || is_alnum(before))
        return 0;
    size_t k = separators_at(cps, i + 1, n);
    if (k == 0 || k > 3)
        return 0;
    int spaced = all_spaces(cps, i + 1, k);
    size_t units = 1, last = i;
    for (;;) {
        size_t next = last + 1 + k;
        if (next >= n || !is_unit(cps[next]) || memcmp(cps + last + 1, cps + i + 1, k * sizeof *cps) != 0)
            break;
        size_t after = next + 1, m = separators_at(cps, after, n);
        if (after < n && is_alnum(cps[after]))
            break;
        if (spaced && m >= 1 && m <= 3 && !all_spaces(cps, after, m) && run_goes_on(cps, after, m, n))
            break;
        units++;
        last = next;
    }
    *sep = k;
    *end = last + 1;
    return units > 1 ? units : 0;
}

/* Join the runs in place (writing never overtakes reading); returns the new length. */
static size_t fold_separated(uint32_t *cps, size_t n, uint32_t *folded)
{
    size_t out = 0;
    uint32_t before = ' '; /* the code point before cps[i] as it was read */
    for (size_t i = 0; i < n;) {
        if (!is_space(cps[i]) && is_space(before)) {
            size_t e = span_end(cps, i, n);
            if (is_protected(cps + i, e - i)) {
                while (i < e)
                    cps[out++] = cps[i++];
                before = cps[out - 1];
                continue;
            }
        }
        size_t sep, end, units = separated_run(cps, i, n, before, &sep, &end);
        if (units == 0) {
            before = cps[i];
            cps[out++] = cps[i++];
            continue;
        }
        size_t step = sep + 1, from = i, to = end;
        int spaced = all_spaces(cps, i + 1, sep);
        /* Set apart by spaces, a leading or trailing "a" or "i" is more likely a word of its own
         * ("w h a t a loser"), unless the run is too short without it ("a s s"). */
        if (spaced && units > 3 && (cps[from] == 'a' || cps[from] == 'i')) {
            from += step;
            units--;
        }
        if (spaced && units > 3 && (cps[to - 1] == 'a' || cps[to - 1] == 'i')) {
            to -= step;
            units--;
        }
        size_t letters = 0, chat = 0;
        for (size_t j = from; j < to; j += step) {
            letters += (size_t)is_letter(cps[j]);
            chat += (size_t)is_chat_word(cps[j]);
        }
        int join = units >= 3 && letters >= 2 && !(spaced && chat == units);
        before = cps[end - 1];
        for (size_t j = i; j < end; j++)
            if (!join || j < from || j >= to || (j - from) % step == 0)
                cps[out++] = cps[j];
        *folded += (uint32_t)join;
        i = end;
    }
    return out;
}

/* ---- pass 3: leetspeak ---- */

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

static void fold_leet(uint32_t *cps, size_t n, uint32_t *folded)
{
    for (size_t i = 0; i < n;) {
        if (is_space(cps[i])) {
            i++;
            continue;
        }
        size_t e = span_end(cps, i, n);
        if (!is_protected(cps + i, e - i)) {
            for (size_t a = i; a < e;) {
                size_t b = a;
                while (b < e && in_leet_word(cps, b, e))
                    b++;
                if (b > a && fold_leet_word(cps, a, b))
                    (*folded)++;
                a = b > a ? b : a + 1;
            }
        }
        i = e;
    }
}

size_t cg_fold(uint32_t *cps, size_t n, uint32_t *folded)
{
    /* Pass 1 and the braille blank concern code points beyond ASCII only: most comments have none. */
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++)
        any |= cps[i];
    if (any >= 0x80) {
        for (size_t i = 0; i < n; i++)
            if (cps[i] == 0x2800) /* braille pattern blank: looks like a space, is a symbol */
                cps[i] = ' ';
        fold_confusables(cps, n, folded);
    }
    n = fold_separated(cps, n, folded);
    fold_leet(cps, n, folded);
    return n;
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray continuation bytes). */
static size_t sequence_length(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

size_t cg_fold_word(const char *word, size_t len, char *out, uint32_t *folded)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t k = sequence_length((unsigned char)word[i]);
        if (k > len - i)
            k = len - i;
        size_t run = 1;
        while (i + (run + 1) * k <= len && memcmp(word + i, word + i + run * k, k) == 0)
            run++;
        int letter = !((unsigned char)word[i] < 0x80 && !(((unsigned char)word[i] | 0x20) >= 'a' &&
                                                          ((unsigned char)word[i] | 0x20) <= 'z'));
        size_t keep = (run >= 3 && letter) ? 1 : run;
        if (keep != run)
            (*folded)++;
        for (size_t r = 0; r < keep; r++, n += k)
            memcpy(out + n, word + i, k);
        i += run * k;
    }
    return n;
}
