/* akismet.h - the Akismet API in `commentguard serve`: the calls Akismet clients make, answered
 * as Akismet answers them, so that a blog moves to commentguard by changing the host name its
 * client talks to. */
#ifndef CG_SERVE_AKISMET_H
#define CG_SERVE_AKISMET_H

#include <stddef.h>

#include "routes.h"

/* comment-check, submit-spam, submit-ham (akismet.c). */
extern const route akismet_routes[];
extern const size_t akismet_route_count;

/* test, verify-key, get-subscription, get-stats, deactivate, and the prefix /1.1/ that gives its
 * other paths Akismet's errors (akismet_account.c). */
extern const route akismet_account_routes[];
extern const size_t akismet_account_route_count;

#endif
