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
 * Pass 1 is fold_confusables.c, pass 3 fold_leet.c, the spans left alone fold_spans.c.
 *
 * cg_fold_word then reads a letter written three or more times in a row once, word by word. */
#include "fold.h"

#include <string.h>

#include "fold_chars.h"
#include "fold_confusables.h"
#include "fold_leet.h"
#include "fold_spans.h"

uint32_t cg_fold_capital(uint32_t c)
{
    return is_two_faced(c) ? c - 0x20 : c;
}

/* ---- pass 2: single letters set apart ---- */

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

/* Join the runs in place (writing never overtakes reading); returns the new length. `first` is
 * where the first run starts (first_separated_run): nothing before it changes, so the work starts
 * at the beginning of its span (after a space, where the loop below would be between spans too). */
static size_t fold_separated(uint32_t *cps, size_t n, size_t first, uint32_t *folded)
{
    size_t start = first;
    while (start > 0 && !is_space(cps[start - 1]))
        start--;
    size_t out = start;
    uint32_t before = start > 0 ? cps[start - 1] : ' '; /* the code point before cps[i] as it was read */
    for (size_t i = start; i < n;) {
        /* Inside a word (a letter or digit after one), no span starts and no run can: copy on. */
        if (before < 0x80 && (is_letter(before) || is_digit(before))) {
            while (i < n && ((cps[i] >= 'a' && cps[i] <= 'z') || (cps[i] >= '0' && cps[i] <= '9'))) {
                before = cps[i];
                cps[out++] = cps[i++];
            }
            if (i == n)
                break;
        }
        if (!is_space(cps[i]) && is_space(before)) {
            size_t e = span_end(cps, i, n);
            if (cg_fold_protected(cps + i, e - i)) {
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

/* For ASCII text: what is_unit, is_alnum and is_separator say of each character (in bits 24-26 of
 * cg_fold_ascii_classes, below which are the masks of cg_fold_scan_byte, fold.h). */
enum { ASCII_UNIT = 1, ASCII_ALNUM = 2, ASCII_SEPARATOR = 4 };
#define CLASS(k) (((uint32_t)(k) << 24) | (CG_FOLD_SCAN_MASK(k) ^ CG_FOLD_SCAN_MASK(0)))
#define U_A CLASS(ASCII_UNIT | ASCII_ALNUM)
const uint32_t cg_fold_ascii_classes[256] = {
    ['a'] = U_A, ['b'] = U_A, ['c'] = U_A, ['d'] = U_A, ['e'] = U_A, ['f'] = U_A, ['g'] = U_A, ['h'] = U_A,
    ['i'] = U_A, ['j'] = U_A, ['k'] = U_A, ['l'] = U_A, ['m'] = U_A, ['n'] = U_A, ['o'] = U_A, ['p'] = U_A,
    ['q'] = U_A, ['r'] = U_A, ['s'] = U_A, ['t'] = U_A, ['u'] = U_A, ['v'] = U_A, ['w'] = U_A, ['x'] = U_A,
    ['y'] = U_A, ['z'] = U_A, ['0'] = U_A, ['1'] = U_A, ['3'] = U_A, ['4'] = U_A, ['5'] = U_A, ['7'] = U_A,
    ['2'] = CLASS(ASCII_ALNUM), ['6'] = CLASS(ASCII_ALNUM), ['8'] = CLASS(ASCII_ALNUM), ['9'] = CLASS(ASCII_ALNUM),
    ['@'] = CLASS(ASCII_UNIT), ['$'] = CLASS(ASCII_UNIT),
    [' '] = CLASS(ASCII_SEPARATOR), ['.'] = CLASS(ASCII_SEPARATOR), ['-'] = CLASS(ASCII_SEPARATOR),
    ['_'] = CLASS(ASCII_SEPARATOR), ['*'] = CLASS(ASCII_SEPARATOR), ['~'] = CLASS(ASCII_SEPARATOR),
};
#undef U_A
#undef CLASS

static unsigned char ascii_class(uint32_t c)
{
    return (unsigned char)(cg_fold_ascii_classes[c] >> 24);
}

/* Where pass 2 can first change the ASCII text cps[0..n): where the first run of single units
 * starts (separated_run is asked only where a unit after no letter or digit has a separator after
 * it), or n. Until pass 2 joins a first run, it reads the text as it is, so where no run starts it
 * changes nothing. */
static size_t ascii_first_separated_run(const uint32_t *cps, size_t n)
{
    /* The classes of the character before, of this one and of the next, carried along. */
    unsigned char before = ascii_class(' '), here = n > 0 ? ascii_class(cps[0]) : 0;
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char next = ascii_class(cps[i + 1]);
        if (!(before & ASCII_ALNUM) && (here & ASCII_UNIT) && (next & ASCII_SEPARATOR)) {
            size_t sep, end;
            if (separated_run(cps, i, n, i > 0 ? cps[i - 1] : ' ', &sep, &end) > 0)
                return i;
        }
        before = here;
        here = next;
    }
    return n;
}

/* Passes 2 and 3 of ASCII text (pass 2 only where a run starts; pass 3 only if maybe_leet). */
static size_t fold_ascii_passes(uint32_t *cps, size_t n, uint32_t *folded, int maybe_leet)
{
    size_t first = ascii_first_separated_run(cps, n);
    if (first < n)
        n = fold_separated(cps, n, first, folded);
    if (maybe_leet)
        cg_fold_leet(cps, n, folded);
    return n;
}

size_t cg_fold_ascii(uint32_t *cps, size_t n, uint32_t *folded, int maybe_leet)
{
    return fold_ascii_passes(cps, n, folded, maybe_leet);
}

void cg_fold_ascii_bytes(char *s, size_t n, uint32_t *scratch, uint32_t *folded, int maybe_leet)
{
    if (maybe_leet)
        cg_fold_leet_ascii(s, n, scratch, folded);
}

/* ascii_first_separated_run for any text (a unit is ASCII, the character before it need not be). */
static size_t first_separated_run(const uint32_t *cps, size_t n)
{
    uint32_t before = ' ';
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t c = cps[i];
        if (is_unit(c) && is_separator(cps[i + 1]) && !is_alnum(before)) {
            size_t sep, end;
            if (separated_run(cps, i, n, before, &sep, &end) > 0)
                return i;
        }
        before = c;
    }
    return n;
}

size_t cg_fold(uint32_t *cps, size_t n, uint32_t *folded)
{
    /* Pass 1 and the braille blank concern code points beyond ASCII only: most comments have none. */
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++)
        any |= cps[i];
    if (any < 0x80)
        return fold_ascii_passes(cps, n, folded, 1);
    for (size_t i = 0; i < n; i++)
        if (cps[i] == 0x2800) /* braille pattern blank: looks like a space, is a symbol */
            cps[i] = ' ';
    cg_fold_confusables(cps, n, folded);
    size_t first = first_separated_run(cps, n);
    if (first < n)
        n = fold_separated(cps, n, first, folded);
    cg_fold_leet(cps, n, folded);
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
        unsigned char c = (unsigned char)word[i];
        if (c < 0x80) { /* the usual case, below for a one-byte sequence without memcmp */
            size_t run = 1;
            while (i + run < len && (unsigned char)word[i + run] == c)
                run++;
            size_t keep = (run >= 3 && (c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 1 : run;
            *folded += (uint32_t)(keep != run);
            out[n++] = (char)c; /* one, the usual case, without the call to memset a loop becomes */
            for (size_t r = 1; r < keep; r++)
                out[n++] = (char)c;
            i += run;
            continue;
        }
        size_t k = sequence_length(c);
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
