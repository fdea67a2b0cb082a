/* args.c - walking a subcommand's command line: options, their values, numbers within a range,
 * and the usage errors reported on the way. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

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
