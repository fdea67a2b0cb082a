/* markup.c - recognising HTML tags and character entities in comment text.
 *
 * Blog engines hand comments over with their markup. We do not need a full HTML parser: only to
 * drop tags, keep what they tell about the comment (link targets, images) and decode entities.
 * Anything that does not look like complete markup is left as text. */
#include "markup.h"

#include <string.h>

#define MAX_TAG_BYTES 2048
#define MAX_ENTITY_BYTES 12

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* ASCII-only, locale-independent case-insensitive comparison of n bytes; `lower` is lower case. */
static int equals_ignoring_case(const char *p, const char *lower, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)(is_alpha((unsigned char)p[i]) ? (p[i] | 0x20) : p[i]) != (unsigned char)lower[i])
            return 0;
    return 1;
}

static const struct { const char *name; uint32_t codepoint; } named_entities[] = {
    {"amp", '&'},     {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},   {"hellip", 0x2026}, {"mdash", 0x2014},  {"ndash", 0x2013},  {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},  {"laquo", 0xAB},    {"raquo", 0xBB},
    {"copy", 0xA9},   {"reg", 0xAE},      {"trade", 0x2122},  {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},    {"cent", 0xA2},     {"deg", 0xB0},      {"times", 0xD7},    {"bull", 0x2022},
    {"middot", 0xB7}, {"shy", 0xAD},      {"zwj", 0x200D},    {"zwnj", 0x200C},   {"eacute", 0xE9},
};

static cg_markup_kind entity_at(const char *p, size_t n, cg_markup *m)
{
    size_t limit = n < MAX_ENTITY_BYTES ? n : MAX_ENTITY_BYTES;
    size_t end = 1;
    while (end < limit && p[end] != ';')
        end++;
    if (end >= limit || end < 2)
        return CG_MARKUP_NONE;
    uint32_t cp = 0;
    if (p[1] == '#') {
        int hex = end > 2 && (p[2] | 0x20) == 'x';
        size_t i = hex ? 3 : 2;
        if (i == end)
            return CG_MARKUP_NONE;
        for (; i < end; i++) {
            unsigned char c = (unsigned char)p[i];
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                digit = (c | 0x20) - 'a' + 10;
            else
                return CG_MARKUP_NONE;
            cp = cp * (hex ? 16 : 10) + digit;
            if (cp > 0x10FFFF)
                return CG_MARKUP_NONE;
        }
        /* Surrogates and NUL cannot stand for text: read them as the replacement character. */
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
    } else {
        size_t len = end - 1, k;
        for (k = 0; k < sizeof named_entities / sizeof named_entities[0]; k++)
            if (strlen(named_entities[k].name) == len && memcmp(named_entities[k].name, p + 1, len) == 0)
                break;
        if (k == sizeof named_entities / sizeof named_entities[0])
            return CG_MARKUP_NONE;
        cp = named_entities[k].codepoint;
    }
    m->consumed = end + 1;
    m->codepoint = cp;
    return CG_MARKUP_ENTITY;
}

/* Walk the attributes of the tag body p[0..n) in order and return the value of attribute `name`
 * (so that "href=" inside another attribute's quoted value is not taken for it). */
static int find_attribute(const char *p, size_t n, const char *name, const char **value, size_t *value_len)
{
    size_t name_len = strlen(name), i = 0;
    while (i < n) {
        while (i < n && (is_space((unsigned char)p[i]) || p[i] == '/'))
            i++;
        size_t start = i;
        while (i < n && !is_space((unsigned char)p[i]) && p[i] != '=' && p[i] != '>' && p[i] != '/')
            i++;
        size_t attr_len = i - start;
        while (i < n && is_space((unsigned char)p[i]))
            i++;
        if (i >= n || p[i] != '=') {
            if (attr_len == 0 && i < n)
                i++; /* a stray character: step over it */
            continue;
        }
        i++;
        while (i < n && is_space((unsigned char)p[i]))
            i++;
        char quote = (i < n && (p[i] == '"' || p[i] == '\'')) ? p[i] : 0;
        size_t v = quote ? i + 1 : i, k = v;
        while (k < n && (quote ? p[k] != quote : !is_space((unsigned char)p[k]) && p[k] != '>'))
            k++;
        i = (quote && k < n) ? k + 1 : k;
        if (attr_len == name_len && equals_ignoring_case(p + start, name, name_len)) {
            *value = p + v;
            *value_len = k - v;
            return 1;
        }
    }
    return 0;
}

static cg_markup_kind tag_at(const char *p, size_t n, cg_markup *m)
{
    size_t limit = n < MAX_TAG_BYTES ? n : MAX_TAG_BYTES;
    if (limit >= 4 && memcmp(p, "<!--", 4) == 0) {
        for (size_t i = 4; i + 3 <= limit; i++)
            if (memcmp(p + i, "-->", 3) == 0) {
                m->consumed = i + 3;
                return CG_MARKUP_TAG;
            }
        return CG_MARKUP_NONE;
    }
    size_t i = 1;
    if (i < limit && (p[i] == '/' || p[i] == '!'))
        i++;
    if (i >= limit || !is_alpha((unsigned char)p[i]))
        return CG_MARKUP_NONE;
    size_t name_start = i;
    while (i < limit && (is_alpha((unsigned char)p[i]) || (p[i] >= '0' && p[i] <= '9')))
        i++;
    size_t name_len = i - name_start;
    if (i < limit && !is_space((unsigned char)p[i]) && p[i] != '>' && p[i] != '/')
        return CG_MARKUP_NONE;
    size_t end = i;
    while (end < limit && p[end] != '>' && p[end] != '<')
        end++;
    if (end >= limit || p[end] != '>')
        return CG_MARKUP_NONE;
    m->consumed = end + 1;
    int closing = p[1] == '/';
    if (!closing && name_len == 1 && (p[name_start] | 0x20) == 'a')
        m->is_anchor = find_attribute(p + i, end - i, "href", &m->href, &m->href_len);
    else if (!closing && name_len == 3 && equals_ignoring_case(p + name_start, "img", 3))
        m->is_image = 1;
    return CG_MARKUP_TAG;
}

cg_markup_kind cg_markup_at(const char *p, size_t n, cg_markup *m)
{
    memset(m, 0, sizeof *m);
    if (n < 2)
        return CG_MARKUP_NONE;
    return p[0] == '&' ? entity_at(p, n, m) : tag_at(p, n, m);
}
