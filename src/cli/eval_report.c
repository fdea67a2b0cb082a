/* eval_report.c - `commentguard eval --report DIR` (see eval_report.h): gathers what the page shows
 * into one JSON file, runs tools/eval_report.py on it in a temporary directory, and moves the
 * finished page into place. */
#define _GNU_SOURCE /* renameat2 */
#include "eval_report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result_json.h"
#include "tradeoff.h"

extern char **environ;

#define INPUT_NAME "report-input.json" /* the script's input, removed before the page moves */
#define PATH_BYTES 4096

/* Debian's python3-matplotlib belongs to this interpreter, not to whichever python3 PATH finds. */
#define PYTHON "/usr/bin/python3"

/* Where the page's script is: installed beside the default model, or in the source tree. */
static const char *const script_places[] = {CG_INSTALLED_REPORT_SCRIPT, CG_SOURCE_REPORT_SCRIPT};

static int failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int failed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("commentguard: eval: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

/* The trade-off of the unsure band: {"on-topic": {"hold": [...], "miss": [...]}, ...}, a value for
 * each threshold 0.00..1.00. */
static json_t *tradeoff_json(const cli_tradeoff *t)
{
    json_t *o = json_object();
    for (int c = 0; o && c < CG_NUM_CLASSES; c++) {
        json_t *hold = json_array(), *miss = json_array();
        for (int s = 0; s <= CLI_TRADEOFF_STEPS; s++) {
            json_array_append_new(hold, json_real(cli_tradeoff_hold(t, c, s)));
            json_array_append_new(miss, json_real(cli_tradeoff_miss(t, c, s)));
        }
        json_object_set_new(o, cg_label_name((cg_label)c),
                            json_pack("{s:o, s:o, s:I}", "hold", hold, "miss", miss, "support",
                                      (json_int_t)t->support[c]));
    }
    return o;
}

/* One row: {"line", "source", "gold", "label", "p": [3]}, and for a wrong label its "text" and
 * "reasons". NULL if out of memory or the explanation failed (message in ws). */
static json_t *row_json(const cg_model *model, cg_workspace *ws, cli_article_cache *articles, const cg_example *row,
                        const cg_result *r, int use_article)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:[f, f, f]}", "line", (json_int_t)row->line, "source", row->source,
                          "gold", cg_label_name(row->label), "label", cg_label_name(r->label), "p", r->prob[0],
                          r->prob[1], r->prob[2]);
    if (!o || r->label == row->label)
        return o;
    const cg_article *article = NULL;
    json_t *reasons = NULL;
    cg_comment comment = {row->text, row->text_len, row->author, row->author_url, row->author_email};
    if ((!use_article || !row->article ||
         cli_prepare_article(model, ws, articles, row->article, row->article_len, &article) == CG_OK) &&
        (reasons = cli_reasons_json(model, ws, &comment, article, r)) &&
        json_object_set_new(o, "reasons", reasons) == 0 &&
        json_object_set_new(o, "text", json_stringn(row->text, row->text_len)) == 0)
        return o;
    json_decref(o);
    return NULL;
}

/* The script's input, written to path. 0, or -1 after reporting. */
static int write_input(const char *path, const cg_model *model, const cg_dataset *ds, const cg_result *results,
                       int use_article, json_t *summary)
{
    cli_tradeoff *t = malloc(sizeof *t);
    cg_label *gold = malloc(ds->n * sizeof *gold);
    json_t *rows = json_array(), *input = NULL;
    cg_workspace *ws = NULL;
    cli_article_cache articles = {0};
    int ok = t && gold && rows && cg_workspace_new(model, &ws) == CG_OK, reported = 0;
    for (size_t i = 0; ok && i < ds->n; i++) {
        gold[i] = ds->rows[i].label;
        json_t *row = row_json(model, ws, &articles, &ds->rows[i], &results[i], use_article);
        if (!row || json_array_append_new(rows, row) != 0) {
            failed("%s:%ld: cannot explain the comment: %s", ds->path, ds->rows[i].line,
                   *cg_workspace_error(ws) ? cg_workspace_error(ws) : "out of memory");
            ok = 0;
            reported = 1;
        }
    }
    if (ok) {
        cli_tradeoff_count(t, gold, results, ds->n);
        input = json_pack("{s:s, s:s, s:b, s:O, s:o, s:o}", "data", ds->path, "model", cg_model_path(model),
                          "articles", use_article, "summary", summary, "tradeoff", tradeoff_json(t), "rows", rows);
        rows = NULL;
    }
    cli_article_cache_free(&articles);
    cg_workspace_free(ws);
    free(gold);
    free(t);
    json_decref(rows);
    if (!input)
        return reported ? -1 : failed("out of memory");
    int st = json_dump_file(input, path, JSON_COMPACT);
    json_decref(input);
    return st == 0 ? 0 : failed("cannot write %s: %s", path, strerror(errno));
}

/* Run PYTHON SCRIPT INPUT OUTDIR. 0, or -1 after reporting. */
static int run_script(const char *input, const char *out_dir)
{
    const char *script = NULL;
    for (size_t i = 0; i < sizeof script_places / sizeof script_places[0] && !script; i++)
        if (access(script_places[i], R_OK) == 0)
            script = script_places[i];
    if (!script)
        return failed("cannot find the report script (looked for %s and %s)", script_places[0], script_places[1]);
    char *argv[] = {PYTHON, (char *)script, (char *)input, (char *)out_dir, NULL};
    pid_t pid;
    fflush(stdout); /* the report printed so far comes before anything the script says */
    int err = posix_spawn(&pid, PYTHON, NULL, NULL, argv, environ), status = 0;
    if (err != 0)
        return failed("cannot run %s (Debian: python3-matplotlib): %s", PYTHON, strerror(err));
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return failed("waiting for %s: %s", script, strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return failed("%s failed; no report written", script);
    return 0;
}

/* Remove a report directory: its files, then itself (a report has no subdirectories). */
static void remove_report(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[PATH_BYTES + 256];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Whether dir may be replaced by a report: it is a directory that is empty or holds an index.html. */
static int replaceable(const char *dir)
{
    char path[PATH_BYTES + 16];
    snprintf(path, sizeof path, "%s/index.html", dir);
    if (access(path, F_OK) == 0)
        return 1;
    DIR *d = opendir(dir);
    struct dirent *e;
    int empty = d != NULL;
    while (d && (e = readdir(d)) && empty)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    if (d)
        closedir(d);
    return empty;
}

int cli_eval_report(const char *dir, const cg_model *model, const cg_dataset *ds, const cg_result *results,
                    int use_article, json_t *summary)
{
    char tmp[PATH_BYTES], input[PATH_BYTES + 32];
    struct stat sb;
    int exists = stat(dir, &sb) == 0;
    if (exists && (!S_ISDIR(sb.st_mode) || !replaceable(dir)))
        return failed("--report %s: exists and is not an earlier report (no index.html); not replaced", dir);
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dir, (long)getpid()) >= (int)sizeof tmp)
        return failed("--report %s: path too long", dir);
    remove_report(tmp);
    if (mkdir(tmp, 0755) != 0)
        return failed("cannot create %s: %s", tmp, strerror(errno));
    snprintf(input, sizeof input, "%s/%s", tmp, INPUT_NAME);
    int st = write_input(input, model, ds, results, use_article, summary);
    if (st == 0)
        st = run_script(input, tmp);
    unlink(input);
    if (st == 0) {
        /* Swap with an earlier report, which then sits at tmp and goes with it. */
        int moved = exists ? renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) : rename(tmp, dir);
        if (moved != 0)
            st = failed("cannot move the report to %s: %s", dir, strerror(errno));
    }
    remove_report(tmp);
    return st;
}
