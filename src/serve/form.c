/* form.c - decoding application/x-www-form-urlencoded bodies: fields separated by '&', name and
 * value by the first '=', '+' for a space and %XX for any byte. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode s[0..len) into a new NUL-terminated string; NULL with a reason in err. */
static char *decode(const char *s, size_t len, size_t *out_len, char *err, size_t errlen)
{
    char *out = malloc(len + 1);
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            out[n++] = ' ';
        } else if (s[i] != '%') {
            out[n++] = s[i];
        } else if (i + 2 < len && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out[n++] = (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            snprintf(err, errlen, "malformed %%-escape in the form body");
            free(out);
            return NULL;
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

int form_parse(const char *body, size_t len, form *f, char *err, size_t errlen)
{
    *f = (form){0};
    size_t start = 0;
    while (start < len) {
        const char *amp = memchr(body + start, '&', len - start);
        size_t end = amp ? (size_t)(amp - body) : len;
        if (end > start) {
            const char *eq = memchr(body + start, '=', end - start);
            size_t name_end = eq ? (size_t)(eq - body) : end;
            size_t name_len, value_len = 0;
            char *name = decode(body + start, name_end - start, &name_len, err, errlen);
            char *value = name ? decode(body + (eq ? name_end + 1 : end), eq ? end - name_end - 1 : 0, &value_len,
                                        err, errlen)
                               : NULL;
            form_field *grown = value ? realloc(f->fields, (f->n + 1) * sizeof *grown) : NULL;
            if (!grown) {
                if (value)
                    snprintf(err, errlen, "out of memory");
                free(name);
                free(value);
                form_free(f);
                return -1;
            }
            f->fields = grown;
            f->fields[f->n++] = (form_field){.name = name, .value = value, .value_len = value_len};
        }
        start = end + 1;
    }
    return 0;
}

void form_free(form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        free(f->fields[i].value);
    }
    free(f->fields);
    *f = (form){0};
}

const char *form_get(const form *f, const char *name, size_t *len)
{
    for (size_t i = f->n; i-- > 0;)
        if (strcmp(f->fields[i].name, name) == 0) {
            if (len)
                *len = f->fields[i].value_len;
            return f->fields[i].value;
        }
    return NULL;
}
