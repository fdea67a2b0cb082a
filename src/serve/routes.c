/* routes.c - the routing table of `commentguard serve`: a short array searched in order, since a
 * server has a dozen routes and looks one up per request. */
#include "routes.h"

#include <string.h>

static int is_prefix(const route *r)
{
    size_t n = strlen(r->path);
    return n > 0 && r->path[n - 1] == '/';
}

int routes_add(routes *t, const route *r, size_t n)
{
    if (n > ROUTES_MAX - t->n)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < t->n + i; j++) {
            const route *other = j < t->n ? &t->entry[j] : &r[j - t->n];
            if (strcmp(other->path, r[i].path) == 0)
                return -1;
        }
    memcpy(t->entry + t->n, r, n * sizeof *r);
    t->n += n;
    return 0;
}

const route *routes_find(const routes *t, const char *path)
{
    const route *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < t->n; i++) {
        const route *r = &t->entry[i];
        if (!is_prefix(r)) {
            if (strcmp(r->path, path) == 0)
                return r;
            continue;
        }
        size_t n = strlen(r->path);
        if (n > best_len && strncmp(r->path, path, n) == 0) {
            best = r;
            best_len = n;
        }
    }
    return best;
}

int route_allows(const route *r, const char *method)
{
    if (!r->methods)
        return 0;
    size_t n = strlen(method);
    for (const char *p = r->methods; *p;) {
        size_t len = strcspn(p, ", ");
        if (len == n && strncmp(p, method, n) == 0)
            return 1;
        p += len;
        p += strspn(p, ", ");
    }
    return 0;
}
