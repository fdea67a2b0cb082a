/* main.c - the commentguard program: picks the subcommand, and holds the helpers the subcommands
 * share (option walking, number parsing, opening the model). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define OUTPUT_BUFFER (1u << 20)

static const char usage[] =
    "Usage: commentguard <command> [options]\n"
    "Classify blog comments as on-topic, off-topic or abusive.\n"
    "\n"
    "Commands:\n"
    "  score   classify comments read from standard input\n"
    "  eval    measure a model on labelled comments\n"
    "  train   build a model bundle from labelled comments\n"
    "  vectors write the training vectors of labelled comments for other trainers\n"
    "  serve   classify comments over HTTP\n"
    "  import-wordpress  labelled comments and articles from a WordPress export\n"
    "  thresholds  choose the thresholds of the unsure band from labelled comments\n"
    "\n"
    "  commentguard <command> --help   the options of a command\n"
    "  commentguard --version          the library version\n";

void cli_args_init(cli_args *a, int argc, char **argv, const char *usage_text)
{
    *a = (cli_args){.cmd = argv[0], .usage = usage_text, .argc = argc, .argv = argv, .next = 1};
}

int cli_args_next(cli_args *a)
{
    if (a->next >= a->argc)
        return 0;
    const char *arg = a->argv[a->next++];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        fputs(a->usage, stdout);
        a->status = CLI_OK;
        return -1;
    }
    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
        a->opt = arg;
        a->opt_len = strlen(arg);
        a->status = cli_usage_error(a, "unexpected argument '%s'", arg);
        return -1;
    }
    const char *eq = strchr(arg, '=');
    a->opt = arg;
    a->opt_len = eq ? (size_t)(eq - arg) : strlen(arg);
    a->inline_value = eq ? eq + 1 : NULL;
    return 1;
}

int cli_is(const cli_args *a, const char *name)
{
    return strlen(name) == a->opt_len && memcmp(a->opt, name, a->opt_len) == 0;
}

const char *cli_value(cli_args *a)
{
    if (a->inline_value)
        return a->inline_value;
    if (a->next < a->argc)
        return a->argv[a->next++];
    cli_usage_error(a, "option '%.*s' needs a value", (int)a->opt_len, a->opt);
    return NULL;
}

int cli_flag(cli_args *a)
{
    if (a->inline_value)
        return cli_usage_error(a, "option '%.*s' takes no value", (int)a->opt_len, a->opt);
    return 0;
}

int cli_unknown(const cli_args *a)
{
    return cli_usage_error(a, "unknown option '%.*s'", (int)a->opt_len, a->opt);
}

int cli_usage_error(const cli_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "commentguard: %s: ", a->cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'commentguard %s --help'.\n", a->cmd);
    va_end(ap);
    return CLI_USAGE;
}

int cli_parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cli_long_value(cli_args *a, long lo, long hi, long *out)
{
    const char *s = cli_value(a);
    if (!s)
        return CLI_USAGE;
    if (cli_parse_long(s, out) < 0 || *out < lo || *out > hi)
        return cli_usage_error(a, "%.*s: expected a whole number from %ld to %ld, not '%s'", (int)a->opt_len,
                               a->opt, lo, hi, s);
    return 0;
}

int cli_double_value(cli_args *a, double lo, double hi, double *out)
{
    const char *s = cli_value(a);
    if (!s)
        return CLI_USAGE;
    if (cli_parse_double(s, out) < 0 || *out < lo || *out > hi)
        return cli_usage_error(a, "%.*s: expected a number from %g to %g, not '%s'", (int)a->opt_len, a->opt, lo,
                               hi, s);
    return 0;
}

int cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > CLI_MAX_THREADS ? CLI_MAX_THREADS : (int)n;
}

int cli_open_model(const char *cmd, const char *dir, cg_model **out)
{
    char err[512];
    cg_status st = cg_model_open(dir, out, err, sizeof err);
    if (st == CG_OK)
        return 0;
    fprintf(stderr, "commentguard: %s: cannot load the model%s%s: %s\n", cmd, dir ? " in " : "", dir ? dir : "",
            *err ? err : cg_strerror(st));
    return CLI_USAGE;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "score") == 0)
        return cli_score(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0)
        return cli_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "train") == 0)
        return cli_train(argc - 1, argv + 1);
    if (strcmp(cmd, "vectors") == 0)
        return cli_vectors(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "import-wordpress") == 0)
        return cli_import_wordpress(argc - 1, argv + 1);
    if (strcmp(cmd, "thresholds") == 0)
        return cli_thresholds(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("commentguard %s\n", cg_version());
        return CLI_OK;
    }
    fprintf(stderr, "commentguard: unknown command '%s'\n%s", cmd, usage);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    char *buffer = malloc(OUTPUT_BUFFER);
    if (buffer)
        setvbuf(stdout, buffer, _IOFBF, OUTPUT_BUFFER);
    int status = run(argc, argv);
    if (fclose(stdout) != 0) {
        fprintf(stderr, "commentguard: cannot write the output: %s\n", strerror(errno));
        if (status == CLI_OK)
            status = CLI_FAILED;
    }
    free(buffer);
    return status;
}
