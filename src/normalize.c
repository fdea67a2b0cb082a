/* normalize.c - from raw comment bytes to normalised text for feature extraction.
 *
 * Two passes over code points in ws->cps: the first decodes bytes, markup and entities and maps
 * each code point through utf8proc (compatibility decomposition, case folding, ignorables and
 * marks stripped); the second folds obfuscation, cuts repetitions and white space, composes and
 * encodes the result as UTF-8. ASCII skips utf8proc entirely; plain ASCII (no markup, NUL or
 * byte beyond ASCII), the common case, is lower-cased into bytes in one pass, folded there in place
 * (fold.h: cg_fold_ascii_bytes, which reads code points only in the spans its rules may change)
 * and squeezed in place. */
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

/*
 * For each byte, what push_mapped counts of it, packed in 9-bit lanes of a uint64_t that a run of
 * up to LANE_MAX bytes adds up without a carry: letters, upper case, digits, '!' and '?', what
 * leetspeak and masked words are made of (fold.h: cg_fold_ascii; a text must hold one for the
 * folding's leetspeak pass to have anything to read), NUL and markup ('<' and '&'); a byte beyond
 * ASCII counts as both of the last two, which stop the fast paths below.
 */
#define LANE(k) (1ull << (9 * (k)))
#define LANE_MAX 511
enum { LETTERS, UPPER, DIGITS, EXCLAIMS, LEET, NUL, MARKUP };
#define LANE_COUNT(counts, k) ((uint32_t)(((counts) >> (9 * (k))) & LANE_MAX))
#define STOPS (LANE(NUL) * LANE_MAX | LANE(MARKUP) * LANE_MAX)

static const uint64_t ascii_counts[256] = {
    ['!'] = LANE(EXCLAIMS) | LANE(LEET), ['?'] = LANE(EXCLAIMS),
    ['*'] = LANE(LEET), ['@'] = LANE(LEET), ['$'] = LANE(LEET), ['|'] = LANE(LEET),
#define D(c) [c] = LANE(DIGITS) | LANE(LEET)
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
#undef D
#define L(c) [c] = LANE(LETTERS), [c - 32] = LANE(LETTERS) | LANE(UPPER)
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'), L('k'), L('l'), L('m'),
    L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
#undef L
    [0] = LANE(NUL), ['<'] = LANE(MARKUP), ['&'] = LANE(MARKUP),
#define H(b) [b] = LANE(NUL) | LANE(MARKUP)
#define HIGH16(b) H(b), H(b + 1), H(b + 2), H(b + 3), H(b + 4), H(b + 5), H(b + 6), H(b + 7), H(b + 8), H(b + 9), \
    H(b + 10), H(b + 11), H(b + 12), H(b + 13), H(b + 14), H(b + 15)
    HIGH16(0x80), HIGH16(0x90), HIGH16(0xA0), HIGH16(0xB0), HIGH16(0xC0), HIGH16(0xD0), HIGH16(0xE0), HIGH16(0xF0),
#undef HIGH16
#undef H
};

/* An ASCII byte c lower-cased, by its counts k (upper case: | 0x20). */
static inline unsigned char lower_ascii(unsigned char c, uint64_t k)
{
    return (unsigned char)(c | ((k >> (9 * UPPER - 5)) & 0x20));
}

/* Add the counts of `chars` ASCII characters, added up from ascii_counts, to ws. */
static void add_ascii_counts(cg_workspace *ws, size_t chars, uint64_t counts)
{
    cg_text_stats *st = &ws->stats;
    st->chars += (uint32_t)chars;
    st->letters += LANE_COUNT(counts, LETTERS);
    st->upper += LANE_COUNT(counts, UPPER);
    st->digits += LANE_COUNT(counts, DIGITS);
    st->exclaims += LANE_COUNT(counts, EXCLAIMS);
    ws->maybe_leet |= LANE_COUNT(counts, LEET) != 0;
}

/* Map one code point as written to its normalised form(s) and append them. */
static cg_status push_mapped(cg_workspace *ws, size_t *n, uint32_t cp)
{
    if (cp < 0x80) {
        uint64_t k = ascii_counts[cp];
        add_ascii_counts(ws, 1, k);
        return push(ws, n, lower_ascii((unsigned char)cp, k));
    }
    cg_text_stats *st = &ws->stats;
    st->chars++;
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

/*
 * The fast path of push_bytes for a run of plain ASCII (no NUL, and no '<' or '&' when markup is
 * read): exactly what push_mapped does byte by byte, without its per-byte calls. Stops at the
 * first other byte, at len, or when ws->cps is full; returns the bytes consumed.
 */
static size_t push_ascii_run(cg_workspace *ws, size_t *n, const unsigned char *text, size_t len, int with_markup)
{
    uint64_t stop = LANE(NUL) | (with_markup ? LANE(MARKUP) : 0);
    size_t room = ws->cps_cap - *n, limit = len < room ? len : room, i = 0;
    if (limit > LANE_MAX)
        limit = LANE_MAX;
    uint32_t *out = ws->cps + *n;
    uint64_t counts = 0;
    for (; i < limit; i++) {
        unsigned char c = text[i];
        uint64_t k = ascii_counts[c];
        if (k & stop)
            break;
        counts += k;
        out[i] = lower_ascii(c, k);
    }
    add_ascii_counts(ws, i, counts);
    *n += i;
    return i;
}

/*
 * The text text[0..len) lower-cased into ws->norm (room for len), with the counts push_mapped
 * adds, if it is plain ASCII (no NUL, '<', '&' or byte beyond ASCII), the common case: the same
 * as push_ascii_run, into bytes, and looked at for letters set apart on the way (*may_separate:
 * fold.h, cg_fold_scan). Returns 0 if it is not (the counts then half made).
 */
static int lower_plain_ascii(cg_workspace *ws, const unsigned char *text, size_t len, int *may_separate)
{
    char *out = ws->norm;
    cg_fold_scan scan = CG_FOLD_SCAN_START;
    for (size_t start = 0; start < len; start += LANE_MAX) {
        size_t end = len - start > LANE_MAX ? start + LANE_MAX : len;
        uint64_t counts = 0;
        for (size_t i = start; i < end; i++) { /* no branch: the stops are looked at after the loop */
            unsigned char c = text[i];
            uint64_t k = ascii_counts[c];
            counts += k;
            out[i] = (char)lower_ascii(c, k);
            cg_fold_scan_byte(&scan, (unsigned char)out[i]);
        }
        if (counts & STOPS)
            return 0;
        add_ascii_counts(ws, end - start, counts);
    }
    *may_separate = cg_fold_scan_end(scan);
    return 1;
}
#undef LANE
#undef LANE_MAX
#undef LANE_COUNT
#undef STOPS

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

/* Whether none of the 8 bytes w (s[i..i+8) of squeeze_ascii, with `before` the 8 from s[i - 1]) needs
 * a rule: none is a control (below ' ', or 0x7F) and none but the first repeats the byte before it
 * (the first is compared with the output's last byte apart: s[i - 1] may be an input byte that was
 * squeezed or mapped). The tests of a zero byte and of one below ' ' are exact as yes or no. */
static int plain_block(uint64_t w, uint64_t before)
{
    static const unsigned char first[8] = {1}; /* 1 in the first byte in memory, whatever the byte order */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t first_one, repeat = w ^ before, del = w ^ 0x7F7F7F7F7F7F7F7Full;
    memcpy(&first_one, first, sizeof first_one);
    repeat |= first_one;
    return !((((repeat - ones) & ~repeat) | ((del - ones) & ~del) | ((w - ' ' * ones) & ~w)) & highs);
}

/* squeeze for text of ASCII only (no code point beyond ASCII was read: folding maps look-alikes
 * to ASCII but never the reverse), held as bytes ws->norm[0..n), in place: the same rules, written
 * as bytes. Eight bytes that no rule touches, the usual case, are moved at once, and after eight that
 * a rule touches the next eight go byte by byte (measured with tools/profile.py on corpus dev: 33.0M
 * instructions here before, 18.3M after, 1.7% of all of `score`'s). */
static void squeeze_ascii(cg_workspace *ws, size_t n)
{
    char *s = ws->norm;
    size_t len = 0, run = 0;
    char last = ' '; /* s[len - 1], or a space before the text (so that white space there goes) */
    for (size_t i = 0, block = 1; i < n; i++) { /* block: where the next eight may be moved at once */
        while (i >= block && n - i >= 8 && s[i] != last) {
            uint64_t w, before;
            memcpy(&w, s + i, sizeof w);
            memcpy(&before, s + i - 1, sizeof before);
            if (!plain_block(w, before)) {
                block = i + 8; /* these go byte by byte */
                break;
            }
            memcpy(s + len, &w, sizeof w); /* len <= i: the bytes were read */
            len += 8;
            i += 8;
            last = s[len - 1];
            run = 1;
        }
        if (i == n)
            break;
        char c = ((unsigned char)s[i] <= ' ' || s[i] == 0x7F) ? ' ' : s[i];
        if (c != last) { /* the usual case: a character unlike the one before */
            s[len++] = last = c; /* len <= i: writing never overtakes reading */
            run = 1;
            continue;
        }
        if (c == ' ')
            continue;
        if (++run >= 3) {
            int letter = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
            if (run == 3 && letter)
                ws->stats.elongations++;
            if (run > 3 && !letter && !(c >= '0' && c <= '9'))
                continue;
        }
        s[len++] = c;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    s[len] = '\0';
    ws->norm_len = len;
}

/* Fold and squeeze the ASCII code points ws->cps[0..n) into ws->norm. */
static cg_status fold_ascii_code_points(cg_workspace *ws, size_t n)
{
    n = cg_fold_ascii(ws->cps, n, &ws->stats.folded, ws->maybe_leet);
    if (cg_grow((void **)&ws->norm, &ws->norm_cap, n + 1 + CG_NORM_SLACK, 1) != CG_OK)
        return CG_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        ws->norm[i] = (char)ws->cps[i];
    squeeze_ascii(ws, n);
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
    if (cg_grow((void **)&ws->norm, &ws->norm_cap, 4 * n + 1 + CG_NORM_SLACK, 1) != CG_OK)
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

static void reset_stats(cg_workspace *ws)
{
    memset(&ws->stats, 0, sizeof ws->stats);
    ws->non_ascii = 0;
    ws->maybe_leet = 0;
}

cg_status cg_normalize(cg_workspace *ws, const char *text, size_t len)
{
    reset_stats(ws);
    if (cg_grow((void **)&ws->cps, &ws->cps_cap, len + 1, sizeof *ws->cps) != CG_OK ||
        cg_grow((void **)&ws->norm, &ws->norm_cap, len + 1 + CG_NORM_SLACK, 1) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    /* Plain ASCII, the common case, is lower-cased, folded and squeezed as bytes, in place. */
    int may_separate;
    if (lower_plain_ascii(ws, (const unsigned char *)text, len, &may_separate)) {
        if (!may_separate) {
            cg_fold_ascii_bytes(ws->norm, len, ws->cps, &ws->stats.folded, ws->maybe_leet);
            squeeze_ascii(ws, len);
            return CG_OK;
        }
        for (size_t i = 0; i < len; i++) /* letters may be set apart: folded as code points */
            ws->cps[i] = (unsigned char)ws->norm[i];
        if (fold_ascii_code_points(ws, len) != CG_OK)
            return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
        return CG_OK;
    }
    reset_stats(ws);
    size_t n = 0;
    if (push_bytes(ws, &n, text, len, 1) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    if (!ws->non_ascii) {
        if (fold_ascii_code_points(ws, n) != CG_OK)
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
