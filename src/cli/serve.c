/* serve.c - `commentguard serve`: its command line, turned into the configuration of the service
 * (src/serve/serve.h), which runs until SIGTERM or SIGINT. */
#include <string.h>

#include "cli.h"
#include "serve.h"

static const char usage[] =
    "Usage: commentguard serve [--listen HOST:PORT] [--model DIR] [--threads N] [--max-body BYTES]\n"
    "                          [--timeout S] [--keys FILE] [--articles FILE] [--feedback FILE]\n"
    "                          [--spam LABELS] [--discard P] [--thresholds SPEC|@FILE]\n"
    "                          [--state FILE] [--akismet-domain NAME]\n"
    "                          [--learn DIR [--history FILE] [--retrain-every N]]\n"
    "Classify comments over HTTP.\n"
    "\n"
    "  POST /v1/classify   {\"text\": ..., \"article\": ... or null, \"id\": ...}, or an array of them;\n"
    "                      answers what `score --format jsonl` writes for each (an object, or an\n"
    "                      array in order); malformed JSON gets 400 and {\"error\": ...}\n"
    "  POST /v1/feedback   {\"text\": ..., \"article\": ..., \"label\": ...}: kept in --feedback\n"
    "  POST /1.1/comment-check, /1.1/submit-spam, /1.1/submit-ham, /1.1/verify-key,\n"
    "  /1.1/get-subscription, /1.1/get-stats, /1.1/deactivate; GET /1.1/test\n"
    "                      the Akismet API, for the Akismet clients blogs already use (WordPress's\n"
    "                      Akismet plugin included)\n"
    "  GET /healthz        {\"status\": \"ok\", \"model\": DIR, \"version\": ..., \"generation\": G,\n"
    "                      \"site_rows\": N}: G counts the models swapped in by --learn\n"
    "\n"
    "  --listen HOST:PORT  the address to listen on (default 127.0.0.1:8080; [::1]:8080 for IPv6;\n"
    "                      port 0 takes any free port, reported on standard error)\n"
    "  --model DIR         the model bundle (default: $COMMENTGUARD_MODEL, then the installed model)\n"
    "  --threads N         worker threads (default: the number of cores)\n"
    "  --max-body BYTES    largest request body; larger ones get 413 (default 4194304)\n"
    "  --timeout S         close a connection idle for S seconds (default 30)\n"
    "  --keys FILE         the API keys accepted, one per line (optionally followed by its blog URL);\n"
    "                      needed to listen on anything but a loopback address (reloaded on SIGHUP)\n"
    "  --articles FILE     posts by permalink, JSON Lines {\"permalink\", \"title\", \"text\"}, for\n"
    "                      comment-check (reloaded on SIGHUP)\n"
    "  --feedback FILE     append the corrections of submit-spam, submit-ham and /v1/feedback here,\n"
    "                      as JSON Lines that `commentguard train` reads\n"
    "  --state FILE        keep the counts of get-stats (per key and day) in this SQLite database,\n"
    "                      created if absent (default: in memory, lost when the server stops)\n"
    "  --akismet-domain NAME  the domain Akismet clients address as KEY.NAME (e.g. rest.akismet.com):\n"
    "                      a call without a key or api_key field then carries KEY from its Host\n"
    "  --spam LABELS       the labels comment-check calls spam: off-topic,abusive (default),\n"
    "                      off-topic or abusive\n"
    "  --discard P         tell Akismet clients to discard spam whose probability is at least P\n"
    "                      (default 0.99)\n"
    "  --thresholds SPEC   the unsure band, as `commentguard thresholds` prints it, or @FILE\n"
    "                      (thresholds --out): a comment labelled c with p(c) below c's threshold\n"
    "                      is labelled unsure\n"
    "  --learn DIR         keep learning from the corrections (needs --feedback): a near-copy of a\n"
    "                      corrected comment gets its verdict at once, and the model is adapted\n"
    "                      (train --base) to the history and the corrections every N of them and on\n"
    "                      SIGHUP, in a child process, and swapped in; DIR keeps the generations\n"
    "  --history FILE      the site's labelled comments (any format train reads), learned with the\n"
    "                      corrections\n"
    "  --retrain-every N   corrections between retrainings (default 20)\n"
    "\n"
    "SIGTERM or SIGINT stops accepting connections, lets the requests in flight finish and exits.\n"
    "Exit status: 0 after a clean shutdown, 1 if the server could not start, 2 for usage errors or a\n"
    "model that cannot be read.\n";

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_MAX_BODY (4L << 20)
#define DEFAULT_TIMEOUT 30
#define DEFAULT_DISCARD 0.99
#define DEFAULT_RETRAIN_EVERY 20
#define ALL_SPAM_LABELS ((1u << CG_OFF_TOPIC) | (1u << CG_ABUSIVE))

/* --spam: a comma-separated list of off-topic and abusive, as bits 1 << label; 0 if invalid. */
static unsigned parse_spam_labels(const char *list)
{
    unsigned bits = 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n == 9 && strncmp(p, "off-topic", 9) == 0)
            bits |= 1u << CG_OFF_TOPIC;
        else if (n == 7 && strncmp(p, "abusive", 7) == 0)
            bits |= 1u << CG_ABUSIVE;
        else
            return 0;
        p += n + (p[n] == ',');
    }
    return bits;
}

static int parse_options(int argc, char **argv, serve_config *o)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    *o = (serve_config){.listen = DEFAULT_LISTEN, .max_body = DEFAULT_MAX_BODY, .timeout = DEFAULT_TIMEOUT,
                         .spam_labels = ALL_SPAM_LABELS, .discard = DEFAULT_DISCARD};
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        long n;
        if (cli_is(&a, "--listen")) {
            if (!(o->listen = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--model")) {
            if (!(o->model_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--threads")) {
            if (cli_long_value(&a, 1, CLI_MAX_THREADS, &n) != 0)
                return CLI_USAGE;
            o->threads = (int)n;
        } else if (cli_is(&a, "--max-body")) {
            if (cli_long_value(&a, 1, 1L << 30, &n) != 0)
                return CLI_USAGE;
            o->max_body = (size_t)n;
        } else if (cli_is(&a, "--timeout")) {
            if (cli_long_value(&a, 1, 86400, &n) != 0)
                return CLI_USAGE;
            o->timeout = (unsigned)n;
        } else if (cli_is(&a, "--keys")) {
            if (!(o->keys_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--articles")) {
            if (!(o->articles_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--state")) {
            if (!(o->state_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--akismet-domain")) {
            if (!(o->akismet_domain = cli_value(&a)))
                return CLI_USAGE;
            if (!*o->akismet_domain || strpbrk(o->akismet_domain, ":/ "))
                return cli_usage_error(&a, "--akismet-domain: expected a host name, not '%s'", o->akismet_domain);
        } else if (cli_is(&a, "--feedback")) {
            if (!(o->feedback_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--spam")) {
            const char *v = cli_value(&a);
            if (!v)
                return CLI_USAGE;
            if (!(o->spam_labels = parse_spam_labels(v)))
                return cli_usage_error(&a, "--spam: expected off-topic, abusive or both, not '%s'", v);
        } else if (cli_is(&a, "--discard")) {
            if (cli_double_value(&a, 0, 1, &o->discard) != 0)
                return CLI_USAGE;
        } else if (cli_is(&a, "--learn")) {
            if (!(o->learn_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--history")) {
            if (!(o->history_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--retrain-every")) {
            if (cli_long_value(&a, 1, 1000000, &n) != 0)
                return CLI_USAGE;
            o->retrain_every = (unsigned)n;
        } else if (cli_is(&a, "--thresholds")) {
            if (cli_thresholds_value(&a, o->threshold) != 0)
                return CLI_USAGE;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (o->learn_dir && !o->feedback_path)
        return cli_usage_error(&a, "--learn needs --feedback FILE: the corrections it learns from");
    if (!o->learn_dir && (o->history_path || o->retrain_every))
        return cli_usage_error(&a, "--history and --retrain-every need --learn DIR");
    if (o->retrain_every == 0)
        o->retrain_every = DEFAULT_RETRAIN_EVERY;
    if (o->threads == 0)
        o->threads = cli_default_threads();
    return -1;
}

int cli_serve(int argc, char **argv)
{
    serve_config c;
    int status = parse_options(argc, argv, &c);
    if (status >= 0)
        return status;
    switch (serve_run(&c)) {
    case SERVE_STOPPED:
        return CLI_OK;
    case SERVE_CANNOT_START:
        return CLI_FAILED;
    case SERVE_BAD_SETUP:
        break;
    }
    return CLI_USAGE;
}
