/* near_copy_file.c - the near-copy index kept in `serve --learn DIR`, as DIR/near-copies.jsonl.
 *
 * One JSON line per correction: {"id", "received", "label", "shingles", "sketch": hex of its
 * hashes}. Only sketches are kept, never the text (the feedback file holds that), so a line is at
 * most about 2 KB whatever the comment. Crash safety as in feedback.c: a line is appended with one
 * write(2) and synced before the correction is answered; a line a crash left unfinished is cut off
 * when the file is next opened. Bounded: once the file holds twice the index's capacity in lines,
 * it is rewritten with the corrections the index holds (a temporary file synced, then renamed over
 * it, then the directory synced), so a crash leaves either the old file or the new one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "near_copy_file.h"

struct near_copies {
    near_copy_index *index;
    pthread_mutex_t lock; /* serialises appends and compaction */
    int fd;               /* the file, for appending */
    char *path, *tmp_path, *dir;
    size_t lines; /* lines in the file */
};

static int label_of(const char *name)
{
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (strcmp(name, cg_label_name((cg_label)k)) == 0)
            return k;
    return -1;
}

/* One line as a JSON text with its newline: a new string, or NULL if out of memory. */
static char *line_of(const near_copy_entry *e, const near_copy_sketch *s)
{
    char hex[NEAR_COPY_SKETCH * 16 + 1];
    for (unsigned j = 0; j < s->n; j++)
        snprintf(hex + 16 * j, 17, "%016" PRIx64, s->hash[j]);
    hex[16 * s->n] = '\0';
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)e->id, "received", e->received, "label",
                          cg_label_name(e->label), "shingles", (json_int_t)s->shingles, "sketch", hex);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    size_t len = text ? strlen(text) : 0;
    char *line = text ? realloc(text, len + 2) : NULL;
    if (!line) {
        free(text);
        return NULL;
    }
    memcpy(line + len, "\n", 2);
    return line;
}

/* Parse one line into e and s: 0, or -1 with the reason in err. */
static int parse_line(const char *line, near_copy_entry *e, near_copy_sketch *s, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
    json_t *id = json_object_get(o, "id"), *received = json_object_get(o, "received"),
           *label = json_object_get(o, "label"), *shingles = json_object_get(o, "shingles"),
           *sketch = json_object_get(o, "sketch");
    int k = json_is_string(label) ? label_of(json_string_value(label)) : -1;
    size_t hex_len = json_string_length(sketch);
    int st = -1;
    if (!o)
        snprintf(err, errlen, "invalid JSON: %s", jerr.text);
    else if (!json_is_integer(id) || json_integer_value(id) < 1 || !json_is_string(received) ||
             json_string_length(received) >= sizeof e->received || k < 0 || !json_is_integer(shingles) ||
             json_integer_value(shingles) < 0 || !json_is_string(sketch) || hex_len % 16 != 0 ||
             hex_len / 16 > NEAR_COPY_SKETCH)
        snprintf(err, errlen, "not a near-copy line (\"id\", \"received\", \"label\", \"shingles\", \"sketch\")");
    else
        st = 0;
    if (st == 0) {
        e->id = (long)json_integer_value(id);
        snprintf(e->received, sizeof e->received, "%s", json_string_value(received));
        e->label = (cg_label)k;
        s->n = (unsigned)(hex_len / 16);
        s->shingles = (unsigned)json_integer_value(shingles);
        const char *hex = json_string_value(sketch);
        for (unsigned j = 0; j < s->n && st == 0; j++) {
            char digits[17], *end;
            memcpy(digits, hex + 16 * j, 16);
            digits[16] = '\0';
            s->hash[j] = strtoull(digits, &end, 16);
            if (*end || (j > 0 && s->hash[j] <= s->hash[j - 1])) {
                snprintf(err, errlen, "\"sketch\" must be ascending 16-digit hexadecimal hashes");
                st = -1;
            }
        }
    }
    json_decref(o);
    return st;
}

/* Read the file into n's index, cutting a torn last line: 0, or -1 with "path:line: reason". */
static int load(near_copies *n, size_t *cut, char *err, size_t errlen)
{
    *cut = 0;
    FILE *f = fdopen(dup(n->fd), "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", n->path, strerror(errno));
        return -1;
    }
    char *line = NULL, why[300];
    size_t cap = 0;
    ssize_t got;
    off_t whole = 0; /* the bytes of whole lines */
    int st = 0;
    while (st == 0 && (got = getline(&line, &cap, f)) > 0) {
        if (line[got - 1] != '\n') {
            *cut = (size_t)got;
            break;
        }
        near_copy_entry e;
        near_copy_sketch s;
        n->lines++;
        if (parse_line(line, &e, &s, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s:%zu: %s (remove the file to start the index afresh)", n->path, n->lines, why);
            st = -1;
        } else {
            near_copy_add(n->index, &e, &s);
        }
        whole += got;
    }
    free(line);
    fclose(f);
    if (st == 0 && *cut && (ftruncate(n->fd, whole) != 0 || fdatasync(n->fd) != 0)) {
        snprintf(err, errlen, "%s: cannot cut the unfinished last line: %s", n->path, strerror(errno));
        st = -1;
    }
    return st;
}

static char *joined(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, name);
    return p;
}

int near_copies_open(const char *dir, size_t capacity, near_copies **out, size_t *cut, char *err, size_t errlen)
{
    *out = NULL;
    *cut = 0;
    near_copies *n = calloc(1, sizeof *n);
    if (!n || !(n->index = near_copy_new(capacity)) || !(n->path = joined(dir, "near-copies.jsonl")) ||
        !(n->tmp_path = joined(dir, "near-copies.jsonl.tmp")) || !(n->dir = strdup(dir)) ||
        pthread_mutex_init(&n->lock, NULL) != 0) {
        snprintf(err, errlen, "%s: out of memory", dir);
        if (n) {
            near_copy_free(n->index);
            free(n->path);
            free(n->tmp_path);
            free(n->dir);
            free(n);
        }
        return -1;
    }
    n->fd = open(n->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (n->fd < 0) {
        snprintf(err, errlen, "%s: %s", n->path, strerror(errno));
        near_copies_close(n);
        return -1;
    }
    if (load(n, cut, err, errlen) != 0) {
        near_copies_close(n);
        return -1;
    }
    *out = n;
    return 0;
}

void near_copies_close(near_copies *n)
{
    if (!n)
        return;
    if (n->fd >= 0)
        close(n->fd);
    pthread_mutex_destroy(&n->lock);
    near_copy_free(n->index);
    free(n->path);
    free(n->tmp_path);
    free(n->dir);
    free(n);
}

int near_copies_find(near_copies *n, const char *text, size_t len, near_copy_match *m)
{
    near_copy_sketch s;
    return near_copy_sketch_of(text, len, NEAR_COPY_WORDS, &s) == 0 && near_copy_find(n->index, &s, m);
}

typedef struct rewrite {
    int fd;
    size_t lines;
    int failed;
} rewrite;

static void write_entry(void *arg, const near_copy_entry *e, const near_copy_sketch *s)
{
    rewrite *w = arg;
    char *line = w->failed ? NULL : line_of(e, s);
    size_t len = line ? strlen(line) : 0;
    if (!line || write(w->fd, line, len) != (ssize_t)len)
        w->failed = 1;
    w->lines++;
    free(line);
}

/* Rewrite the file with the corrections the index holds (n->lock held): 0, or -1 with the reason. */
static int compact(near_copies *n, char *err, size_t errlen)
{
    rewrite w = {.fd = open(n->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)};
    if (w.fd < 0) {
        snprintf(err, errlen, "%s: %s", n->tmp_path, strerror(errno));
        return -1;
    }
    near_copy_each(n->index, write_entry, &w);
    int fd = -1, dir = -1;
    if (w.failed || fdatasync(w.fd) != 0 || close(w.fd) != 0 || rename(n->tmp_path, n->path) != 0 ||
        (fd = open(n->path, O_RDWR | O_APPEND | O_CLOEXEC)) < 0 ||
        (dir = open(n->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(dir) != 0) {
        snprintf(err, errlen, "cannot compact %s: %s", n->path, w.failed ? "a write failed" : strerror(errno));
        if (w.failed)
            close(w.fd);
        unlink(n->tmp_path);
        if (fd >= 0)
            close(fd);
        if (dir >= 0)
            close(dir);
        return -1;
    }
    close(dir);
    close(n->fd);
    n->fd = fd;
    n->lines = w.lines;
    return 0;
}

int near_copies_add(near_copies *n, const char *text, size_t len, cg_label label, char *err, size_t errlen)
{
    near_copy_sketch s;
    if (near_copy_sketch_of(text, len, NEAR_COPY_WORDS, &s) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (s.shingles < NEAR_COPY_MIN_SHINGLES)
        return 0;
    near_copy_entry e = {.label = label};
    time_t now = time(NULL);
    struct tm utc;
    strftime(e.received, sizeof e.received, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &utc));
    pthread_mutex_lock(&n->lock);
    e.id = near_copy_last_id(n->index) + 1;
    char *line = line_of(&e, &s);
    size_t line_len = line ? strlen(line) : 0;
    const char *why = NULL;
    off_t start = lseek(n->fd, 0, SEEK_END);
    ssize_t written = !line || start < 0 ? -1 : write(n->fd, line, line_len);
    if (!line)
        why = "out of memory";
    else if (written < 0)
        why = strerror(errno);
    else if ((size_t)written != line_len)
        why = "the disk is full";
    else if (fdatasync(n->fd) != 0)
        why = strerror(errno);
    free(line);
    int st = 0;
    if (why) {
        snprintf(err, errlen, "cannot write %s: %s", n->path, why);
        if (start >= 0 && ftruncate(n->fd, start) == 0)
            fdatasync(n->fd);
        st = -1;
    } else {
        near_copy_add(n->index, &e, &s);
        if (++n->lines >= 2 * near_copy_count(n->index) + 64 && compact(n, err, errlen) != 0)
            st = 1;
    }
    pthread_mutex_unlock(&n->lock);
    return st;
}

size_t near_copies_count(near_copies *n)
{
    return near_copy_count(n->index);
}
