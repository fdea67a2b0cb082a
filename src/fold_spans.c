/* fold_spans.c - what cg_fold leaves alone: a run of non-space characters that is a link, an
 * e-mail address, a domain or code, whose digits and symbols are no leetspeak. */
#include "fold_spans.h"

#include "fold_chars.h"

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

/* The ASCII characters one of the rules below needs: every rule needs at least one of them. */
static const unsigned char rule_chars[128] = {
    [':'] = 1, ['.'] = 1, ['='] = 1, [';'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['<'] = 1,
    ['>'] = 1, ['`'] = 1, ['\\'] = 1, ['&'] = 1, ['|'] = 1, ['-'] = 1, ['('] = 1,
};

/* Whether the span s[0..n) (no white space in it) is a link, an e-mail address, a domain or code. */
int cg_fold_protected(const uint32_t *s, size_t n)
{
    size_t plain = 0; /* most spans are words, with at most a comma or a quote: no rule applies */
    while (plain < n && (s[plain] >= 0x80 || !rule_chars[s[plain]]))
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
