/*
 * support.h - helpers shared by the library-core tests: temporary directories, small files, and a
 * model bundle trained on fixtures/train/comments.jsonl.
 *
 * Header-only (static inline) so that tests/CMakeLists.txt needs no change: each test_*.c stays
 * one executable. Include it first, after defining _GNU_SOURCE. Criterion runs every test in its
 * own process, so whatever a helper caches is per test.
 */
#ifndef CG_TEST_SUPPORT_H
#define CG_TEST_SUPPORT_H

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "train.h"

#define CG_TRAIN_FIXTURE CG_FIXTURES "/train/comments.jsonl"
#define CG_TRAIN_C 1.0
#define CG_TRAIN_SEED 1u

/* A fresh directory /tmp/cg_<tag>_XXXXXX, written to dir (room for 64 bytes). */
static inline void cgt_make_tmpdir(char dir[64], const char *tag)
{
    snprintf(dir, 64, "/tmp/cg_%s_XXXXXX", tag);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp %s failed", dir);
}

static inline int cgt_remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove dir and everything below it. */
static inline void cgt_remove_tree(const char *dir)
{
    if (dir && *dir)
        nftw(dir, cgt_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write len bytes to dir/name; returns the path (malloc'd, free it). */
static inline char *cgt_write_file(const char *dir, const char *name, const void *data, size_t len)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    cr_assert_not_null(path);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* The whole of a file, NUL-terminated (malloc'd); *len receives its size. */
static inline char *cgt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    cr_assert_geq(size, 0);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
    char *text = malloc((size_t)size + 1);
    cr_assert_not_null(text);
    cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    text[size] = '\0';
    if (len)
        *len = (size_t)size;
    return text;
}

/* The options the fixture bundle is trained with: one C, no search, no class weights, 1 thread. */
static inline void cgt_train_options(cg_train_options *opt, const char *out_dir)
{
    cg_train_options_default(opt, CG_TRAIN_FIXTURE, out_dir);
    opt->n_c = 1;
    opt->c_values[0] = CG_TRAIN_C;
    opt->folds = 0;
    opt->class_weights = 0;
    opt->threads = 1;
    opt->seed = CG_TRAIN_SEED;
}

/* Train a bundle on the fixture into parent/name; returns its path (malloc'd). */
static inline char *cgt_train_bundle(const char *parent, const char *name)
{
    size_t n = strlen(parent) + strlen(name) + 2;
    char *out = malloc(n);
    cr_assert_not_null(out);
    snprintf(out, n, "%s/%s", parent, name);
    cg_train_options opt;
    cgt_train_options(&opt, out);
    cg_train_report report;
    char err[512] = "";
    cg_status st = cg_train_run(&opt, &report, err, sizeof err);
    cr_assert_eq(st, CG_OK, "training on the fixture failed: %s", err);
    cr_assert_eq(report.n_rows, 60);
    cg_train_report_free(&report);
    return out;
}

#endif
