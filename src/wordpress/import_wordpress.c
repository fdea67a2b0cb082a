/* import_wordpress.c - `commentguard import-wordpress`: a WordPress export (WXR) turned into
 * labelled comments for `commentguard train`, each with its post as its article, and the posts
 * as the articles file of `serve --articles`.
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

#include "cli.h"
#include "comment_text.h"
#include "feedback.h"
#include "wxr.h"

static const char usage[] =
    "Usage: commentguard import-wordpress EXPORT.xml --out FILE [--articles FILE] [--approved LABEL]\n"
    "                                     [--spam LABEL] [--pending LABEL] [--trash LABEL]\n"
    "                                     [--pingbacks skip|keep]\n"
    "Turn a WordPress export (Tools > Export, WXR) into labelled comments for `commentguard train`.\n"
    "\n"
    "  --out FILE        the comments, JSON Lines {\"label\", \"text\", \"article\", \"source\",\n"
    "                    \"permalink\", \"comment_id\"}: the text is the comment, a blank line, its\n"
    "                    author's name and URL; the article its post's title, a blank line, its text\n"
    "  --articles FILE   the posts, JSON Lines {\"permalink\", \"title\", \"text\"} for serve --articles\n"
    "  --approved LABEL  the label of approved comments (default on-topic)\n"
    "  --spam LABEL      the label of comments marked as spam (default off-topic)\n"
    "  --pending LABEL   the label of comments awaiting moderation (default skip)\n"
    "  --trash LABEL     the label of trashed comments (default skip)\n"
    "                    LABEL: on-topic, off-topic, abusive, or skip to leave them out\n"
    "  --pingbacks keep  import pingbacks and trackbacks as comments of their status (default skip)\n"
    "\n"
    "Comments of other types (e.g. WooCommerce order notes) are left out and counted. A malformed or\n"
    "truncated export is reported as file:line and nothing is written.\n"
    "Exit status: 0 on success, 1 if the export cannot be read, 2 for usage errors.\n";

enum { S_APPROVED, S_SPAM, S_PENDING, S_TRASH, STATUSES };
static const char *const status_names[STATUSES] = {"approved", "spam", "pending", "trash"};
#define SKIP (-1)

typedef struct import_options {
    const char *export_path, *out_path, *articles_path;
    int label[STATUSES]; /* a cg_label, or SKIP */
    int pingbacks;
} import_options;

/* A file written through a temporary beside it. */
typedef struct output {
    const char *path;
    char *tmp;
    FILE *f;
} output;

typedef struct import_run {
    const import_options *o;
    output comments, articles;
    size_t written[STATUSES], skipped[STATUSES];
    size_t pingbacks, other_types, posts;
} import_run;

static int parse_label(const char *s)
{
    if (strcmp(s, "skip") == 0)
        return SKIP;
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (strcmp(s, cg_label_name((cg_label)k)) == 0)
            return k;
    return -2;
}

static int parse_options(int argc, char **argv, import_options *o)
{
    *o = (import_options){.label = {CG_ON_TOPIC, CG_OFF_TOPIC, SKIP, SKIP}};
    /* The export is the first argument; the options follow. */
    char **args = malloc((size_t)argc * sizeof *args);
    if (!args)
        return CLI_FAILED;
    int n = 0;
    args[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (i == 1 && argv[i][0] != '-')
            o->export_path = argv[i];
        else
            args[n++] = argv[i];
    }
    cli_args a;
    cli_args_init(&a, n, args, usage);
    int st = 0, ret = -1;
    while (ret < 0 && (st = cli_args_next(&a)) > 0) {
        const char *v;
        int status = -1;
        for (int s = 0; s < STATUSES; s++) {
            char name[32];
            snprintf(name, sizeof name, "--%s", status_names[s]);
            if (cli_is(&a, name))
                status = s;
        }
        if (cli_is(&a, "--out")) {
            if (!(o->out_path = cli_value(&a)))
                ret = CLI_USAGE;
        } else if (cli_is(&a, "--articles")) {
            if (!(o->articles_path = cli_value(&a)))
                ret = CLI_USAGE;
        } else if (cli_is(&a, "--pingbacks")) {
            if (!(v = cli_value(&a)))
                ret = CLI_USAGE;
            else if (strcmp(v, "keep") == 0 || strcmp(v, "skip") == 0)
                o->pingbacks = strcmp(v, "keep") == 0;
            else
                ret = cli_usage_error(&a, "--pingbacks: expected skip or keep, not '%s'", v);
        } else if (status >= 0) {
            if (!(v = cli_value(&a)))
                ret = CLI_USAGE;
            else if ((o->label[status] = parse_label(v)) == -2)
                ret = cli_usage_error(&a, "--%s: expected on-topic, off-topic, abusive or skip, not '%s'",
                                      status_names[status], v);
        } else {
            ret = cli_unknown(&a);
        }
    }
    if (ret < 0 && st < 0)
        ret = a.status;
    if (ret < 0 && !o->export_path)
        ret = cli_usage_error(&a, "expected the export file first");
    if (ret < 0 && !o->out_path)
        ret = cli_usage_error(&a, "--out FILE is needed");
    free(args);
    return ret;
}

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
        return S_APPROVED;
    if (strcmp(approved, "0") == 0 || strcmp(approved, "hold") == 0)
        return S_PENDING;
    if (strcmp(approved, "spam") == 0)
        return S_SPAM;
    if (strcmp(approved, "trash") == 0 || strcmp(approved, "post-trashed") == 0)
        return S_TRASH;
    return -1;
}

/* One comment of a post: written, skipped (and counted), or an error. */
static int import_comment(import_run *run, const wxr_comment *c, const char *article, size_t article_len,
                          const char *permalink, char *err, size_t errlen)
{
    const import_options *o = run->o;
    int pingback = strcmp(c->type, "pingback") == 0 || strcmp(c->type, "trackback") == 0;
    if (pingback && !o->pingbacks) {
        run->pingbacks++;
        return 0;
    }
    if (!pingback && *c->type && strcmp(c->type, "comment") != 0 && strcmp(c->type, "review") != 0) {
        run->other_types++;
        return 0;
    }
    int status = comment_status(c->approved);
    if (status < 0) {
        snprintf(err, errlen, "%s:%ld: comment %s: unknown status '%s'", o->export_path, c->line, c->id, c->approved);
        return -1;
    }
    if (o->label[status] == SKIP) {
        run->skipped[status]++;
        return 0;
    }
    size_t len;
    char *text = cli_comment_text(c->content, strlen(c->content), c->author, c->author_url, &len), why[300];
    json_t *record = text ? feedback_record((cg_label)o->label[status], text, len, article, article_len,
                                            "wordpress", why, sizeof why)
                          : NULL;
    if (!record) {
        snprintf(err, errlen, "%s:%ld: comment %s: %s", o->export_path, c->line, c->id, text ? why : "out of memory");
        free(text);
        return -1;
    }
    free(text);
    if ((*permalink && json_object_set_new(record, "permalink", json_string(permalink)) != 0) ||
        json_object_set_new(record, "comment_id", json_string(c->id)) != 0) {
        json_decref(record);
        record = NULL;
    }
    run->written[status]++;
    return write_line(&run->comments, record, err, errlen);
}

static int is_article_type(const char *post_type)
{
    return strcmp(post_type, "post") == 0 || strcmp(post_type, "page") == 0;
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
        run->posts++;
        st = write_line(&run->articles,
                        json_pack("{s:s, s:s, s:s}", "permalink", post->link, "title", post->title, "text",
                                  post->content),
                        err, errlen);
    }
    return st;
}

static void report(const import_run *run)
{
    size_t total = 0;
    for (int s = 0; s < STATUSES; s++)
        total += run->written[s];
    fprintf(stderr, "commentguard: import-wordpress: %zu comments written to %s", total, run->o->out_path);
    for (int s = 0; s < STATUSES; s++)
        if (run->written[s])
            fprintf(stderr, ", %zu %s as %s", run->written[s], status_names[s],
                    cg_label_name((cg_label)run->o->label[s]));
    if (run->o->articles_path)
        fprintf(stderr, "; %zu posts written to %s", run->posts, run->o->articles_path);
    fprintf(stderr, "\ncommentguard: import-wordpress: left out: %zu pending, %zu trash, %zu spam, %zu approved, "
                    "%zu pingbacks and trackbacks, %zu of other types\n",
            run->skipped[S_PENDING], run->skipped[S_TRASH], run->skipped[S_SPAM], run->skipped[S_APPROVED],
            run->pingbacks, run->other_types);
}

int cli_import_wordpress(int argc, char **argv)
{
    import_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    import_run run = {.o = &o};
    char err[1024] = "";
    int st = output_open(&run.comments, o.out_path, err, sizeof err);
    if (st == 0 && o.articles_path)
        st = output_open(&run.articles, o.articles_path, err, sizeof err);
    if (st == 0)
        st = wxr_read(o.export_path, import_item, &run, err, sizeof err);
    /* Both files complete on the disk before either takes its place. */
    if (st == 0)
        st = output_finish(&run.comments, err, sizeof err);
    if (st == 0 && run.articles.f)
        st = output_finish(&run.articles, err, sizeof err);
    if (st == 0)
        st = output_commit(&run.comments, err, sizeof err);
    if (st == 0 && run.articles.tmp)
        st = output_commit(&run.articles, err, sizeof err);
    output_discard(&run.comments);
    output_discard(&run.articles);
    if (st != 0) {
        fprintf(stderr, "commentguard: import-wordpress: %s\n", err);
        return CLI_FAILED;
    }
    report(&run);
    return CLI_OK;
}
