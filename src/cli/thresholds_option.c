/* thresholds_option.c - the --thresholds option of score and serve: the thresholds as
 * `commentguard thresholds` prints them, or @FILE for a file holding that line (thresholds --out). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define MAX_SPEC 1024 /* far more than three classes take */

int cli_thresholds_value(cli_args *a, double threshold[CG_NUM_CLASSES])
{
    const char *value = cli_value(a);
    if (!value)
        return CLI_USAGE;
    char spec[MAX_SPEC + 1], err[200];
    if (value[0] == '@') {
        FILE *f = fopen(value + 1, "r");
        if (!f)
            return cli_usage_error(a, "--thresholds: cannot open %s: %s", value + 1, strerror(errno));
        size_t n = fread(spec, 1, sizeof spec - 1, f);
        int failed = ferror(f), too_long = n == MAX_SPEC && fgetc(f) != EOF;
        fclose(f);
        if (failed || too_long)
            return cli_usage_error(a, "--thresholds: cannot read %s: %s", value + 1,
                                   failed ? "read error" : "not a thresholds file (too long)");
        spec[n] = '\0';
        if (strlen(spec) != n)
            return cli_usage_error(a, "--thresholds: %s: not a thresholds file (NUL byte)", value + 1);
    } else if (snprintf(spec, sizeof spec, "%s", value) >= (int)sizeof spec) {
        return cli_usage_error(a, "--thresholds: too long");
    }
    if (cg_thresholds_parse(spec, threshold, err, sizeof err) == CG_OK)
        return 0;
    if (value[0] == '@')
        return cli_usage_error(a, "--thresholds: %s: %s", value + 1, err);
    return cli_usage_error(a, "--thresholds: %s", err);
}
