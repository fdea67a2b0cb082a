/* tokenize.c - splitting normalised text into words and classed tokens (URLs, numbers, ...).
 *
 * One pcre2 pattern, JIT-compiled, with one capturing group per token kind, tried in order of
 * priority. Every repetition is bounded so that each match attempt costs a bounded number of
 * steps: a megabyte of "aaaa..." or "1111..." scans in linear time. */
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cg_patterns {
    pcre2_code *token;
};

/* Group numbers follow cg_token_kind + 1; the order of alternatives is their priority. */
static const char token_pattern[] =
    /* 1 url */
    "((?:https?://|www\\.)[^\\s<>\"']{1,2000}"
    "|\\b[a-z0-9][a-z0-9-]{0,62}(?:\\.[a-z0-9-]{1,63}){0,4}"
    "\\.(?:com|net|org|info|biz|io|co|us|uk|de|ru|ly|me|tv|xyz|online|site|top|club|gl)\\b"
    "(?:/[^\\s<>\"']{0,2000})?)"
    /* 2 email */
    "|([a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63}){1,4})"
    /* 3 mention */
    "|((?<![\\w@])@\\w{1,30})"
    /* 4 phone: 7 to 15 digits in up to three groups */
    "|((?<![\\d.,])\\+?\\d{1,4}[ .-]?\\d{3,5}[ .-]?\\d{3,6}(?![\\d.,]))"
    /* 5 money */
    "|([$\\x{a3}\\x{20ac}\\x{a5}] ?\\d{1,15}(?:[.,]\\d{1,3}){0,5}(?:k|m|bn)?\\b"
    "|\\d{1,15}(?:[.,]\\d{1,3}){0,5} ?(?:\\$|\\x{a3}|\\x{20ac}|usd|eur|gbp|qr|qar|dollars?|pounds?|euros?|bucks)\\b)"
    /* 6 number */
    "|(\\d{1,30}(?:[.,]\\d{1,30}){0,5})"
    /* 7 punctuation run */
    "|([!?.]{2,3}|[*#$%&]{2,3})"
    /* 0 word (reported as group 8), or a symbol such as an emoji. Asterisks between letters stay
     * in the word: a masked word the folding did not read ("us*d", "p*sting") is one word, not
     * fragments ("us", "d") that read as other words. */
    "|(\\p{L}(?:[\\p{L}\\p{N}'_]|\\*{1,4}(?=\\p{L})){0,62}|\\p{So})";

cg_status cg_patterns_compile(cg_patterns **out, char *err, size_t errlen)
{
    cg_patterns *p = calloc(1, sizeof *p);
    if (!p)
        return CG_ERR_NOMEM;
    int code;
    PCRE2_SIZE offset;
    p->token = pcre2_compile((PCRE2_SPTR)token_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &code,
                             &offset, NULL);
    if (!p->token) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        if (err)
            snprintf(err, errlen, "token pattern at %zu: %s", (size_t)offset, (char *)msg);
        free(p);
        return CG_ERR_FORMAT;
    }
    /* Without JIT (some platforms) pcre2 interprets the same pattern: slower, same tokens. */
    pcre2_jit_compile(p->token, PCRE2_JIT_COMPLETE);
    *out = p;
    return CG_OK;
}

void cg_patterns_free(cg_patterns *patterns)
{
    if (!patterns)
        return;
    pcre2_code_free(patterns->token);
    free(patterns);
}

static const char *const class_names[CG_TOK_KINDS] = {
    [CG_TOK_WORD] = "<word>",       [CG_TOK_URL] = "<url>",     [CG_TOK_EMAIL] = "<email>",
    [CG_TOK_MENTION] = "<mention>", [CG_TOK_PHONE] = "<phone>", [CG_TOK_MONEY] = "<money>",
    [CG_TOK_NUMBER] = "<number>",   [CG_TOK_PUNCT_RUN] = "<punct>",
};

const char *cg_token_class_name(cg_token_kind kind)
{
    return kind < CG_TOK_KINDS ? class_names[kind] : "<?>";
}

const char *cg_token_domain(const char *token, size_t token_len, cg_token_kind kind, size_t *len)
{
    const char *p = token, *end = token + token_len;
    if (kind == CG_TOK_EMAIL) {
        const char *at = memchr(p, '@', token_len);
        p = at ? at + 1 : end;
    } else {
        /* Only within the token: it is not NUL-terminated where it ends. */
        for (const char *q = token; q + 3 <= end; q++)
            if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
                p = q + 3;
                break;
            }
    }
    if (end - p > 4 && memcmp(p, "www.", 4) == 0)
        p += 4;
    const char *q = p;
    while (q < end && *q != '/' && *q != ':' && *q != '?' && *q != '#')
        q++;
    *len = (size_t)(q - p);
    return p;
}

static cg_token_kind kind_of_match(const PCRE2_SIZE *ov, uint32_t pairs)
{
    for (uint32_t g = 1; g < pairs; g++)
        if (ov[2 * g] != PCRE2_UNSET)
            return g == CG_TOK_KINDS ? CG_TOK_WORD : (cg_token_kind)g;
    return CG_TOK_WORD;
}

/*
 * Fast paths for what most tokens are: plain ASCII words, @mentions and runs of punctuation, each
 * exactly what pcre2 would find there (tests/test_differential.c holds them to that); anything they
 * cannot be sure of goes to pcre2.
 *
 * At a lower-case ASCII letter, let R be the run of [a-z0-9'_] that starts there and c the byte
 * after it (if any). The pattern's alternatives, in order:
 *  - url and email: link_may_start says whether one could start there; it can only when c is '.',
 *    ':', '-', '%', '+' or '@' (the runs [a-z0-9-]* and [a-z0-9._%+-]* from the letter end inside R
 *    at a '\'' or '_', or at c), so it is asked only then;
 *  - mention, phone, money, number, punctuation: cannot start at a letter;
 *  - word:    \p{L}(?:[\p{L}\p{N}'_]|\*+(?=\p{L})){0,62} matches the first min(|R|, 63) bytes of R
 *             when c is ASCII (not a capital, which the normaliser does not leave) and not asterisks
 *             before a letter (c '*' counts only before a space or the end).
 * So the match is the word R[0..63). The same holds in the middle of a long run (the rest of R is
 * again such a run).
 */
#define MAX_WORD_CHARS 63
#define MAX_MENTION_CHARS 30

/* What the fast paths ask of an ASCII byte, one look-up instead of a chain of comparisons: part of a
 * word run [a-z0-9'_], a domain byte [a-z0-9-], an address byte (a domain byte or one of ._%+). */
enum { BYTE_WORD = 1, BYTE_DOMAIN = 2, BYTE_ADDRESS = 4 };
#define LOWER_AND_DIGITS(v) \
    ['a'] = v, ['b'] = v, ['c'] = v, ['d'] = v, ['e'] = v, ['f'] = v, ['g'] = v, ['h'] = v, ['i'] = v, ['j'] = v, \
    ['k'] = v, ['l'] = v, ['m'] = v, ['n'] = v, ['o'] = v, ['p'] = v, ['q'] = v, ['r'] = v, ['s'] = v, ['t'] = v, \
    ['u'] = v, ['v'] = v, ['w'] = v, ['x'] = v, ['y'] = v, ['z'] = v, ['0'] = v, ['1'] = v, ['2'] = v, ['3'] = v, \
    ['4'] = v, ['5'] = v, ['6'] = v, ['7'] = v, ['8'] = v, ['9'] = v
static const unsigned char byte_class[256] = {
    LOWER_AND_DIGITS(BYTE_WORD | BYTE_DOMAIN | BYTE_ADDRESS),
    ['\''] = BYTE_WORD, ['_'] = BYTE_WORD | BYTE_ADDRESS, ['-'] = BYTE_DOMAIN | BYTE_ADDRESS,
    ['.'] = BYTE_ADDRESS, ['%'] = BYTE_ADDRESS, ['+'] = BYTE_ADDRESS,
};
#undef LOWER_AND_DIGITS

static inline int ascii_word_byte(unsigned char c)
{
    return byte_class[c] & BYTE_WORD;
}

static inline int domain_byte(unsigned char c)
{
    return byte_class[c] & BYTE_DOMAIN;
}

static inline int address_byte(unsigned char c)
{
    return byte_class[c] & BYTE_ADDRESS;
}

/* Whether a link or an e-mail address could start at s[at], by what the pattern's url and email
 * alternatives need there: "https?://" or "www." at once; a domain [a-z0-9][a-z0-9-]{0,62} followed
 * by '.' and another [a-z0-9-] (the run [a-z0-9-]* holds no '.', so the domain's first part is all
 * of it, at most 63 bytes); an address [a-z0-9._%+-]{1,64} followed by '@' (likewise all of that
 * run, at most 64 bytes). Looking no further than that keeps a long run of such bytes linear. */
static int link_may_start(const unsigned char *s, size_t at, size_t len)
{
    size_t rest = len - at;
    if ((rest >= 4 && memcmp(s + at, "www.", 4) == 0) || (rest >= 7 && memcmp(s + at, "http://", 7) == 0) ||
        (rest >= 8 && memcmp(s + at, "https://", 8) == 0))
        return 1;
    size_t d = at, d_limit = rest > 64 ? at + 64 : len;
    while (d < d_limit && domain_byte(s[d]))
        d++;
    if (d + 1 < len && s[d] == '.' && domain_byte(s[d + 1]))
        return 1;
    size_t e = d, e_limit = rest > 65 ? at + 65 : len;
    while (e < e_limit && address_byte(s[e]))
        e++;
    return e < len && s[e] == '@';
}

/* The length of the fast-path word at s[at] (a lower-case ASCII letter), or 0 to ask pcre2. */
static size_t ascii_word_at(const unsigned char *s, size_t at, size_t len)
{
    /* A run longer than a word is cut into words; no link or address can start inside its first
     * MAX_WORD_CHARS + 2 bytes, so looking further would only make long runs quadratic. */
    size_t limit = len - at > MAX_WORD_CHARS + 2 ? at + MAX_WORD_CHARS + 2 : len;
    size_t end = at + 1;
    while (end < limit && ascii_word_byte(s[end]))
        end++;
    if (end == limit && limit < len)
        return MAX_WORD_CHARS;
    if (end < len) {
        unsigned char c = s[end];
        if (c >= 0x80 || (c >= 'A' && c <= 'Z'))
            return 0;
        if (c == '*' && end + 1 < len && s[end + 1] != ' ')
            return 0;
        if ((c == '.' || c == ':' || c == '-' || c == '%' || c == '+' || c == '@') && link_may_start(s, at, len))
            return 0;
    }
    return end - at < MAX_WORD_CHARS ? end - at : MAX_WORD_CHARS;
}

/* ASCII bytes \w matches (with PCRE2_UCP, \w also matches letters and digits beyond ASCII). */
static inline int ascii_w(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Results of the fast paths below besides a token's length: ask pcre2, or no token starts here
 * (pcre2 would step on to the next byte). */
#define ASK_PCRE2 0
#define NO_TOKEN_HERE ((size_t)-1)

/* At s[at] == '@' only the mention (?<![\w@])@\w{1,30} can start (no other alternative starts
 * with '@'). Bytes beyond ASCII around it may be \w: those cases go to pcre2. */
static size_t ascii_mention_at(const unsigned char *s, size_t at, size_t len)
{
    if (at > 0) {
        unsigned char before = s[at - 1];
        if (before >= 0x80)
            return ASK_PCRE2;
        if (ascii_w(before) || before == '@')
            return NO_TOKEN_HERE;
    }
    size_t n = 0;
    while (n < MAX_MENTION_CHARS && at + 1 + n < len && ascii_w(s[at + 1 + n]))
        n++;
    if (n < MAX_MENTION_CHARS && at + 1 + n < len && s[at + 1 + n] >= 0x80)
        return ASK_PCRE2;
    return n > 0 ? n + 1 : NO_TOKEN_HERE;
}

/* At '!', '?' or '.', or at '*', '#' or '&': of the alternatives only a punctuation run
 * [!?.]{2,3} or [*#$%&]{2,3} can start there, or at '.' an address [a-z0-9._%+-]{1,64}@ (then
 * pcre2 is asked). */
static size_t ascii_punctuation_at(const unsigned char *s, size_t at, size_t len)
{
    unsigned char c = s[at];
    int dots = c == '!' || c == '?' || c == '.';
    if (c == '.' && link_may_start(s, at, len))
        return ASK_PCRE2;
    size_t n = 1;
    while (n < 3 && at + n < len &&
           (dots ? (s[at + n] == '!' || s[at + n] == '?' || s[at + n] == '.')
                 : (s[at + n] == '*' || s[at + n] == '#' || s[at + n] == '$' || s[at + n] == '%' ||
                    s[at + n] == '&')))
        n++;
    return n >= 2 ? n : NO_TOKEN_HERE;
}

/* At '-' or '_' only an e-mail address [a-z0-9._%+-]{1,64}@... can start (no other alternative
 * starts with either): pcre2 is asked only if link_may_start says one could. */
static size_t ascii_address_only_at(const unsigned char *s, size_t at, size_t len)
{
    return link_may_start(s, at, len) ? ASK_PCRE2 : NO_TOKEN_HERE;
}

/*
 * At an ASCII digit, the number \d{1,30}(?:[.,]\d{1,30}){0,5} where it is sure that no alternative
 * before it matches, else ASK_PCRE2. The number is then the run D of digits there, of at most
 * MAX_SURE_DIGITS, followed by c (if any):
 *  - phone needs seven digits or more, in up to three groups set apart by one of [ .-]: D is
 *    shorter and c is no digit, nor a space, '.' or '-' before one (cases below);
 *  - money needs [.,]\d or, after an optional space, a currency ($ £ € or a word of usd, eur, gbp,
 *    qr, qar, dollar(s), pound(s), euro(s), bucks) right after D: c is none of those (bytes beyond
 *    ASCII, letters and '$' go to pcre2), and after a space, the byte after it is none of their first;
 *  - url and email need D to go on with [a-z0-9-] or address bytes up to a '.' and another domain
 *    byte, or '@': c is a letter, '-', '_', '%', '+', '@' or '$' (to pcre2), or '.' or ',' followed by
 *    a space or the end, which ends both (and keeps the number from going on with [.,]\d);
 *  - mention, punctuation and word start with '@', punctuation or a letter (\p{L}, \p{So}).
 */
#define MAX_SURE_DIGITS 6

static size_t ascii_number_at(const unsigned char *s, size_t at, size_t len)
{
    size_t end = at;
    while (end < len && end - at <= MAX_SURE_DIGITS && s[end] >= '0' && s[end] <= '9')
        end++;
    size_t n = end - at;
    if (n > MAX_SURE_DIGITS)
        return ASK_PCRE2;
    if (end == len)
        return n;
    unsigned char c = s[end];
    int last = end + 1 == len;
    unsigned char after = last ? 0 : s[end + 1];
    if (c == ' ')
        return last || (after < 0x80 && !(after >= '0' && after <= '9') && after != '$' && after != 'u' &&
                        after != 'e' && after != 'g' && after != 'q' && after != 'd' && after != 'p' && after != 'b')
                   ? n
                   : ASK_PCRE2;
    if (c == '.' || c == ',')
        return last || after == ' ' ? n : ASK_PCRE2;
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || address_byte(c) || c == '@' || c == '$')
        return ASK_PCRE2;
    return n;
}

/*
 * Where no match of the pattern can start, pcre2 would only step on to the next byte; skipping such
 * bytes here saves a pcre2 call (which then finds the next word) after each comma, quote or bracket.
 * A match can start at a letter (a word, a link or address), a digit, '@', '$', or a byte beyond
 * ASCII (a letter, a symbol, a currency sign) - START_ANY; at '.', '-', '_', '%', '+', '!', '?',
 * '*', '#' or '&' only when another character follows (an address [a-z0-9._%+-]{1,64}@..., a phone
 * +\d..., a punctuation run [!?.]{2,3} or [*#$%&]{2,3}) - START_BEFORE_CHAR; at no other ASCII
 * byte (the space, the control characters the normaliser leaves as spaces, the other punctuation).
 */
enum { START_NEVER = 0, START_ANY = 1, START_BEFORE_CHAR = 2 };

static const unsigned char match_start[128] = {
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['@'] = 1, ['$'] = 1,
    ['.'] = 2, ['-'] = 2, ['_'] = 2, ['%'] = 2, ['+'] = 2, ['!'] = 2, ['?'] = 2, ['*'] = 2, ['#'] = 2,
    ['&'] = 2,
};

cg_status cg_tokenize(const cg_patterns *patterns, cg_workspace *ws)
{
    ws->n_tokens = 0;
    PCRE2_SIZE at = 0, len = ws->norm_len;
    PCRE2_SPTR subject = (PCRE2_SPTR)ws->norm;
    while (at < len) {
        if (ws->n_tokens == ws->tokens_cap &&
            cg_grow((void **)&ws->tokens, &ws->tokens_cap, ws->n_tokens + 1, sizeof *ws->tokens) != CG_OK)
            return cg_fail(ws, CG_ERR_NOMEM, "out of memory tokenising");
        unsigned char ch = subject[at];
        if (ch < 0x80 && (match_start[ch] == START_NEVER ||
                          (match_start[ch] == START_BEFORE_CHAR && (at + 1 == len || subject[at + 1] == ' ')))) {
            at++;
            continue;
        }
        size_t n = ASK_PCRE2;
        cg_token_kind kind = CG_TOK_WORD;
        if (ch >= 'a' && ch <= 'z') {
            n = ascii_word_at(subject, at, len);
        } else if (ch == '@') {
            n = ascii_mention_at(subject, at, len);
            kind = CG_TOK_MENTION;
        } else if (ch == '!' || ch == '?' || ch == '.' || ch == '*' || ch == '#' || ch == '&') {
            n = ascii_punctuation_at(subject, at, len);
            kind = CG_TOK_PUNCT_RUN;
        } else if (ch >= '0' && ch <= '9') {
            n = ascii_number_at(subject, at, len);
            kind = CG_TOK_NUMBER;
        } else if (ch == '-' || ch == '_') {
            n = ascii_address_only_at(subject, at, len);
        }
        if (n == NO_TOKEN_HERE) {
            at++;
            continue;
        }
        if (n != ASK_PCRE2) {
            cg_token *t = &ws->tokens[ws->n_tokens++];
            t->start = (uint32_t)at;
            t->len = (uint32_t)n;
            t->kind = (uint8_t)kind;
            at += n;
            if (at < len && subject[at] == ' ') /* the space after a token, the usual case, in the same step */
                at++;
            continue;
        }
        int rc = pcre2_match(patterns->token, subject, len, at, PCRE2_NO_UTF_CHECK, ws->match, ws->match_ctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            /* A match or depth limit was hit: skip one character rather than fail the comment. */
            at++;
            while (at < len && (subject[at] & 0xC0) == 0x80)
                at++;
            continue;
        }
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ws->match);
        if (ov[1] <= ov[0]) {
            at = ov[0] + 1;
            continue;
        }
        cg_token *t = &ws->tokens[ws->n_tokens++];
        t->start = (uint32_t)ov[0];
        t->len = (uint32_t)(ov[1] - ov[0]);
        t->kind = (uint8_t)kind_of_match(ov, (uint32_t)(rc > 0 ? rc : 0));
        at = ov[1];
    }
    return CG_OK;
}
