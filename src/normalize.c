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

/* Map one code point as written to its normalised form(s) and append them. */
static cg_status push_mapped(cg_workspace *ws, size_t *n, uint32_t cp)
{
    cg_text_stats *st = &ws->stats;
    st->chars++;
    if (cp < 0x80) {
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
    for (utf8proc_ssize_t i = 0; i < k; i++)
        if (push(ws, n, (uint32_t)out[i]) != CG_OK)
            return CG_ERR_NOMEM;
    return CG_OK;
}

/* Append raw UTF-8 bytes (text or a link target) as mapped code points. */
static cg_status push_bytes(cg_workspace *ws, size_t *n, const char *text, size_t len, int with_markup)
{
    size_t i = 0;
    while (i < len) {
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
    size_t n = 0;
    if (cg_grow((void **)&ws->cps, &ws->cps_cap, len + 1, sizeof *ws->cps) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    if (push_bytes(ws, &n, text, len, 1) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    n = cg_fold(ws->cps, n, &ws->stats.folded);
    n = squeeze(ws, n);
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = ws->cps[i] < 0x80;
    if (!ascii) {
        utf8proc_ssize_t k = utf8proc_normalize_utf32((utf8proc_int32_t *)ws->cps, (utf8proc_ssize_t)n, UTF8PROC_COMPOSE);
        if (k >= 0)
            n = (size_t)k;
    }
    if (encode(ws, n) != CG_OK)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory normalising %zu bytes", len);
    return CG_OK;
}
