/* normalize.c - from raw comment bytes to normalised text for feature extraction.
 *
 * Two passes over code points in ws->cps: the first decodes bytes, markup and entities and maps
 * each code point through utf8proc (compatibility decomposition, case folding, ignorables and
 * marks stripped); the second folds obfuscation, cuts repetitions and white space, composes and
 * encodes the result as UTF-8. ASCII, the common case, skips utf8proc entirely. */
#include "normalize.h"

#include <string.h>
#include <utf8proc.h>

#include "fold.h"
#include "markup.h"

#define CG_UTF8PROC_OPTIONS \
    (UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPMARK)

/* The longest expansion of one code point by compatibility decomposition is 18 (U+FDFA). */
#define MAX_DECOMPOSITION 32

static int is_space_cp(uint32_t cp)
{
    if (cp < 0x80)
        return cp <= ' ' || cp == 0x7F;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
           cat == UTF8PROC_CATEGORY_CC;
}

static cg_status push(cg_workspace *ws, size_t *n, uint32_t cp)
{
    if (*n == ws->cps_cap && cg_grow((void **)&ws->cps, &ws->cps_cap, *n + 1, sizeof *ws->cps) != CG_OK)
        return CG_ERR_NOMEM;
    ws->cps[(*n)++] = cp;
    return CG_OK;
}

/* For each byte: what stops the fast path of push_ascii_run (bytes beyond ASCII stop it whatever
 * stops it: 3 is both flags), and ASCII_LEET for what leetspeak and masked words are made of (fold.h:
 * cg_fold_ascii), which a text must hold for the folding's leetspeak pass to have anything to read. */
enum { ASCII_NUL = 1, ASCII_MARKUP = 2, ASCII_LEET = 4 };

static const unsigned char ascii_flags[256] = {
    [0] = ASCII_NUL, ['<'] = ASCII_MARKUP, ['&'] = ASCII_MARKUP,
    ['0'] = ASCII_LEET, ['1'] = ASCII_LEET, ['2'] = ASCII_LEET, ['3'] = ASCII_LEET, ['4'] = ASCII_LEET,
    ['5'] = ASCII_LEET, ['6'] = ASCII_LEET, ['7'] = ASCII_LEET, ['8'] = ASCII_LEET, ['9'] = ASCII_LEET,
    ['*'] = ASCII_LEET, ['@'] = ASCII_LEET, ['$'] = ASCII_LEET, ['!'] = ASCII_LEET, ['|'] = ASCII_LEET,
#define HIGH16(b) [b] = 3, [b + 1] = 3, [b + 2] = 3, [b + 3] = 3, [b + 4] = 3, [b + 5] = 3, [b + 6] = 3, \
    [b + 7] = 3, [b + 8] = 3, [b + 9] = 3, [b + 10] = 3, [b + 11] = 3, [b + 12] = 3, [b + 13] = 3, [b + 14] = 3, [b + 15] = 3
    HIGH16(0x80), HIGH16(0x90), HIGH16(0xA0), HIGH16(0xB0), HIGH16(0xC0), HIGH16(0xD0), HIGH16(0xE0), HIGH16(0xF0),
#undef HIGH16
};

/* Map one code point as written to its normalised form(s) and append them. */
static cg_status push_mapped(cg_workspace *ws, size_t *n, uint32_t cp)
{
    cg_text_stats *st = &ws->stats;
    st->chars++;
    if (cp < 0x80) {
        ws->maybe_leet |= (ascii_flags[cp] & ASCII_LEET) != 0;
        if (cp >= 'A' && cp <= 'Z') {
            st->letters++;
            st->upper++;
            cp |= 0x20;
        } else if (cp >= 'a' && cp <= 'z') {
            st->letters++;
        } else if (cp >= '0' && cp <= '9') {
            st->digits++;
        } else if (cp == '!' || cp == '?') {
            st->exclaims++;
        }
        return push(ws, n, cp);
    }
    ws->non_ascii = 1;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
        st->letters++;
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
            st->upper++;
    } else if (cat == UTF8PROC_CATEGORY_ND) {
        st->digits++;
    }
    utf8proc_int32_t out[MAX_DECOMPOSITION];
    utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, out, MAX_DECOMPOSITION,
                                                 CG_UTF8PROC_OPTIONS, NULL);
    if (k < 0 || k > MAX_DECOMPOSITION)
        return push(ws, n, 0xFFFD);
    if (k == 1 && (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT))
        return push(ws, n, cg_fold_capital((uint32_t)out[0]));
    for (utf8proc_ssize_t i = 0; i < k; i++)
        if (push(ws, n, (uint32_t)out[i]) != CG_OK)
            return CG_ERR_NOMEM;
    return CG_OK;
}

/* For each ASCII code point: the counts push_mapped adds for it, packed in 16-bit lanes (letters,
 * upper case, digits, '!' and '?'). */
#define LETTER 1ull
#define UPPER ((1ull << 16) | 1ull)
#define DIGIT (1ull << 32)
#define EXCLAIM (1ull << 48)


static const uint64_t ascii_counts[128] = {
    ['!'] = EXCLAIM, ['?'] = EXCLAIM,
    ['0'] = DIGIT, ['1'] = DIGIT, ['2'] = DIGIT, ['3'] = DIGIT, ['4'] = DIGIT,
    ['5'] = DIGIT, ['6'] = DIGIT, ['7'] = DIGIT, ['8'] = DIGIT, ['9'] = DIGIT,
#define L(c) [c] = LETTER, [c - 32] = UPPER
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'), L('k'), L('l'), L('m'),
    L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
#undef L
};

/*
 * The fast path of push_bytes for a run of plain ASCII (no NUL, and no '<' or '&' when markup is
 * read): exactly what push_mapped does byte by byte, without its per-byte calls. Stops at the
 * first other byte, at len, or when ws->cps is full; returns the bytes consumed.
 */
static size_t push_ascii_run(cg_workspace *ws, size_t *n, const unsigned char *text, size_t len, int with_markup)
{
    unsigned char stop = ASCII_NUL | (with_markup ? ASCII_MARKUP : 0);
    size_t room = ws->cps_cap - *n, limit = len < room ? len : room, i = 0;
    if (limit > 0xFFFF) /* so that no 16-bit lane of the packed counts overflows */
        limit = 0xFFFF;
    uint32_t *out = ws->cps + *n;
    uint64_t counts = 0;
    unsigned char seen = 0;
    for (; i < limit; i++) {
        unsigned char c = text[i], flags = ascii_flags[c];
        if (flags & stop)
            break;
        seen |= flags;
        uint64_t k = ascii_counts[c];
        counts += k;
        out[i] = c | (uint32_t)((k >> 11) & 0x20); /* upper case: | 0x20 */
    }
    cg_text_stats *st = &ws->stats;
    st->chars += (uint32_t)i;
    st->letters += (uint32_t)(counts & 0xFFFF);
    st->upper += (uint32_t)((counts >> 16) & 0xFFFF);
    st->digits += (uint32_t)((counts >> 32) & 0xFFFF);
    st->exclaims += (uint32_t)(counts >> 48);
    ws->maybe_leet |= (seen & ASCII_LEET) != 0;
    *n += i;
    return i;
}
#undef LETTER
#undef UPPER
#undef DIGIT
#undef EXCLAIM

/* Append raw UTF-8 bytes (text or a link target) as mapped code points. */
static cg_status push_bytes(cg_workspace *ws, size_t *n, const char *text, size_t len, int with_markup)
{
    size_t i = 0;
    while (i < len) {
        size_t run = push_ascii_run(ws, n, (const unsigned char *)text + i, len - i, with_markup);
        i += run;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)text[i];
        if (with_markup && (c == '<' || c == '&')) {
            cg_markup m;
            cg_markup_kind kind = cg_markup_at(text + i, len - i, &m);
            if (kind == CG_MARKUP_ENTITY) {
                if (push_mapped(ws, n, m.codepoint) != CG_OK)
                    return CG_ERR_NOMEM;
                i += m.consumed;
                continue;
            }
            if (kind == CG_MARKUP_TAG) {
                ws->stats.images += (uint32_t)m.is_image;
                ws->stats.anchors += (uint32_t)m.is_anchor;
                if (push(ws, n, ' ') != CG_OK)
                    return CG_ERR_NOMEM;
                if (m.is_anchor && m.href_len > 0) {
                    if (push_bytes(ws, n, m.href, m.href_len, 0) != CG_OK || push(ws, n, ' ') != CG_OK)
                        return CG_ERR_NOMEM;
                }
                i += m.consumed;
                continue;
            }
        }
        if (c < 0x80) {
            if (c == 0)
                ws->stats.invalid++;
            if (push_mapped(ws, n, c == 0 ? ' ' : c) != CG_OK)
                return CG_ERR_NOMEM;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t used = utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &cp);
        if (used < 1) {
            ws->stats.invalid++;
            cp = 0xFFFD;
            used = 1;
        }
        if (push_mapped(ws, n, (uint32_t)cp) != CG_OK)
            return CG_ERR_NOMEM;
        i += (size_t)used;
    }
    return CG_OK;
}

static int is_letter_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

/* Cut white space and runs of symbols in place, and count elongated letters (the words are
 * folded later, by fold.h, so that "www" in a link survives); returns the new length. */
static size_t squeeze(cg_workspace *ws, size_t n)
{
    uint32_t *cp = ws->cps;
    size_t out = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = is_space_cp(cp[i]) ? ' ' : cp[i];
        if (c == ' ' && (out == 0 || cp[out - 1] == ' '))
            continue;
        run = (out > 0 && cp[out - 1] == c) ? run + 1 : 1;
        if (run == 3 && is_letter_cp(c))
            ws->stats.elongations++;
        if (run > 3 && !is_letter_cp(c) && !(c >= '0' && c <= '9'))
            continue;
        cp[out++] = c;
    }
    while (out > 0 && cp[out - 1] == ' ')
        out--;
    return out;
}

/* squeeze and encode in one pass, for text of ASCII only (no code point beyond ASCII was read:
 * folding maps look-alikes to ASCII but never the reverse): the same rules, written as bytes. */
static cg_status squeeze_ascii(cg_workspace *ws, size_t n)
{
    if (cg_grow((void **)&ws->norm, &ws->norm_cap, n + 1, 1) != CG_OK)
        return CG_ERR_NOMEM;
    const uint32_t *cp = ws->cps;
    char *out = ws->norm;
    size_t len = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        char c = (cp[i] <= ' ' || cp[i] == 0x7F) ? ' ' : (char)cp[i];
        if (c == ' ' && (len == 0 || out[len - 1] == ' '))
            continue;
        run = (len > 0 && out[len - 1] == c) ? run + 1 : 1;
        if (run >= 3) {
            int letter = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
            if (run == 3 && letter)
                ws->stats.elongations++;
            if (run > 3 && !letter && !(c >= '0' && c <= '9'))
                continue;
        }
        out[len++] = c;
    }
    while (len > 0 && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    ws->norm_len = len;
    return CG_OK;
}

/* Whether canonical composition can change cps[0..n), code points as push_mapped left them (then
 * folded and squeezed): only a combining mark or a Hangul jamo is ever the second of a pair that
 * composes (tests/test_normalize.c checks it against every decomposition utf8proc knows), and the
 * marks were stripped, so mostly it cannot, and utf8proc's pass over the text is left out. */
static int may_compose(const uint32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (c < 0x80)
            continue;
        if (c >= CG_JAMO_FIRST && c <= CG_JAMO_LAST)
            return 1;
        utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
        if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME)
            return 1;
    }
    return 0;
}

static cg_status encode(cg_workspace *ws, size_t n)
{
    if (cg_grow((void **)&ws->norm, &ws->norm_cap, 4 * n + 1, 1) != CG_OK)
        return CG_ERR_NOMEM;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = ws->cps[i];
        if (c < 0x80)
            ws->norm[len++] = (char)c;
        else
            len += (size_t)utf8proc_encode_char((utf8proc_int32_t)c, (utf8proc_uint8_t *)ws->norm + len);
    }
    ws->norm[len] = '\0';
    ws->norm_len = len;
    return CG_OK;
}

cg_status cg_normalize(cg_workspace *ws, const char *text, size_t len)
{
    memset(&ws->stats, 0, sizeof ws->stats);
    ws->non_ascii = 0;
    ws->maybe_leet = 0;
    size_t n = 0;
    if (cg_grow((void **)&ws->cps, &ws->cps_cap, len + 1, sizeof *ws->cps) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    if (push_bytes(ws, &n, text, len, 1) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    if (!ws->non_ascii) {
        n = cg_fold_ascii(ws->cps, n, &ws->stats.folded, ws->maybe_leet);
        if (squeeze_ascii(ws, n) != CG_OK)
            return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
        return CG_OK;
    }
    n = cg_fold(ws->cps, n, &ws->stats.folded);
    n = squeeze(ws, n);
    if (may_compose(ws->cps, n)) {
        utf8proc_ssize_t k = utf8proc_normalize_utf32((utf8proc_int32_t *)ws->cps, (utf8proc_ssize_t)n, UTF8PROC_COMPOSE);
        if (k >= 0)
            n = (size_t)k;
    }
    if (encode(ws, n) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    return CG_OK;
}
