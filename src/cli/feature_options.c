/* feature_options.c - the command-line options that shape training vectors, shared by `train`
 * and `vectors`. */
#define _POSIX_C_SOURCE 200809L
#include "feature_options.h"

#include <limits.h>
#include <string.h>

/* "2-5" into the extractor's character n-gram range: 0, or -1. */
static int parse_range(const char *s, cg_extractor_config *ex)
{
    const char *dash = strchr(s, '-');
    char lo[16];
    long a, b;
    if (!dash || dash == s || (size_t)(dash - s) >= sizeof lo)
        return -1;
    memcpy(lo, s, (size_t)(dash - s));
    lo[dash - s] = '\0';
    if (cli_parse_long(lo, &a) < 0 || cli_parse_long(dash + 1, &b) < 0 || a < 0 || b < 0 || a > 64 || b > 64)
        return -1;
    ex->char_min = (unsigned)a;
    ex->char_max = (unsigned)b;
    return 0;
}

int cli_feature_option(cli_args *a, cg_extractor_config *ex, cg_problem_options *po)
{
    long n;
    const char *v;
    if (cli_is(a, "--seed")) {
        if (cli_long_value(a, 0, (long)UINT_MAX, &n) != 0)
            return CLI_USAGE;
        po->seed = (unsigned)n;
    } else if (cli_is(a, "--hash-bits")) {
        if (cli_long_value(a, 10, 24, &n) != 0)
            return CLI_USAGE;
        ex->hash_bits = (unsigned)n;
    } else if (cli_is(a, "--word-ngrams")) {
        if (cli_long_value(a, 1, 3, &n) != 0)
            return CLI_USAGE;
        ex->word_ngrams = (unsigned)n;
    } else if (cli_is(a, "--char-ngrams")) {
        if (!(v = cli_value(a)))
            return CLI_USAGE;
        if (parse_range(v, ex) < 0)
            return cli_usage_error(a, "--char-ngrams: expected MIN-MAX, e.g. 2-5, not '%s'", v);
    } else if (cli_is(a, "--article-copies")) {
        if (cli_double_value(a, 0, 1, &po->article_copies) != 0)
            return CLI_USAGE;
    } else if (cli_is(a, "--mismatched-articles")) {
        if (cli_double_value(a, 0, 1, &po->mismatched_articles) != 0)
            return CLI_USAGE;
    } else if (cli_is(a, "--char-weight")) {
        if (cli_double_value(a, 0.01, 10, &ex->char_weight) != 0)
            return CLI_USAGE;
    } else if (cli_is(a, "--signal-weight")) {
        if (cli_double_value(a, 0, 10, &ex->signal_weight) != 0)
            return CLI_USAGE;
    } else if (cli_is(a, "--no-length-signal")) {
        if (cli_flag(a))
            return CLI_USAGE;
        ex->length_signal = 0;
    } else if (cli_is(a, "--group-placeholder")) {
        if (cli_flag(a))
            return CLI_USAGE;
        ex->group_placeholder = 1;
    } else if (cli_is(a, "--relevance-weight")) {
        if (cli_double_value(a, 0, 10, &ex->relevance_weight) != 0)
            return CLI_USAGE;
    } else if (cli_is(a, "--lexicon")) {
        if (!(v = cli_value(a)))
            return CLI_USAGE;
        if (!*v || strlen(v) >= sizeof ex->lexicon)
            return cli_usage_error(a, "--lexicon: expected a file name of 1 to %zu bytes", sizeof ex->lexicon - 1);
        strcpy(ex->lexicon, v);
    } else {
        return 0;
    }
    return 1;
}
