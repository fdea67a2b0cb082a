/* wxr.h - reading a WordPress export (WXR: the RSS file Tools > Export writes) as a stream, one
 * post at a time with its comments, in bounded memory whatever the file's size (wxr.c). */
#ifndef CG_CLI_WXR_H
#define CG_CLI_WXR_H

#include <stddef.h>

/* Element text as read (entities and CDATA decoded, UTF-8, NUL-terminated; "" when absent). */
typedef struct wxr_post {
    const char *title, *link, *content; /* <title>, <link> (the permalink), <content:encoded> */
    const char *post_type, *status;     /* <wp:post_type> ("post", "page", ...), <wp:status> */
    long line;                          /* where the <item> starts */
} wxr_post;

typedef struct wxr_comment {
    const char *id, *author, *author_url, *author_email, *content;
    const char *approved; /* <wp:comment_approved>: "1", "0" (pending), "spam", "trash", ... */
    const char *type;     /* <wp:comment_type>: "", "comment", "pingback", "trackback", ... */
    long line;            /* where the <wp:comment> starts */
} wxr_comment;

/* Called at the end of each <item>: 0 to go on, or -1 with "file:line: reason" in err. */
typedef int (*wxr_item_fn)(void *ctx, const wxr_post *post, const wxr_comment *comments, size_t n, char *err,
                           size_t errlen);

/* Read the export at path, calling fn for each item in order: 0, or -1 with "path:line: reason"
 * in err (malformed or truncated XML, not a WXR file, or fn's own error). No external entity or
 * network access. */
int wxr_read(const char *path, wxr_item_fn fn, void *ctx, char *err, size_t errlen);

#endif
