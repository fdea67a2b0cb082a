/* article_thread.c - an article together with the comments already published under it
 * (cg_article_new_thread): one text, so that the topicality stage sees what the thread talks about. */
#include "article_thread.h"

#include <stdlib.h>
#include <string.h>

#include "workspace.h"

/* Between the article and each comment: a paragraph break, as a post and its comments read on a page. */
static const char separator[] = "\n\n";
#define SEPARATOR_LEN (sizeof separator - 1)

char *cg_thread_text(const char *text, size_t len, const char *const *comments, const size_t *lens, size_t n,
                     size_t *out_len)
{
    /* The latest comments that fit beside the article within the limit: walk back from the newest. */
    size_t total = len, first = n;
    while (first > 0) {
        if (lens[first - 1] == 0) { /* an empty comment adds nothing, not even a separator */
            first--;
            continue;
        }
        size_t add = (total > 0 ? SEPARATOR_LEN : 0) + lens[first - 1];
        if (lens[first - 1] > CG_MAX_COMMENT_BYTES || add > CG_MAX_COMMENT_BYTES - total)
            break;
        total += add;
        first--;
    }
    char *joined = malloc(total + 1);
    if (!joined)
        return NULL;
    size_t at = 0;
    if (len > 0) {
        memcpy(joined, text, len);
        at = len;
    }
    for (size_t i = first; i < n; i++) {
        if (lens[i] == 0)
            continue;
        if (at > 0) {
            memcpy(joined + at, separator, SEPARATOR_LEN);
            at += SEPARATOR_LEN;
        }
        memcpy(joined + at, comments[i], lens[i]);
        at += lens[i];
    }
    joined[at] = '\0';
    *out_len = at;
    return joined;
}

cg_status cg_article_new_thread(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                                const char *const *comments, const size_t *lens, size_t n, cg_article **out)
{
    if (!model || !ws || !out || (n > 0 && (!comments || !lens)))
        return CG_ERR_INPUT;
    ws->error[0] = '\0';
    if (!text && len > 0)
        return cg_fail(ws, CG_ERR_INPUT, "article is NULL");
    if (len > CG_MAX_COMMENT_BYTES)
        return cg_fail(ws, CG_ERR_INPUT, "article of %zu bytes is longer than the limit of %u bytes", len,
                       CG_MAX_COMMENT_BYTES);
    for (size_t i = 0; i < n; i++)
        if (!comments[i] && lens[i] > 0)
            return cg_fail(ws, CG_ERR_INPUT, "thread comment %zu is NULL", i + 1);
    size_t joined_len;
    char *joined = cg_thread_text(text, len, comments, lens, n, &joined_len);
    if (!joined)
        return cg_fail(ws, CG_ERR_NOMEM, "out of memory for an article with its thread");
    cg_status st = cg_article_new(model, ws, joined, joined_len, out);
    free(joined);
    return st;
}
