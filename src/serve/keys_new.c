/* keys_new.c - a fresh API key added to a keys file: the key from the kernel's random source
 * (getrandom), the file replaced whole through a temporary file beside it, as train writes a
 * bundle, so that a crash or a full disk never leaves a keys file with half a line or no keys. */
#define _GNU_SOURCE
#include "keys_new.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>


/* The whole file, or an empty one when it does not exist: 0, or -1 with the reason in err. */
static int read_old(const char *path, char **text, size_t *len, mode_t *mode, char *err, size_t errlen)
{
    *text = NULL;
    *len = 0;
    *mode = 0600;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0)
        *mode = st.st_mode & 07777;
    size_t cap = 0;
    int failed = 0;
    for (;;) {
        if (*len == cap) {
            char *p = realloc(*text, cap = cap ? cap * 2 : 4096);
            if (!p) {
                snprintf(err, errlen, "%s: out of memory", path);
                failed = 1;
                break;
            }
            *text = p;
        }
        size_t n = fread(*text + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0)
            break;
    }
    if (!failed && ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        failed = 1;
    }
    fclose(f);
    if (failed) {
        free(*text);
        *text = NULL;
    }
    return failed ? -1 : 0;
}

/* A random key in key[0..KEYS_NEW_LENGTH]: 0, or -1 with the reason in err. */
static int random_key(char key[KEYS_NEW_LENGTH + 1], char *err, size_t errlen)
{
    unsigned char bytes[KEYS_NEW_LENGTH / 2];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno != EINTR) {
            snprintf(err, errlen, "no random bytes: %s", strerror(errno));
            return -1;
        }
        if (n > 0)
            got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof bytes; i++) {
        key[2 * i] = hex[bytes[i] >> 4];
        key[2 * i + 1] = hex[bytes[i] & 15];
    }
    key[KEYS_NEW_LENGTH] = '\0';
    return 0;
}

/* Whether the keys file text already lists key (a word at the start of a line). */
static int listed(const char *text, size_t len, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i + n <= len; i++)
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, key, n) == 0 &&
            (i + n == len || strchr(" \t\r\n", text[i + n])))
            return 1;
    return 0;
}

/* Write data to a temporary file beside path, sync it and rename it over path, then sync the
 * directory: 0, or -1 with the reason in err (path untouched then). */
static int replace_file(const char *path, mode_t mode, const char *data, size_t len, char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16), *dir_copy = strdup(path);
    if (!tmp || !dir_copy) {
        free(tmp);
        free(dir_copy);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp), st = -1;
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
    } else {
        size_t done = 0;
        while (done < len) {
            ssize_t n = write(fd, data + done, len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            done += (size_t)n;
        }
        if (done < len || fchmod(fd, mode) != 0 || fsync(fd) != 0)
            snprintf(err, errlen, "%s: cannot write %s: %s", path, tmp, strerror(errno));
        else if (close(fd) != 0 || (fd = -1, rename(tmp, path) != 0))
            snprintf(err, errlen, "%s: cannot rename %s to it: %s", path, tmp, strerror(errno));
        else
            st = 0;
        if (fd >= 0)
            close(fd);
        if (st != 0)
            unlink(tmp);
    }
    if (st == 0) { /* the rename itself survives a crash once the directory is synced */
        int dir = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY);
        if (dir >= 0) {
            fsync(dir);
            close(dir);
        }
    }
    free(tmp);
    free(dir_copy);
    return st;
}

int keys_new(const char *path, const char *blog, char key[KEYS_NEW_LENGTH + 1], char *err, size_t errlen)
{
    if (blog && (!*blog || strpbrk(blog, " \t\r\n") || blog[0] == '#')) {
        snprintf(err, errlen, "--blog: a URL without blanks, not '%s'", blog);
        return -1;
    }
    char *old;
    size_t len;
    mode_t mode;
    if (read_old(path, &old, &len, &mode, err, errlen) != 0)
        return -1;
    do {
        if (random_key(key, err, errlen) != 0) {
            free(old);
            return -1;
        }
    } while (listed(old ? old : "", len, key));
    size_t cap = len + KEYS_NEW_LENGTH + (blog ? strlen(blog) : 0) + 4;
    char *text = malloc(cap);
    if (!text) {
        free(old);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (len)
        memcpy(text, old, len);
    size_t n = len;
    if (n > 0 && text[n - 1] != '\n')
        text[n++] = '\n';
    n += (size_t)snprintf(text + n, cap - n, "%s%s%s\n", key, blog ? " " : "", blog ? blog : "");
    int st = replace_file(path, mode, text, n, err, errlen);
    free(text);
    free(old);
    return st;
}
