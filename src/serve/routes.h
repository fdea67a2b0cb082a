/* routes.h - the routing table of `commentguard serve` (routes.c): which handler answers a path,
 * for which methods, and how the route answers errors. The HTTP layer (serve_http.c) dispatches
 * through it and names no API; each API (the JSON API in serve_http.c, Akismet's in akismet.c)
 * exports a constant table of its routes, which serve.c hands over. */
#ifndef CG_SERVE_ROUTES_H
#define CG_SERVE_ROUTES_H

#include <microhttpd.h>
#include <stddef.h>

struct serve_server;

/* Answer a request whose (possibly empty) body is body[0..len); body is NULL when empty. */
typedef enum MHD_Result (*route_answer)(struct serve_server *s, struct MHD_Connection *c, const char *body,
                                        size_t len);

/* Answer an error: an HTTP status, a one-line message, and the Allow header's value (NULL: none). */
typedef enum MHD_Result (*route_refuse)(struct MHD_Connection *c, unsigned status, const char *message,
                                        const char *allow);

typedef struct route {
    const char *path;    /* the exact path; or, ending in '/', a prefix (see answer) */
    const char *methods; /* the methods answered, as an Allow header lists them: "POST", "GET, HEAD" */
    route_answer answer; /* NULL for a prefix: the paths under it that no route takes get 404 */
    route_refuse refuse; /* how the route answers errors: 404, 405, 413, 500, 503 and its own */
} route;

#define ROUTES_MAX 32

typedef struct routes {
    route entry[ROUTES_MAX];
    size_t n;
} routes; /* zero-initialised: empty */

/* Add n routes (copied; their strings must outlive the table): 0, or -1 if the table is full or a
 * path is already routed (nothing added then). */
int routes_add(routes *t, const route *r, size_t n);

/* The route of a path: the route with that exact path, else the longest prefix route it starts
 * with, else NULL. */
const route *routes_find(const routes *t, const char *path);

/* Whether the route answers `method` (one of the names in its methods list). */
int route_allows(const route *r, const char *method);

#endif
