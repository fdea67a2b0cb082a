/* test_routes.c - the routing table of `commentguard serve` (src/serve/routes.c). */
#include <criterion/criterion.h>
#include <stdio.h>

#include "routes.h"

static enum MHD_Result answer_a(struct serve_server *s, struct MHD_Connection *c, const char *b, size_t n)
{
    (void)s, (void)c, (void)b, (void)n;
    return MHD_YES;
}

static enum MHD_Result refuse_a(struct MHD_Connection *c, unsigned st, const char *m, const char *allow)
{
    (void)c, (void)st, (void)m, (void)allow;
    return MHD_YES;
}

static const route api[] = {
    {"/1.1/comment-check", "POST", answer_a, refuse_a},
    {"/1.1/", NULL, NULL, refuse_a},
    {"/1.1/test", "GET, HEAD", answer_a, refuse_a},
    {"/", NULL, NULL, refuse_a},
};

Test(routes, exact_paths_before_prefixes)
{
    routes t = {0};
    cr_assert_eq(routes_add(&t, api, 4), 0);
    cr_assert_eq(routes_find(&t, "/1.1/comment-check"), &t.entry[0]);
    cr_assert_eq(routes_find(&t, "/1.1/test"), &t.entry[2]);
    cr_assert_eq(routes_find(&t, "/1.1/nothing"), &t.entry[1], "the longest prefix");
    cr_assert_eq(routes_find(&t, "/1.1/"), &t.entry[1]);
    cr_assert_eq(routes_find(&t, "/1.1"), &t.entry[3]);
    cr_assert_eq(routes_find(&t, "/1.1/comment-check/"), &t.entry[1], "no trailing-slash match");
}

Test(routes, no_route)
{
    routes t = {0};
    cr_assert_null(routes_find(&t, "/"));
    cr_assert_eq(routes_add(&t, api, 3), 0);
    cr_assert_null(routes_find(&t, "/healthz"));
    cr_assert_null(routes_find(&t, ""));
}

Test(routes, methods)
{
    cr_assert(route_allows(&api[2], "GET"));
    cr_assert(route_allows(&api[2], "HEAD"));
    cr_assert_not(route_allows(&api[2], "GE"));
    cr_assert_not(route_allows(&api[2], "POST"));
    cr_assert(route_allows(&api[0], "POST"));
    cr_assert_not(route_allows(&api[0], "post"), "methods are case-sensitive");
    cr_assert_not(route_allows(&api[1], "GET"), "a prefix answers nothing");
}

Test(routes, duplicates_and_full_table_refused_whole)
{
    routes t = {0};
    cr_assert_eq(routes_add(&t, api, 2), 0);
    cr_assert_eq(routes_add(&t, api + 1, 2), -1, "/1.1/ is routed already");
    cr_assert_eq(t.n, 2, "nothing added");
    route twice[] = {{"/a", "GET", answer_a, refuse_a}, {"/a", "POST", answer_a, refuse_a}};
    cr_assert_eq(routes_add(&t, twice, 2), -1);
    cr_assert_eq(t.n, 2);
    static char paths[ROUTES_MAX][8];
    for (size_t i = 2; i < ROUTES_MAX; i++) {
        snprintf(paths[i], sizeof paths[i], "/p%zu", i);
        route r = {paths[i], "GET", answer_a, refuse_a};
        cr_assert_eq(routes_add(&t, &r, 1), 0);
    }
    route extra = {"/extra", "GET", answer_a, refuse_a};
    cr_assert_eq(routes_add(&t, &extra, 1), -1, "full");
    cr_assert_eq(t.n, ROUTES_MAX);
}
