/* akismet_reply.h - what the Akismet calls of `commentguard serve` share (akismet_reply.c): their
 * text answers, their refusals with X-akismet-debug-help, their form, and which key a call
 * carries. */
#ifndef CG_SERVE_AKISMET_REPLY_H
#define CG_SERVE_AKISMET_REPLY_H

#include <microhttpd.h>
#include <stddef.h>

#include "form.h"
#include "server.h"

/* The debug help of a call whose key the server does not accept. */
extern const char akismet_bad_key[];

/* Queue a text/plain answer with extra headers: `headers` holds name, value, ..., NULL; a NULL
 * name ends the list early (so that an optional header can be left out in place). */
enum MHD_Result akismet_reply(struct MHD_Connection *c, unsigned status, const char *text,
                              const char *const *headers);

/* Refuse a call as Akismet does: the HTTP status, the help as the body and in the
 * X-akismet-debug-help header, and an Allow header unless allow is NULL (a route_refuse). */
enum MHD_Result akismet_refuse(struct MHD_Connection *c, unsigned status, const char *help, const char *allow);

/* A call refused because of its key: status 200, the body "invalid" and the help. */
enum MHD_Result akismet_refuse_key(struct MHD_Connection *c, const char *help);

/* The value of a form field, "" when absent. */
const char *akismet_field(const form *f, const char *name);

/* The key a call carries: the "key" field, else the "api_key" field, else, when the Host header is
 * "KEY.DOMAIN[:port]" for the domain the server answers for as Akismet (--akismet-domain; NULL:
 * none), its first label, copied to buf. NULL when the call carries none. */
const char *akismet_call_key(const serve_server *s, struct MHD_Connection *c, const form *f, char *buf,
                             size_t size);

/* Whether the server accepts the key for the call's blog: any key without --keys, else a listed
 * one. */
int akismet_key_accepted(const serve_server *s, const char *key, const form *f);

#endif
