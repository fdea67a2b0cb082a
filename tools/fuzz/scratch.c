/* scratch.c - a private temporary directory for the files a harness feeds the code under test.
 * One per harness process, so its state is file-level. */
#define _POSIX_C_SOURCE 200809L
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[128];
static const char *const *file_names;
static size_t n_files;

static void remove_all(void)
{
    char path[256];
    for (size_t i = 0; i < n_files; i++)
        unlink(scratch_path(file_names[i], path, sizeof path));
    rmdir(dir);
}

void scratch_open(const char *prefix, const char *const *names, size_t n)
{
    snprintf(dir, sizeof dir, "/tmp/%s_XXXXXX", prefix);
    if (!mkdtemp(dir))
        abort();
    file_names = names;
    n_files = n;
    atexit(remove_all);
}

const char *scratch_dir(void)
{
    return dir;
}

const char *scratch_path(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

void scratch_write(const char *name, const uint8_t *data, size_t len)
{
    char path[256];
    scratch_path(name, path, sizeof path);
    if (!data) {
        unlink(path);
        return;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}
