/* classify_rows.c - classifying every row of a labelled data set with worker threads (see
 * classify_rows.h). */
#define _POSIX_C_SOURCE 200809L
#include "classify_rows.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* One worker's share of the rows, rows[begin..end). */
typedef struct rows_job {
    const cg_model *model;
    const cg_dataset *ds;
    int use_article;
    cg_result *results; /* indexed like ds->rows */
    size_t begin, end;
    char error[600]; /* why the job stopped, or "" */
    pthread_t thread;
    int threaded; /* runs in `thread` */
} rows_job;

static void job_failed(rows_job *job, const cg_example *row, const char *what, const cg_workspace *ws,
                       cg_status st)
{
    const char *why = cg_workspace_error(ws);
    snprintf(job->error, sizeof job->error, "%s:%ld: %s: %s", job->ds->path, row->line, what,
             *why ? why : cg_strerror(st));
}

static void *classify_rows(void *arg)
{
    rows_job *job = arg;
    cg_workspace *ws = NULL;
    cg_article *article = NULL;
    const char *article_text = NULL; /* what `article` was prepared from (rows share copies) */
    if (cg_workspace_new(job->model, &ws) != CG_OK) {
        snprintf(job->error, sizeof job->error, "out of memory");
        return NULL;
    }
    for (size_t i = job->begin; i < job->end; i++) {
        const cg_example *row = &job->ds->rows[i];
        cg_status st;
        if (job->use_article && row->article && row->article != article_text) {
            cg_article_free(article);
            article = NULL;
            article_text = NULL;
            if ((st = cg_article_new(job->model, ws, row->article, row->article_len, &article)) != CG_OK) {
                job_failed(job, row, "article", ws, st);
                break;
            }
            article_text = row->article;
        }
        const cg_article *a = job->use_article && row->article ? article : NULL;
        cg_comment comment = {row->text, row->text_len, row->author, row->author_url, row->author_email};
        if ((st = cg_classify_comment(job->model, ws, &comment, a, &job->results[i])) != CG_OK) {
            job_failed(job, row, "comment", ws, st);
            break;
        }
    }
    cg_article_free(article);
    cg_workspace_free(ws);
    return NULL;
}

/* Each worker takes a contiguous share: rows of one article are usually neighbours, so each worker
 * prepares each article once. */
int cli_classify_rows(const char *cmd, const cg_model *model, const cg_dataset *ds, int use_article, int threads,
                      cg_result *results)
{
    if ((size_t)threads > ds->n)
        threads = ds->n ? (int)ds->n : 1;
    rows_job *jobs = calloc((size_t)threads, sizeof *jobs);
    if (!jobs) {
        fprintf(stderr, "commentguard: %s: out of memory\n", cmd);
        return -1;
    }
    for (int t = 0; t < threads; t++)
        jobs[t] = (rows_job){.model = model, .ds = ds, .use_article = use_article, .results = results,
                             .begin = ds->n * (size_t)t / (size_t)threads,
                             .end = ds->n * (size_t)(t + 1) / (size_t)threads};
    /* Job 0 runs here; the others in threads, or here too if a thread cannot be started. */
    for (int t = 1; t < threads; t++)
        jobs[t].threaded = pthread_create(&jobs[t].thread, NULL, classify_rows, &jobs[t]) == 0;
    for (int t = 0; t < threads; t++)
        if (!jobs[t].threaded)
            classify_rows(&jobs[t]);
    for (int t = 1; t < threads; t++)
        if (jobs[t].threaded)
            pthread_join(jobs[t].thread, NULL);
    int status = 0;
    for (int t = 0; t < threads && status == 0; t++)
        if (jobs[t].error[0]) {
            fprintf(stderr, "commentguard: %s: %s\n", cmd, jobs[t].error);
            status = -1;
        }
    free(jobs);
    return status;
}
