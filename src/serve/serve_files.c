/* serve_files.c - the files `commentguard serve` reads and writes besides the model: the API keys,
 * the articles by permalink (both reloaded on SIGHUP) and the feedback file; and the rule that a
 * server without keys listens on loopback only. */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "server.h"

int serve_open_files(serve_server *s, const char *keys_path, const char *articles_path, const char *feedback_path,
                     const char *state_path)
{
    char err[600];
    size_t cut = 0;
    keys *k = NULL;
    if ((keys_path && keys_load(keys_path, &k, err, sizeof err) != 0) ||
        (articles_path && articles_open(articles_path, &s->articles, err, sizeof err) != 0) ||
        (feedback_path && feedback_open(feedback_path, &s->feedback, &cut, err, sizeof err) != 0) ||
        akismet_stats_open(state_path, &s->stats, err, sizeof err) != 0) {
        fprintf(stderr, "commentguard: serve: %s\n", err);
        keys_free(k);
        s->keys = NULL;
        serve_close_files(s);
        return -1;
    }
    s->keys = k;
    s->keys_path = keys_path;
    if (cut)
        fprintf(stderr, "commentguard: serve: %s: removed an unfinished last line (%zu bytes) left by a crash\n",
                feedback_path, cut);
    if (s->articles) {
        const article_table *t = articles_acquire(s->articles);
        fprintf(stderr, "commentguard: serve: %zu articles from %s\n", articles_count(t), articles_path);
        articles_release(s->articles, t);
    }
    return 0;
}

void serve_close_files(serve_server *s)
{
    keys_free((keys *)s->keys);
    for (size_t i = 0; i < s->keys_retired_n; i++)
        keys_free(s->keys_retired[i]);
    free(s->keys_retired);
    s->keys_retired = NULL;
    s->keys_retired_n = 0;
    articles_close(s->articles);
    feedback_close(s->feedback);
    akismet_stats_close(s->stats);
    s->stats = NULL;
    s->keys = NULL;
    s->articles = NULL;
    s->feedback = NULL;
}

/* SIGHUP: the keys file read again and swapped in, the table it replaces retired. */
static void reload_keys(serve_server *s)
{
    char err[600];
    keys *k;
    if (!s->keys_path)
        return;
    if (keys_load(s->keys_path, &k, err, sizeof err) != 0) {
        fprintf(stderr, "commentguard: serve: SIGHUP: kept the keys loaded before: %s\n", err);
        return;
    }
    keys **grown = realloc(s->keys_retired, (s->keys_retired_n + 1) * sizeof *grown);
    if (!grown) {
        keys_free(k);
        fprintf(stderr, "commentguard: serve: SIGHUP: kept the keys loaded before: out of memory\n");
        return;
    }
    s->keys_retired = grown;
    s->keys_retired[s->keys_retired_n++] = (keys *)s->keys;
    s->keys = k;
    fprintf(stderr, "commentguard: serve: SIGHUP: reloaded the keys\n");
}

void serve_reload(serve_server *s)
{
    char err[600];
    reload_keys(s);
    if (!s->articles) {
        fprintf(stderr, "commentguard: serve: SIGHUP: no --articles to reload\n");
    } else if (articles_reload(s->articles, err, sizeof err) != 0) {
        fprintf(stderr, "commentguard: serve: SIGHUP: kept the articles loaded before: %s\n", err);
    } else {
        const article_table *t = articles_acquire(s->articles);
        fprintf(stderr, "commentguard: serve: SIGHUP: reloaded %zu articles\n", articles_count(t));
        articles_release(s->articles, t);
    }
}

int serve_is_loopback(const struct addrinfo *addr)
{
    if (addr->ai_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr->ai_addr;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (addr->ai_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)addr->ai_addr)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return 0;
}
