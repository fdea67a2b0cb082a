/*
 * test_args.c - walking a subcommand's command line (src/cli/args.c): "--name value" and
 * "--name=value", flags, stray arguments, --help, and numbers checked against their range, with the
 * exact usage errors each subcommand prints.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>

#include "args.h"

static void quiet(void)
{
    cr_redirect_stderr();
    cr_redirect_stdout();
}

Test(args, values_with_space_or_equals)
{
    char *argv[] = {"score", "--model", "dir", "--threads=4", "--explain", NULL};
    cli_args a;
    cli_args_init(&a, 5, argv, "usage\n");
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert(cli_is(&a, "--model"));
    cr_assert_not(cli_is(&a, "--mode"));
    cr_assert_str_eq(cli_value(&a), "dir");
    long n;
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert(cli_is(&a, "--threads"));
    cr_assert_eq(cli_long_value(&a, 1, 256, &n), 0);
    cr_assert_eq(n, 4);
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert(cli_is(&a, "--explain"));
    cr_assert_eq(cli_flag(&a), 0);
    cr_assert_eq(cli_args_next(&a), 0);
}

Test(args, help_prints_the_usage, .init = quiet)
{
    char *argv[] = {"eval", "-h", NULL};
    cli_args a;
    cli_args_init(&a, 2, argv, "Usage: commentguard eval\n");
    cr_assert_eq(cli_args_next(&a), -1);
    cr_assert_eq(a.status, CLI_OK);
    fflush(stdout);
    cr_assert_stdout_eq_str("Usage: commentguard eval\n");
}

Test(args, stray_argument, .init = quiet)
{
    char *argv[] = {"train", "data.jsonl", NULL};
    cli_args a;
    cli_args_init(&a, 2, argv, "");
    cr_assert_eq(cli_args_next(&a), -1);
    cr_assert_eq(a.status, CLI_USAGE);
    fflush(stderr);
    cr_assert_stderr_eq_str("commentguard: train: unexpected argument 'data.jsonl'\n"
                            "Try 'commentguard train --help'.\n");
}

Test(args, missing_value, .init = quiet)
{
    char *argv[] = {"score", "--model", NULL};
    cli_args a;
    cli_args_init(&a, 2, argv, "");
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert_null(cli_value(&a));
    fflush(stderr);
    cr_assert_stderr_eq_str("commentguard: score: option '--model' needs a value\nTry 'commentguard score --help'.\n");
}

Test(args, flag_with_a_value, .init = quiet)
{
    char *argv[] = {"score", "--explain=yes", NULL};
    cli_args a;
    cli_args_init(&a, 2, argv, "");
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert(cli_is(&a, "--explain"));
    cr_assert_eq(cli_flag(&a), CLI_USAGE);
    fflush(stderr);
    cr_assert_stderr_eq_str("commentguard: score: option '--explain' takes no value\n"
                            "Try 'commentguard score --help'.\n");
}

Test(args, unknown_option, .init = quiet)
{
    char *argv[] = {"serve", "--lisen=1", NULL};
    cli_args a;
    cli_args_init(&a, 2, argv, "");
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert_eq(cli_unknown(&a), CLI_USAGE);
    fflush(stderr);
    cr_assert_stderr_eq_str("commentguard: serve: unknown option '--lisen'\nTry 'commentguard serve --help'.\n");
}

Test(args, numbers_out_of_range, .init = quiet)
{
    char *argv[] = {"serve", "--threads", "0", "--discard", "1.5", NULL};
    cli_args a;
    cli_args_init(&a, 5, argv, "");
    long n = -7;
    double d = -7;
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert_eq(cli_long_value(&a, 1, 256, &n), CLI_USAGE);
    cr_assert_eq(cli_args_next(&a), 1);
    cr_assert_eq(cli_double_value(&a, 0, 1, &d), CLI_USAGE);
    fflush(stderr);
    cr_assert_stderr_eq_str("commentguard: serve: --threads: expected a whole number from 1 to 256, not '0'\n"
                            "Try 'commentguard serve --help'.\n"
                            "commentguard: serve: --discard: expected a number from 0 to 1, not '1.5'\n"
                            "Try 'commentguard serve --help'.\n");
}

Test(args, parse_whole_strings_only)
{
    long n;
    double d;
    cr_assert_eq(cli_parse_long("42", &n), 0);
    cr_assert_eq(n, 42);
    cr_assert_eq(cli_parse_long("42x", &n), -1);
    cr_assert_eq(cli_parse_long("", &n), -1);
    cr_assert_eq(cli_parse_long("99999999999999999999999", &n), -1);
    cr_assert_eq(cli_parse_double("0.25", &d), 0);
    cr_assert_eq(d, 0.25);
    cr_assert_eq(cli_parse_double("nan", &d), -1);
    cr_assert_eq(cli_parse_double("inf", &d), -1);
    cr_assert_eq(cli_parse_double("1e999", &d), -1);
    cr_assert_eq(cli_parse_double("0.5 ", &d), -1);
}
