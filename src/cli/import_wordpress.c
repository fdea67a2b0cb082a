/* import_wordpress.c - `commentguard import-wordpress`: its command line, turned into the options
 * of the importer (src/wordpress/import_wordpress.h), and its report on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "import_wordpress.h"

static const char usage[] =
    "Usage: commentguard import-wordpress EXPORT.xml --out FILE [--articles FILE] [--approved LABEL]\n"
    "                                     [--spam LABEL] [--pending LABEL] [--trash LABEL]\n"
    "                                     [--pingbacks skip|keep] [--thread N]\n"
    "Turn a WordPress export (Tools > Export, WXR) into labelled comments for `commentguard train`.\n"
    "\n"
    "  --out FILE        the comments, JSON Lines {\"label\", \"text\", \"article\", \"author\",\n"
    "                    \"author_url\", \"author_email\", \"source\", \"permalink\", \"comment_id\"}: the\n"
    "                    text is the comment; the author's name and URL as given, of the e-mail\n"
    "                    address only its domain (\"@example.org\"); the article its post's title, a\n"
    "                    blank line, its text\n"
    "  --articles FILE   the posts, JSON Lines {\"permalink\", \"title\", \"text\"} for serve --articles\n"
    "  --approved LABEL  the label of approved comments (default on-topic)\n"
    "  --spam LABEL      the label of comments marked as spam (default off-topic)\n"
    "  --pending LABEL   the label of comments awaiting moderation (default skip)\n"
    "  --trash LABEL     the label of trashed comments (default skip)\n"
    "                    LABEL: on-topic, off-topic, abusive, or skip to leave them out\n"
    "  --pingbacks keep  import pingbacks and trackbacks as comments of their status (default skip)\n"
    "  --thread N        with --articles: each post's \"thread\", its latest N approved comments,\n"
    "                    oldest first, which serve reads with the post (default 0: none)\n"
    "\n"
    "Comments of other types (e.g. WooCommerce order notes) are left out and counted. A malformed or\n"
    "truncated export is reported as file:line and nothing is written.\n"
    "Exit status: 0 on success, 1 if the export cannot be read, 2 for usage errors.\n";

static int parse_label(const char *s)
{
    if (strcmp(s, "skip") == 0)
        return WP_SKIP;
    for (int k = 0; k < CG_NUM_CLASSES; k++)
        if (strcmp(s, cg_label_name((cg_label)k)) == 0)
            return k;
    return -2;
}

static int parse_options(int argc, char **argv, wp_import_options *o)
{
    *o = (wp_import_options){.label = {CG_ON_TOPIC, CG_OFF_TOPIC, WP_SKIP, WP_SKIP}};
    /* The export is the first argument; the options follow. */
    char **args = malloc((size_t)argc * sizeof *args);
    if (!args)
        return CLI_FAILED;
    int n = 0;
    args[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (i == 1 && argv[i][0] != '-')
            o->export_path = argv[i];
        else
            args[n++] = argv[i];
    }
    cli_args a;
    cli_args_init(&a, n, args, usage);
    int st = 0, ret = -1;
    while (ret < 0 && (st = cli_args_next(&a)) > 0) {
        const char *v;
        int status = -1;
        for (int s = 0; s < WP_STATUSES; s++) {
            char name[32];
            snprintf(name, sizeof name, "--%s", wp_status_names[s]);
            if (cli_is(&a, name))
                status = s;
        }
        if (cli_is(&a, "--out")) {
            if (!(o->out_path = cli_value(&a)))
                ret = CLI_USAGE;
        } else if (cli_is(&a, "--articles")) {
            if (!(o->articles_path = cli_value(&a)))
                ret = CLI_USAGE;
        } else if (cli_is(&a, "--thread")) {
            long count;
            if (cli_long_value(&a, 0, 100000, &count) != 0)
                ret = CLI_USAGE;
            else
                o->thread = (size_t)count;
        } else if (cli_is(&a, "--pingbacks")) {
            if (!(v = cli_value(&a)))
                ret = CLI_USAGE;
            else if (strcmp(v, "keep") == 0 || strcmp(v, "skip") == 0)
                o->pingbacks = strcmp(v, "keep") == 0;
            else
                ret = cli_usage_error(&a, "--pingbacks: expected skip or keep, not '%s'", v);
        } else if (status >= 0) {
            if (!(v = cli_value(&a)))
                ret = CLI_USAGE;
            else if ((o->label[status] = parse_label(v)) == -2)
                ret = cli_usage_error(&a, "--%s: expected on-topic, off-topic, abusive or skip, not '%s'",
                                      wp_status_names[status], v);
        } else {
            ret = cli_unknown(&a);
        }
    }
    if (ret < 0 && st < 0)
        ret = a.status;
    if (ret < 0 && !o->export_path)
        ret = cli_usage_error(&a, "expected the export file first");
    if (ret < 0 && !o->out_path)
        ret = cli_usage_error(&a, "--out FILE is needed");
    if (ret < 0 && o->thread > 0 && !o->articles_path)
        ret = cli_usage_error(&a, "--thread needs --articles FILE");
    free(args);
    return ret;
}

static void report(const wp_import_options *o, const wp_import_counts *n)
{
    size_t total = 0;
    for (int s = 0; s < WP_STATUSES; s++)
        total += n->written[s];
    fprintf(stderr, "commentguard: import-wordpress: %zu comments written to %s", total, o->out_path);
    for (int s = 0; s < WP_STATUSES; s++)
        if (n->written[s])
            fprintf(stderr, ", %zu %s as %s", n->written[s], wp_status_names[s],
                    cg_label_name((cg_label)o->label[s]));
    if (o->articles_path)
        fprintf(stderr, "; %zu posts written to %s", n->posts, o->articles_path);
    fprintf(stderr, "\ncommentguard: import-wordpress: left out: %zu pending, %zu trash, %zu spam, %zu approved, "
                    "%zu pingbacks and trackbacks, %zu of other types\n",
            n->skipped[WP_PENDING], n->skipped[WP_TRASH], n->skipped[WP_SPAM], n->skipped[WP_APPROVED],
            n->pingbacks, n->other_types);
}

int cli_import_wordpress(int argc, char **argv)
{
    wp_import_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    wp_import_counts count;
    char err[1024] = "";
    if (wp_import(&o, &count, err, sizeof err) != 0) {
        fprintf(stderr, "commentguard: import-wordpress: %s\n", err);
        return CLI_FAILED;
    }
    report(&o, &count);
    return CLI_OK;
}
