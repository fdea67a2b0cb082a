/* comment_text.c - a blog comment's content, author name and URL as one text to classify. */
#include "comment_text.h"

#include <stdlib.h>
#include <string.h>

char *cli_comment_text(const char *content, size_t content_len, const char *author, const char *url,
                       size_t *len)
{
    size_t alen = author ? strlen(author) : 0, ulen = url ? strlen(url) : 0;
    size_t n = content_len + (alen || ulen ? 2 + alen + (alen && ulen) + ulen : 0);
    char *out = malloc(n + 1), *p = out;
    if (!out)
        return NULL;
    if (content_len)
        memcpy(p, content, content_len);
    p += content_len;
    if (alen || ulen) {
        memcpy(p, "\n\n", 2);
        p += 2;
        if (alen)
            memcpy(p, author, alen);
        p += alen;
        if (alen && ulen)
            *p++ = ' ';
        if (ulen)
            memcpy(p, url, ulen);
        p += ulen;
    }
    *p = '\0';
    *len = n;
    return out;
}
