/* akismet.h - the Akismet API in `commentguard serve` (akismet.c): the four calls Akismet clients
 * make, answered as Akismet answers them, so that a blog moves to commentguard by changing the
 * host name its client talks to. */
#ifndef CG_CLI_AKISMET_H
#define CG_CLI_AKISMET_H

#include <microhttpd.h>
#include <stddef.h>

#include "server.h"

typedef enum akismet_call {
    AKISMET_NONE,          /* not an Akismet path */
    AKISMET_COMMENT_CHECK, /* POST /1.1/comment-check */
    AKISMET_SUBMIT_SPAM,   /* POST /1.1/submit-spam */
    AKISMET_SUBMIT_HAM,    /* POST /1.1/submit-ham */
    AKISMET_VERIFY_KEY,    /* POST /1.1/verify-key */
} akismet_call;

/* Which call a request path is. */
akismet_call akismet_route(const char *url);

/* Answer the call whose form-encoded body is body[0..len). */
enum MHD_Result akismet_answer(serve_server *s, struct MHD_Connection *c, akismet_call call, const char *body,
                               size_t len);

/* Refuse a call with an HTTP status and Akismet's X-akismet-debug-help header holding `help`. */
enum MHD_Result akismet_refuse(struct MHD_Connection *c, unsigned status, const char *help);

#endif
