/* generations.c - the generation directories of `serve --learn DIR`.
 *
 * `train` writes each bundle through a temporary directory renamed into place; generation.json is
 * written into it afterwards (a temporary file synced, then renamed), so a crash at any point
 * leaves either a finished generation or one without generation.json, which is ignored and later
 * removed. A generation names its base by content, not by path: a new default model at the same
 * path is a new base, whose generations start afresh. */
#define _GNU_SOURCE
#include "generations.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static const char prefix[] = "generation-";

/* Hash the file dir/name into h (a missing optional file adds nothing): 0, or -1 with the reason. */
static int hash_file(XXH64_hash_t *h, const char *dir, const char *name, int optional, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional && errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        *h = XXH64(buf, n, *h);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    *h = XXH64(name, strlen(name), *h); /* which file the bytes came from */
    return 0;
}

int generation_base_id(const char *bundle_dir, char id[17], char *err, size_t errlen)
{
    XXH64_hash_t h = 0;
    if (hash_file(&h, bundle_dir, "bundle.json", 0, err, errlen) != 0 ||
        hash_file(&h, bundle_dir, "model.svm", 0, err, errlen) != 0 ||
        hash_file(&h, bundle_dir, "lexicon.txt", 1, err, errlen) != 0)
        return -1;
    snprintf(id, 17, "%016llx", (unsigned long long)h);
    return 0;
}

char *generation_path(const char *dir, long number)
{
    char *p = malloc(strlen(dir) + sizeof prefix + 24);
    if (p)
        sprintf(p, "%s/%s%06ld", dir, prefix, number);
    return p;
}

/* The number of a directory entry named generation-N, or 0. */
static long number_of(const char *name)
{
    if (strncmp(name, prefix, sizeof prefix - 1) != 0)
        return 0;
    char *end;
    long n = strtol(name + sizeof prefix - 1, &end, 10);
    return *end || n <= 0 ? 0 : n;
}

/* Read DIR/generation-N/generation.json: 0, or -1 if it is missing or not one. */
static int read_info(const char *dir, long number, generation_info *g)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%06ld/generation.json", dir, prefix, number);
    json_t *o = json_load_file(path, 0, NULL);
    json_t *base = json_object_get(o, "base"), *rows = json_object_get(o, "site_rows"),
           *lines = json_object_get(o, "feedback_lines");
    int ok = json_is_string(base) && json_string_length(base) == 16 && json_is_integer(rows) &&
             json_integer_value(rows) >= 0 && json_is_integer(lines) && json_integer_value(lines) >= 0;
    if (ok) {
        g->number = number;
        memcpy(g->base, json_string_value(base), 17);
        g->site_rows = (size_t)json_integer_value(rows);
        g->feedback_lines = (size_t)json_integer_value(lines);
    }
    json_decref(o);
    return ok ? 0 : -1;
}

int generation_newest(const char *dir, const char *base, generation_info *out, long *highest)
{
    *highest = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        long n = number_of(e->d_name);
        if (n > *highest)
            *highest = n;
        generation_info g;
        if (n > 0 && (!found || n > out->number) && read_info(dir, n, &g) == 0 && strcmp(g.base, base) == 0) {
            *out = g;
            found = 1;
        }
    }
    closedir(d);
    return found;
}

int generation_seal(const char *dir, const generation_info *g, char *err, size_t errlen)
{
    char path[4096], tmp[4100];
    snprintf(path, sizeof path, "%s/%s%06ld/generation.json", dir, prefix, g->number);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    json_t *o = json_pack("{s:I, s:s, s:I, s:I}", "generation", (json_int_t)g->number, "base", g->base, "site_rows",
                          (json_int_t)g->site_rows, "feedback_lines", (json_int_t)g->feedback_lines);
    char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
    json_decref(o);
    int fd = text ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    size_t len = text ? strlen(text) : 0;
    int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    ok = ok && rename(tmp, path) == 0;
    free(text);
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void generation_prune(const char *dir, long oldest_kept)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long n = number_of(e->d_name);
        /* A trainer stopped half-way leaves its temporary directory, "generation-N.tmp-PID". */
        int leftover = strncmp(e->d_name, prefix, sizeof prefix - 1) == 0 && strstr(e->d_name, ".tmp-");
        if ((n > 0 && n < oldest_kept) || leftover) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        }
    }
    closedir(d);
}
