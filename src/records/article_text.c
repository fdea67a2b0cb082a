/* article_text.c - a post's title and text as one article. */
#include "article_text.h"

#include <stdlib.h>
#include <string.h>

char *cli_article_text(const char *title, const char *text, size_t text_len, size_t *len)
{
    size_t tlen = strlen(title), n = tlen + (tlen ? 2 : 0) + text_len;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, title, tlen);
    memcpy(out + tlen, "\n\n", tlen ? 2 : 0);
    if (text_len)
        memcpy(out + n - text_len, text, text_len);
    out[n] = '\0';
    *len = n;
    return out;
}
