/* feature_options.h - the command-line options that shape training vectors, shared by `train`
 * and `vectors` (which must make the same vectors from the same options). */
#ifndef CG_FEATURE_OPTIONS_H
#define CG_FEATURE_OPTIONS_H

#include "cli.h"
#include "extract.h"
#include "problem.h"

/* Their lines of the usage text. */
#define CLI_FEATURE_OPTIONS_USAGE                                                                  \
    "  --seed S                  fixes folds, draws and shuffles: same seed, same result\n"           \
    "  --hash-bits B             2^B hashed feature slots (10..24)\n"                                \
    "  --word-ngrams N           word n-grams up to N (1..3)\n"                                       \
    "  --char-ngrams MIN-MAX     character n-grams within words, e.g. 2-5 (0-0: none)\n"              \
    "  --article-copies F        share of rows with an article also trained without it (0..1)\n"      \
    "  --mismatched-articles F   share of on-topic rows with an article also trained under another\n" \
    "                            thread's article, as off-topic (0..1, default 0: see README)\n"      \
    "  --char-weight X           weight of character n-grams against word n-grams\n"                 \
    "  --signal-weight X         scale of the dense signals (0: none)\n"                             \
    "  --no-length-signal        leave the comment's length out of the dense signals\n"              \
    "  --group-placeholder       the lexicon's [unmarked] words as <group> in word 2- and 3-grams\n"  \
    "  --relevance-weight X      scale of the comment-versus-article features (0: none)\n"             \
    "  --lexicon FILE            count the words and two-word phrases of FILE (one a line, # for\n"   \
    "                            comments) in each comment, as a signal; copied into the bundle\n"

/* If the current option is one of those, apply it: 1, or CLI_USAGE after reporting a bad value;
 * 0 if it is another option. */
int cli_feature_option(cli_args *a, cg_extractor_config *ex, cg_problem_options *po);

#endif
