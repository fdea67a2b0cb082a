/* topicality_card.c - the model card's section on a bundle's topicality stage (topicality_card.h). */
#define _GNU_SOURCE
#include "topicality_card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_settings.h"
#include "read_file.h"
#include "topicality.h"

#define HEADING "## Topicality stage"
#define CARD_LIMIT (16L << 20)

/* The section's text (malloc'd), or NULL if memory ran out. */
static char *section(const cg_topic_fit_options *opt, const cg_topic_fit_report *r)
{
    char *text = NULL, half[128] = "";
    if (opt->article_mass_half >= 0)
        snprintf(half, sizeof half, " --article-mass-half %g", opt->article_mass_half);
    if (opt->belong_mass_half >= 0)
        snprintf(half + strlen(half), sizeof half - strlen(half), " --belong-mass-half %g", opt->belong_mass_half);
    int n = asprintf(
        &text,
        HEADING "\n\n"
        "When a comment is scored under an article, a comment that carries content of its own and shares none of it "
        "with the article moves probability to off-topic, the more the longer the article (a title and a line says "
        "little about what belongs under it, a news story or a long thread much); a generic reaction (\"Thanks, very "
        "helpful!\") carries no content and keeps the model's verdict (docs/article-relevance.md). Fitted without "
        "retraining the model:\n\n"
        "    commentguard topicality --model DIR --data %s --hold-at-most %g --content-mass %g --stem-chars %u "
        "--min-df %u --seed %u --release-at-most %g --belong-cosine %g%s\n\n"
        "- stem table (topic.idf): %zu stems of %zu texts (each comment and each distinct article)\n"
        "- pairs: %zu on-topic comments under their own article and under another of %zu articles, with the "
        "articles as given (median mass A %.0f) and as whole threads (the article and its other comments, %.0f)\n"
        "- m = %.4f * gate(A) * sigmoid(%.4f %+.4f ln(1 + mass) %+.4f cosine %+.4f ln(1 + A) %+.4f cosine ln(1 + A)), "
        "gate(A) = 1 / (1 + (%.0f / A)^%g); P(off-topic) becomes p + (1 - p) m\n"
        "- r = %.2f * gate_b(A) * min(1, cosine / %g), gate_b(A) = 1 / (1 + (%.0f / A)^%g): then that share of P(off-topic) goes back to on-topic (a "
        "comment that shares content with its article is about it); of the data's %zu off-topic comments with "
        "an article, under it as given and whole, labelled off-topic: %.4f by the model alone, %.4f with the stage\n\n"
        "| on the fitting data | model alone | with the stage |\n"
        "|---|---:|---:|\n"
        "| articles as given: on-topic comments under their own article held | %.4f | %.4f |\n"
        "| articles as given: ROC-AUC of P(off-topic), moved against own | %.4f | %.4f |\n"
        "| whole threads: on-topic comments under their own article held | %.4f | %.4f |\n"
        "| whole threads: ROC-AUC of P(off-topic), moved against own | %.4f | %.4f |\n\n"
        "On data it was not fitted on (the blog's short articles, corpus dev's question threads as given and "
        "whole): `tools/topicality_curve.py`.\n",
        opt->data_path, opt->hold_at_most, opt->content_mass, opt->stem_chars, opt->min_df, opt->seed, opt->release_at_most, opt->belong_cosine, half, r->stems,
        r->documents, r->pairs, r->articles, r->article_mass[0], r->article_mass[1], r->strength, r->coef[0],
        r->coef[1], r->coef[2], r->coef[3], r->coef[4], r->article_mass_half, CG_TOPIC_GATE_POWER, r->belong_strength, r->belong_cosine, r->belong_mass_half, CG_TOPIC_GATE_POWER, r->off_topic,
        r->off_topic_kept[0], r->off_topic_kept[1], r->held_model[0], r->held_stage[0],
        r->auc_model[0], r->auc_stage[0], r->held_model[1], r->held_stage[1], r->auc_model[1], r->auc_stage[1]);
    return n < 0 ? NULL : text;
}

cg_status cg_topicality_write_card(const char *dir, const cg_topic_fit_options *opt, const cg_topic_fit_report *r,
                                   char *err, size_t errlen)
{
    char *path = cg_bundle_path(dir, CG_BUNDLE_CARD), *card = NULL, *add = section(opt, r), *out = NULL;
    size_t len = 0;
    cg_status st = path && add ? CG_OK : CG_ERR_NOMEM;
    FILE *probe = st == CG_OK ? fopen(path, "rb") : NULL;
    if (probe) {
        fclose(probe);
        st = cg_read_file(path, CARD_LIMIT, &card, &len, err, errlen);
    }
    if (st == CG_OK) {
        /* The card without an earlier section: up to its heading (trailing blank lines dropped), the
         * section, then from the next heading on. */
        const char *start = card ? strstr(card, "\n" HEADING "\n") : NULL;
        size_t head = card ? (start ? (size_t)(start - card) : len) : 0;
        while (head > 0 && card[head - 1] == '\n')
            head--;
        const char *rest = start ? strstr(start + 1, "\n## ") : NULL;
        int n = asprintf(&out, "%.*s%s%s%s%s", (int)head, head ? card : "", head ? "\n\n" : "", add,
                         rest ? "\n" : "", rest ? rest + 1 : "");
        st = n < 0 ? CG_ERR_NOMEM : cg_bundle_write_file(dir, CG_BUNDLE_CARD, out, (size_t)n, err, errlen);
    }
    free(out);
    free(card);
    free(add);
    free(path);
    return st;
}
