/* main.c - the commentguard program: picks the subcommand and runs it with the rest of the
 * command line; the subcommands live one to a file (cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define OUTPUT_BUFFER (1u << 20)

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"score", cli_score},
    {"eval", cli_eval},
    {"train", cli_train},
    {"vectors", cli_vectors},
    {"serve", cli_serve},
    {"import-wordpress", cli_import_wordpress},
    {"thresholds", cli_thresholds},
    {"keys", cli_keys},
    {"topicality", cli_topicality},
};

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
    "  keys new    add a fresh API key for serve --keys\n"
    "  topicality  fit the stage that spots comments about something else than their article\n"
    "\n"
    "  commentguard <command> --help   the options of a command\n"
    "  commentguard --version          the library version\n";

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
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
