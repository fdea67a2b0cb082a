/* akismet.h - the Akismet API in `commentguard serve` (akismet.c): the calls Akismet clients
 * make, answered as Akismet answers them, so that a blog moves to commentguard by changing the
 * host name its client talks to. */
#ifndef CG_SERVE_AKISMET_H
#define CG_SERVE_AKISMET_H

#include <stddef.h>

#include "routes.h"

/* The routes of /1.1/: its calls, and the prefix that gives its other paths Akismet's errors. */
extern const route akismet_routes[];
extern const size_t akismet_route_count;

#endif
