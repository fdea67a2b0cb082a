/* comment_text.c - a blog comment's content, author name and URL as one text to classify, and a
 * post's title and text as one article. */
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
