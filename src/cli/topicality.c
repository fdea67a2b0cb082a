/* topicality.c - `commentguard topicality`: fit a bundle's topicality stage (training/topicality_fit.h)
 * on labelled comments with articles, and print what it measured. */
#include <stdio.h>

#include "cli.h"
#include "topicality.h"
#include "topicality_fit.h"

static const char usage[] =
    "Usage: commentguard topicality --model DIR --data FILE [--hold-at-most 0.002] [--stem-chars 5]\n"
    "                               [--content-mass 25] [--min-df 2] [--seed 1] [--article-mass-half A]\n"
    "                               [--release-at-most 0.01] [--belong-cosine 0.1] [--belong-mass-half B]\n"
    "Fit the topicality stage of a model bundle, in place: when a comment is scored under an article, the\n"
    "stage raises P(off-topic) of a comment that carries content of its own and shares none of it with\n"
    "the article, and leaves generic comments (\"Thanks, very helpful!\") alone; how far it moves grows with\n"
    "how much the article says (a title and a line: little; a news story or a long thread: much). The model\n"
    "itself is not retrained. docs/article-relevance.md describes it.\n"
    "\n"
    "  --model DIR         the bundle; its topic.idf and bundle.json's \"topicality\" are (re)written\n"
    "  --data FILE         labelled comments (as train reads them): every text and article counts\n"
    "                      towards the stem table; on-topic comments with an article are fitted on,\n"
    "                      each under its own article and under another one drawn at random, with\n"
    "                      the articles as given and as whole threads (the article and its comments)\n"
    "  --hold-at-most P    the stage may turn at most this share of those on-topic comments under\n"
    "                      their own article away from on-topic, beyond the model alone (default 0.002)\n"
    "  --content-mass M    a moved comment counts as misplaced only when the IDF of its stems sums to\n"
    "                      at least M (about three words rarer than one text in 3,000; default 25)\n"
    "  --stem-chars N      words are compared by their first N characters (1-16, default 5)\n"
    "  --min-df N          stems of fewer texts stay out of the table (default 2)\n"
    "  --seed S            of the choice of the other article (default 1)\n"
    "  --article-mass-half A  the article mass (summed IDF of its distinct stems) at which the stage has\n"
    "                      half its strength (default: midway between the data's articles as given and\n"
    "                      its whole threads, geometrically)\n"
    "  --release-at-most P the other way, a comment that shares content with a long article moves\n"
    "                      back toward on-topic; it may turn at most this share of the data's\n"
    "                      off-topic comments under their own article away from off-topic (default 0.01)\n"
    "  --belong-cosine C   the cosine with the article from which it does so in full (default 0.1)\n"
    "  --belong-mass-half B  the article mass at which that has half its strength (default: the same as\n"
    "                      the stage's; lower lets comments that share words with a title and a line\n"
    "                      move too: fewer comments held, and more promotion that names the subject passes)\n"
    "\n"
    "Exit status: 0 on success, 1 if the data or bundle cannot be read or written, 2 for usage errors.\n";

int cli_topicality(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, argc, argv, usage);
    cg_topic_fit_options opt;
    cg_topic_fit_options_default(&opt, NULL, NULL);
    long value;
    int st;
    while ((st = cli_args_next(&a)) > 0) {
        if (cli_is(&a, "--model")) {
            if (!(opt.model_dir = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--data")) {
            if (!(opt.data_path = cli_value(&a)))
                return CLI_USAGE;
        } else if (cli_is(&a, "--hold-at-most")) {
            if (cli_double_value(&a, 0, 1, &opt.hold_at_most))
                return CLI_USAGE;
        } else if (cli_is(&a, "--content-mass")) {
            if (cli_double_value(&a, 0, 1e6, &opt.content_mass))
                return CLI_USAGE;
        } else if (cli_is(&a, "--stem-chars")) {
            if (cli_long_value(&a, 1, 16, &value))
                return CLI_USAGE;
            opt.stem_chars = (unsigned)value;
        } else if (cli_is(&a, "--min-df")) {
            if (cli_long_value(&a, 1, 1000000, &value))
                return CLI_USAGE;
            opt.min_df = (unsigned)value;
        } else if (cli_is(&a, "--article-mass-half")) {
            if (cli_double_value(&a, 0, 1e9, &opt.article_mass_half))
                return CLI_USAGE;
        } else if (cli_is(&a, "--release-at-most")) {
            if (cli_double_value(&a, 0, 1, &opt.release_at_most))
                return CLI_USAGE;
        } else if (cli_is(&a, "--belong-cosine")) {
            if (cli_double_value(&a, 1e-6, 1, &opt.belong_cosine))
                return CLI_USAGE;
        } else if (cli_is(&a, "--belong-mass-half")) {
            if (cli_double_value(&a, 0, 1e9, &opt.belong_mass_half))
                return CLI_USAGE;
        } else if (cli_is(&a, "--seed")) {
            if (cli_long_value(&a, 0, 4294967295L, &value))
                return CLI_USAGE;
            opt.seed = (unsigned)value;
        } else {
            return cli_unknown(&a);
        }
    }
    if (st < 0)
        return a.status;
    if (!opt.model_dir || !opt.data_path)
        return cli_usage_error(&a, "--model DIR and --data FILE are needed");
    cg_topic_fit_report r;
    char err[1024];
    if (cg_topicality_fit(&opt, &r, err, sizeof err) != CG_OK) {
        fprintf(stderr, "commentguard: topicality: %s\n", err);
        return CLI_FAILED;
    }
    printf("stem table: %zu stems of %zu texts (each comment and each distinct article)\n", r.stems, r.documents);
    printf("pairs: %zu on-topic comments under their own article and under another of %zu articles\n", r.pairs,
           r.articles);
    printf("stage: m = %.4f * gate(A) * sigmoid(%.4f %+.4f ln(1 + mass) %+.4f cosine %+.4f ln(1 + A) %+.4f cosine "
           "ln(1 + A))\n",
           r.strength, r.coef[0], r.coef[1], r.coef[2], r.coef[3], r.coef[4]);
    printf("gate(A) = 1 / (1 + (%.1f / A)^%g); median A of the articles: %.1f as given, %.1f as whole threads\n",
           r.article_mass_half, CG_TOPIC_GATE_POWER, r.article_mass[0], r.article_mass[1]);
    printf("back to on-topic: r = %.2f * gate_b(A) * min(1, cosine / %g), gate_b(A) = 1 / (1 + (%.1f / A)^%g); "
           "off-topic comments under their own article (%zu) kept off-topic: %.4f alone, %.4f with the stage\n",
           r.belong_strength, r.belong_cosine, r.belong_mass_half, CG_TOPIC_GATE_POWER, r.off_topic,
           r.off_topic_kept[0], r.off_topic_kept[1]);
    printf("                                         model alone   with the stage\n");
    const char *kind[2] = {"articles as given", "whole threads    "};
    for (int w = 0; w < 2; w++) {
        printf("%s: held under their own    %10.4f   %14.4f\n", kind[w], r.held_model[w], r.held_stage[w]);
        printf("%s: ROC-AUC moved vs own    %10.4f   %14.4f\n", kind[w], r.auc_model[w], r.auc_stage[w]);
    }
    return CLI_OK;
}
