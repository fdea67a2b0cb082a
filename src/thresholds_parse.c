/* thresholds_parse.c - reading the thresholds of the unsure band from the text that
 * `commentguard thresholds` prints, e.g. "on-topic=0.62,off-topic=0.40,abusive=0.71". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commentguard.h"

#define MAX_DECIMALS 15 /* keeps the digits below 2^53, so the value is the correctly rounded one */

static cg_status fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static cg_status fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return CG_ERR_INPUT;
}

/* How much of the text at s to quote in a message: up to 40 bytes of its line. */
static int quoted(const char *s)
{
    int n = 0;
    while (n < 40 && s[n] && s[n] != '\n' && s[n] != '\r')
        n++;
    return n;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A number from 0 to 1 written as digits with an optional fraction ("1", "0.625"), read without
 * strtod, whose decimal point depends on the locale. Returns the bytes read, or 0 if there is none. */
static size_t read_probability(const char *s, double *out)
{
    size_t i = 0;
    double whole = 0, digits = 0, scale = 1;
    for (; s[i] >= '0' && s[i] <= '9' && i < 3; i++)
        whole = whole * 10 + (s[i] - '0');
    if (i == 0)
        return 0;
    if (s[i] == '.') {
        size_t start = ++i;
        for (; s[i] >= '0' && s[i] <= '9'; i++) {
            if (i - start == MAX_DECIMALS)
                return 0;
            digits = digits * 10 + (s[i] - '0');
            scale *= 10;
        }
        if (i == start)
            return 0;
    }
    *out = whole + digits / scale;
    return i;
}

cg_status cg_thresholds_parse(const char *spec, double threshold[CG_NUM_CLASSES], char *err, size_t errlen)
{
    if (!spec || !threshold)
        return fail(err, errlen, "no thresholds given");
    double t[CG_NUM_CLASSES] = {0};
    int seen[CG_NUM_CLASSES] = {0};
    const char *p = spec;
    while (is_space(*p))
        p++;
    if (!*p)
        return fail(err, errlen, "no thresholds given");
    for (;;) {
        const char *eq = strchr(p, '=');
        int c = 0;
        for (; eq && c < CG_NUM_CLASSES; c++) {
            const char *name = cg_label_name((cg_label)c);
            if ((size_t)(eq - p) == strlen(name) && memcmp(p, name, strlen(name)) == 0)
                break;
        }
        if (!eq || c == CG_NUM_CLASSES)
            return fail(err, errlen, "expected on-topic=P, off-topic=P or abusive=P at '%.*s'", quoted(p), p);
        if (seen[c])
            return fail(err, errlen, "%s is given twice", cg_label_name((cg_label)c));
        size_t n = read_probability(eq + 1, &t[c]);
        if (n == 0 || t[c] > 1.0)
            return fail(err, errlen, "%s: expected a number from 0 to 1 at '%.*s'", cg_label_name((cg_label)c),
                        quoted(eq + 1), eq + 1);
        seen[c] = 1;
        p = eq + 1 + n;
        if (*p != ',')
            break;
        p++;
    }
    while (is_space(*p))
        p++;
    if (*p)
        return fail(err, errlen, "unexpected '%.*s' after the thresholds", quoted(p), p);
    memcpy(threshold, t, sizeof t);
    return CG_OK;
}
