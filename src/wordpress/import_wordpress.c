/* import_wordpress.c - a WordPress export (WXR) turned into labelled comments for `commentguard
 * train`, each with its post as its article, and the posts as the articles file of
 * `serve --articles`.
 *
 * Both files are written to temporary files beside them, synced and renamed into place only when
 * the whole export has been read: a malformed or truncated export leaves nothing behind. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "article_text.h"
#include "feedback.h"
#include "import_wordpress.h"
#include "wxr.h"

/* A file written through a temporary beside it. */
typedef struct output {
    const char *path;
    char *tmp;
    FILE *f;
} output;

typedef struct import_run {
    const wp_import_options *o;
    output comments, articles;
    wp_import_counts *count;
} import_run;

const char *const wp_status_names[WP_STATUSES] = {"approved", "spam", "pending", "trash"};

static int output_open(output *out, const char *path, char *err, size_t errlen)
{
    *out = (output){.path = path};
    size_t n = strlen(path) + sizeof ".XXXXXX";
    int fd = -1;
    if ((out->tmp = malloc(n))) {
        snprintf(out->tmp, n, "%s.XXXXXX", path);
        fd = mkstemp(out->tmp);
    }
    if (fd >= 0) { /* mkstemp makes it private; the file gets the mode any new file would */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(out->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(out->tmp);
        }
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Flush, sync and close the temporary file: 0, or -1 with the reason in err. */
static int output_finish(output *out, char *err, size_t errlen)
{
    int ok = fflush(out->f) == 0 && !ferror(out->f) && fsync(fileno(out->f)) == 0;
    ok = fclose(out->f) == 0 && ok;
    out->f = NULL;
    if (!ok)
        snprintf(err, errlen, "%s: cannot write the file: %s", out->path, strerror(errno));
    return ok ? 0 : -1;
}

/* Put the finished temporary file in the file's place: 0, or -1 with the reason in err. */
static int output_commit(output *out, char *err, size_t errlen)
{
    if (rename(out->tmp, out->path) != 0) {
        snprintf(err, errlen, "%s: cannot rename %s to it: %s", out->path, out->tmp, strerror(errno));
        return -1;
    }
    free(out->tmp);
    out->tmp = NULL;
    return 0;
}

/* Remove the temporary file, if any is left. */
static void output_discard(output *out)
{
    if (out->f)
        fclose(out->f);
    if (out->tmp)
        unlink(out->tmp);
    free(out->tmp);
    *out = (output){0};
}

/* Write `o` as one line (consumed): 0, or -1 with the reason. */
static int write_line(output *out, json_t *o, char *err, size_t errlen)
{
    int st = o && json_dumpf(o, out->f, JSON_COMPACT) == 0 && fputc('\n', out->f) != EOF ? 0 : -1;
    json_decref(o);
    if (st != 0)
        snprintf(err, errlen, "%s: cannot write the file: %s", out->path, o ? strerror(errno) : "out of memory");
    return st;
}

/* Which status a comment has, or -1 if WordPress has no such status. */
static int comment_status(const char *approved)
{
    if (strcmp(approved, "1") == 0 || strcmp(approved, "approve") == 0)
        return WP_APPROVED;
    if (strcmp(approved, "0") == 0 || strcmp(approved, "hold") == 0)
        return WP_PENDING;
    if (strcmp(approved, "spam") == 0)
        return WP_SPAM;
    if (strcmp(approved, "trash") == 0 || strcmp(approved, "post-trashed") == 0)
        return WP_TRASH;
    return -1;
}

/* Whether a comment's <wp:comment_type> is a reader's comment (or a product review), not a pingback,
 * a trackback or a plugin's note. */
static int is_comment_type(const char *type)
{
    return !*type || strcmp(type, "comment") == 0 || strcmp(type, "review") == 0;
}

/* One comment of a post: written, skipped (and counted), or an error. */
static int import_comment(import_run *run, const wxr_comment *c, const char *article, size_t article_len,
                          const char *permalink, char *err, size_t errlen)
{
    const wp_import_options *o = run->o;
    int pingback = strcmp(c->type, "pingback") == 0 || strcmp(c->type, "trackback") == 0;
    if (pingback && !o->pingbacks) {
        run->count->pingbacks++;
        return 0;
    }
    if (!pingback && !is_comment_type(c->type)) {
        run->count->other_types++;
        return 0;
    }
    int status = comment_status(c->approved);
    if (status < 0) {
        snprintf(err, errlen, "%s:%ld: comment %s: unknown status '%s'", o->export_path, c->line, c->id, c->approved);
        return -1;
    }
    if (o->label[status] == WP_SKIP) {
        run->count->skipped[status]++;
        return 0;
    }
    char why[300];
    cg_comment comment = {c->content, strlen(c->content), c->author, c->author_url, c->author_email};
    json_t *record = feedback_record((cg_label)o->label[status], &comment, article, article_len, "wordpress", why,
                                     sizeof why);
    if (!record) {
        snprintf(err, errlen, "%s:%ld: comment %s: %s", o->export_path, c->line, c->id, why);
        return -1;
    }
    if ((*permalink && json_object_set_new(record, "permalink", json_string(permalink)) != 0) ||
        json_object_set_new(record, "comment_id", json_string(c->id)) != 0) {
        json_decref(record);
        record = NULL;
    }
    run->count->written[status]++;
    return write_line(&run->comments, record, err, errlen);
}

static int is_article_type(const char *post_type)
{
    return strcmp(post_type, "post") == 0 || strcmp(post_type, "page") == 0;
}

/* Comments by their number (WordPress numbers them as they are posted), the export's order between
 * ids that are not numbers. */
typedef struct numbered {
    unsigned long long id;
    size_t at;
} numbered;

static int by_number(const void *a, const void *b)
{
    const numbered *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

/* A post's "thread" for the articles file: the contents of its latest `max` approved comments (not
 * pingbacks, not other types), oldest first. A new reference, or NULL if out of memory. */
static json_t *approved_thread(const wxr_comment *comments, size_t n, size_t max)
{
    numbered *order = malloc((n + 1) * sizeof *order);
    json_t *thread = json_array();
    if (!order || !thread) {
        free(order);
        json_decref(thread);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (comment_status(comments[i].approved) == WP_APPROVED && is_comment_type(comments[i].type))
            order[k++] = (numbered){strtoull(comments[i].id, NULL, 10), i};
    }
    qsort(order, k, sizeof *order, by_number);
    for (size_t i = k > max ? k - max : 0; thread && i < k; i++)
        if (json_array_append_new(thread, json_string(comments[order[i].at].content)) != 0) {
            json_decref(thread);
            thread = NULL;
        }
    free(order);
    return thread;
}

/* A post's line in the articles file: {"permalink", "title", "text"} and, with o->thread, "thread". */
static json_t *article_line(const wp_import_options *o, const wxr_post *post, const wxr_comment *comments, size_t n)
{
    json_t *line = json_pack("{s:s, s:s, s:s}", "permalink", post->link, "title", post->title, "text", post->content);
    if (line && o->thread > 0 && json_object_set_new(line, "thread", approved_thread(comments, n, o->thread)) != 0) {
        json_decref(line);
        line = NULL;
    }
    return line;
}

/* One <item>: its comments, and its line in the articles file. */
static int import_item(void *ctx, const wxr_post *post, const wxr_comment *comments, size_t n, char *err,
                       size_t errlen)
{
    import_run *run = ctx;
    size_t article_len;
    char *article = cli_article_text(post->title, post->content, strlen(post->content), &article_len);
    if (!article) {
        snprintf(err, errlen, "%s:%ld: out of memory", run->o->export_path, post->line);
        return -1;
    }
    int st = 0;
    for (size_t i = 0; st == 0 && i < n; i++)
        st = import_comment(run, &comments[i], article, article_len, post->link, err, errlen);
    free(article);
    if (st == 0 && run->articles.f && *post->link && (n > 0 || is_article_type(post->post_type))) {
        run->count->posts++;
        st = write_line(&run->articles, article_line(run->o, post, comments, n), err, errlen);
    }
    return st;
}

int wp_import(const wp_import_options *o, wp_import_counts *count, char *err, size_t errlen)
{
    import_run run = {.o = o, .count = count};
    *count = (wp_import_counts){0};
    int st = output_open(&run.comments, o->out_path, err, errlen);
    if (st == 0 && o->articles_path)
        st = output_open(&run.articles, o->articles_path, err, errlen);
    if (st == 0)
        st = wxr_read(o->export_path, import_item, &run, err, errlen);
    /* Both files complete on the disk before either takes its place. */
    if (st == 0)
        st = output_finish(&run.comments, err, errlen);
    if (st == 0 && run.articles.f)
        st = output_finish(&run.articles, err, errlen);
    if (st == 0)
        st = output_commit(&run.comments, err, errlen);
    if (st == 0 && run.articles.tmp)
        st = output_commit(&run.articles, err, errlen);
    output_discard(&run.comments);
    output_discard(&run.articles);
    return st == 0 ? 0 : -1;
}
