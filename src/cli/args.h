/* args.h - walking a subcommand's command line (args.c): options as "--name value" or
 * "--name=value", their values checked as numbers within a range, and the exit statuses that
 * usage errors return. Calls nothing else of commentguard. */
#ifndef CG_CLI_ARGS_H
#define CG_CLI_ARGS_H

#include <stddef.h>

/* Exit statuses. */
enum {
    CLI_OK = 0,     /* everything worked */
    CLI_FAILED = 1, /* some input could not be processed, or the work failed */
    CLI_USAGE = 2,  /* bad command line, or a model or file needed to start could not be read */
};

/* Walking a subcommand's options, each "--name value" or "--name=value". */
typedef struct cli_args {
    const char *cmd;   /* the subcommand, for messages */
    const char *usage; /* its usage text, printed by --help */
    int argc;
    char **argv;
    int next;                 /* index of the next argument to read */
    const char *opt;          /* the current option, e.g. "--model"; opt_len bytes before any '=' */
    size_t opt_len;
    const char *inline_value; /* the text after '=', or NULL */
    int status;               /* the exit status when cli_args_next returns -1 */
} cli_args;

void cli_args_init(cli_args *a, int argc, char **argv, const char *usage);

/* 1 with the next option in a->opt; 0 after the last one; -1 when the command line is done with
 * (--help printed the usage, or a stray argument was reported): return a->status. */
int cli_args_next(cli_args *a);

/* Whether the current option is `name`. */
int cli_is(const cli_args *a, const char *name);

/* The current option's value, or NULL after reporting that it is missing. */
const char *cli_value(cli_args *a);

/* For flags: 0, or CLI_USAGE after reporting a value given with '='. */
int cli_flag(cli_args *a);

/* Report the current option as unknown; returns CLI_USAGE. */
int cli_unknown(const cli_args *a);

/* Print "commentguard: CMD: message" and a hint to use --help on stderr; returns CLI_USAGE. */
int cli_usage_error(const cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The current option's value as a number within [lo, hi]: 0, or CLI_USAGE after reporting. */
int cli_long_value(cli_args *a, long lo, long hi, long *out);
int cli_double_value(cli_args *a, double lo, double hi, double *out);

/* Parse a whole string as a number; 0 on success, -1 if it is not one. */
int cli_parse_long(const char *s, long *out);
int cli_parse_double(const char *s, double *out);

#endif
