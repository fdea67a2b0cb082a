/* keys.c - `commentguard keys new`: a fresh API key for `serve --keys`, added to the keys file
 * (src/serve/keys_new.c) and printed. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "keys_new.h"

static const char usage[] =
    "Usage: commentguard keys new [--blog URL] --keys FILE\n"
    "Add a fresh random API key to the keys file of `serve --keys` and print it.\n"
    "\n"
    "  --keys FILE   the keys file (created, readable by its owner only, if absent); it is\n"
    "                replaced whole, so a failure leaves it as it was\n"
    "  --blog URL    the only blog the key is accepted for (default: any)\n"
    "\n"
    "A running `serve --keys FILE` takes the new key when sent SIGHUP.\n"
    "A key is 12 lowercase hex digits: the shape Akismet's WordPress plugin accepts in its settings\n"
    "screen (it drops every other character and refuses any other length without asking the server).\n"
    "Exit status: 0 on success, 1 if the file cannot be read or written, 2 for usage errors.\n";

int cli_keys(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc < 2 || strcmp(argv[1], "new") != 0) {
        fprintf(stderr, "commentguard: keys: expected 'new'\nTry 'commentguard keys --help'.\n");
        return CLI_USAGE;
    }
    cli_args a;
    cli_args_init(&a, argc - 1, argv + 1, usage);
    a.cmd = "keys new";
    const char *path = NULL, *blog = NULL;
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        if (cli_is(&a, "--keys")) {
            if (!(path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--blog")) {
            if (!(blog = cli_value(&a)))
                return CLI_USAGE;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!path)
        return cli_usage_error(&a, "--keys FILE is needed");
    if (blog && (!*blog || strpbrk(blog, " \t\r\n") || blog[0] == '#'))
        return cli_usage_error(&a, "--blog: a URL without blanks, not '%s'", blog);
    char key[KEYS_NEW_LENGTH + 1], err[1024];
    if (keys_new(path, blog, key, err, sizeof err) != 0) {
        fprintf(stderr, "commentguard: keys new: %s\n", err);
        return CLI_FAILED;
    }
    printf("%s\n", key);
    return CLI_OK;
}
