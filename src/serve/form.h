/* form.h - request bodies in application/x-www-form-urlencoded, as Akismet clients send them
 * (form.c). */
#ifndef CG_CLI_FORM_H
#define CG_CLI_FORM_H

#include <stddef.h>

typedef struct form_field {
    char *name, *value; /* decoded and NUL-terminated; a value may hold NUL bytes before value_len */
    size_t value_len;
} form_field;

typedef struct form {
    form_field *fields;
    size_t n;
} form;

/* Decode body[0..len) ("a=1&b=x+y%21"): 0, or -1 with the reason in err (a malformed escape, or
 * out of memory), *f then empty. A name given twice keeps its last value, as PHP reads forms. */
int form_parse(const char *body, size_t len, form *f, char *err, size_t errlen);

void form_free(form *f);

/* The field's value, or NULL when absent; *len (if not NULL) its length. */
const char *form_get(const form *f, const char *name, size_t *len);

#endif
