/* serve_http.h - the libmicrohttpd callbacks of `commentguard serve` (serve_http.c), which answer
 * requests through the server's routing table, and the JSON API's routes. */
#ifndef CG_SERVE_HTTP_H
#define CG_SERVE_HTTP_H

#include <microhttpd.h>
#include <stddef.h>

#include "routes.h"

/* POST /v1/classify, POST /v1/feedback, GET /healthz. */
extern const route serve_json_routes[];
extern const size_t serve_json_route_count;

/* The access handler (cls: the serve_server) and the request-completed callback. */
enum MHD_Result serve_handle(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size,
                             void **req_cls);
void serve_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                     enum MHD_RequestTerminationCode toe);

#endif
