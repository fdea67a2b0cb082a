/* feedback.c - appending feedback lines so that each is whole or absent.
 *
 * - A line is built whole in memory (compact JSON has no raw newline) and written with one
 *   write(2) on a descriptor opened with O_APPEND, under a mutex, so that lines of concurrent
 *   requests never interleave; an exclusive flock keeps a second server off the same file.
 * - fdatasync follows before the caller answers: an acknowledged line survives a crash.
 * - A short or failed write or sync is undone with ftruncate back to where the line began.
 * - What nothing can undo in-process, a kill or power loss in the middle of a write, can leave the
 *   start of a line without its newline at the end of the file: feedback_open cuts such a tail
 *   before appending anything, so no reader ever sees it joined to the next line. */
#define _GNU_SOURCE
#include "feedback.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct feedback {
    int fd;
    pthread_mutex_t lock;
};

/* Sync the directory holding path, so that a file just created there stays. */
static int sync_directory(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int dir = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (dir < 0)
        return -1;
    int st = fsync(dir);
    close(dir);
    return st;
}

/* Cut whatever follows the last newline of the file (a line a crash left unfinished). */
static int cut_torn_tail(int fd, size_t *cut)
{
    *cut = 0;
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return -1;
    off_t end = sb.st_size, pos = end;
    char block[4096];
    while (pos > 0) {
        size_t n = pos < (off_t)sizeof block ? (size_t)pos : sizeof block;
        if (pread(fd, block, n, pos - (off_t)n) != (ssize_t)n)
            return -1;
        char *nl = memrchr(block, '\n', n);
        if (nl) {
            pos = pos - (off_t)n + (nl - block) + 1;
            break;
        }
        pos -= (off_t)n;
    }
    if (pos == end)
        return 0;
    if (ftruncate(fd, pos) != 0 || fdatasync(fd) != 0)
        return -1;
    *cut = (size_t)(end - pos);
    return 0;
}

int feedback_open(const char *path, feedback **out, size_t *cut, char *err, size_t errlen)
{
    *out = NULL;
    int existed = access(path, F_OK) == 0;
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    const char *why = NULL;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0)
        why = errno == EWOULDBLOCK ? "another process is writing this file" : strerror(errno);
    else if (cut_torn_tail(fd, cut) != 0 || (!existed && sync_directory(path) != 0))
        why = strerror(errno);
    feedback *f = why ? NULL : malloc(sizeof *f);
    if (!why && !f)
        why = "out of memory";
    if (f && pthread_mutex_init(&f->lock, NULL) != 0) {
        free(f);
        f = NULL;
        why = "cannot create a lock";
    }
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, why);
        close(fd);
        return -1;
    }
    f->fd = fd;
    *out = f;
    return 0;
}

void feedback_close(feedback *f)
{
    if (!f)
        return;
    close(f->fd);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* s[0..len) as a JSON string if it is text `train` reads back, else NULL with the reason (naming
 * `what`) in err. */
static json_t *checked_string(const char *what, const char *s, size_t len, char *err, size_t errlen)
{
    json_t *j = NULL;
    if (len > CG_MAX_COMMENT_BYTES)
        snprintf(err, errlen, "the %s is longer than %u bytes", what, (unsigned)CG_MAX_COMMENT_BYTES);
    else if (memchr(s, '\0', len))
        snprintf(err, errlen, "the %s holds a NUL byte", what);
    else if (!(j = json_stringn(s, len))) /* jansson refuses invalid UTF-8 */
        snprintf(err, errlen, "the %s is not valid UTF-8", what);
    return j;
}

/* Set the author members of the record that are given: 0, or -1 with the reason in err. */
static int add_author(json_t *o, const cg_comment *c, char *err, size_t errlen)
{
    static const char *const keys[3] = {"author", "author_url", "author_email"};
    const char *value[3] = {c->author, c->author_url, c->author_email};
    if (value[2]) { /* the domain only: after the last '@' */
        const char *at = strrchr(value[2], '@');
        value[2] = at ? at + 1 : value[2];
    }
    for (int k = 0; k < 3; k++) {
        if (!value[k] || !*value[k])
            continue;
        char what[32], *domain = NULL;
        snprintf(what, sizeof what, "\"%s\"", keys[k]);
        if (k == 2 && asprintf(&domain, "@%s", value[k]) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        const char *v = domain ? domain : value[k];
        json_t *j = checked_string(what, v, strlen(v), err, errlen);
        free(domain);
        if (!j || json_object_set_new(o, keys[k], j) != 0) {
            if (j)
                snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

json_t *feedback_record(cg_label label, const cg_comment *comment, const char *article, size_t article_len,
                        const char *source, char *err, size_t errlen)
{
    json_t *t = checked_string("comment", comment->text ? comment->text : "", comment->len, err, errlen);
    json_t *a = t && article ? checked_string("article", article, article_len, err, errlen) : NULL;
    if (!t || (article && !a)) {
        json_decref(t);
        return NULL;
    }
    json_t *o = json_pack("{s:s, s:o, s:s}", "label", cg_label_name(label), "text", t, "source", source);
    if (!o) {
        json_decref(a);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (a && json_object_set_new(o, "article", a) != 0) {
        snprintf(err, errlen, "out of memory");
        json_decref(o);
        return NULL;
    }
    if (add_author(o, comment, err, errlen) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int feedback_append(feedback *f, json_t *record, char *err, size_t errlen)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm utc;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &utc));
    if (json_object_set_new(record, "received", json_string(stamp)) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char *text = json_dumps(record, JSON_COMPACT);
    size_t len = text ? strlen(text) : 0;
    char *line = text ? realloc(text, len + 2) : NULL;
    if (!line) {
        free(text);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    line[len++] = '\n';
    line[len] = '\0';
    pthread_mutex_lock(&f->lock);
    const char *why = NULL;
    off_t start = lseek(f->fd, 0, SEEK_END);
    ssize_t written = start < 0 ? -1 : write(f->fd, line, len);
    if (written < 0)
        why = strerror(errno);
    else if ((size_t)written != len)
        why = "the disk is full";
    else if (fdatasync(f->fd) != 0)
        why = strerror(errno);
    if (why) {
        snprintf(err, errlen, "cannot write the feedback file: %s", why);
        if (start >= 0 && ftruncate(f->fd, start) == 0)
            fdatasync(f->fd);
    }
    pthread_mutex_unlock(&f->lock);
    free(line);
    return why ? -1 : 0;
}
