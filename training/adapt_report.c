/* adapt_report.c - the figures of `train --base` as Markdown: printed, and kept in CARD.md. */
#include <math.h>

#include "adapt_report.h"

static const char *const model_names[CG_SITE_MODELS] = {"base", "adapted", "site model alone"};

static void figures_table(FILE *f, const cg_site_cv *cv)
{
    fprintf(f, "| model | ROC-AUC of P(off-topic) | caught at 10%% held | held at its labels | caught at its labels |\n");
    fprintf(f, "|---|---:|---:|---:|---:|\n");
    for (int m = 0; m < CG_SITE_MODELS; m++) {
        const cg_site_figures *a = &cv->mean[m], *s = &cv->sd[m];
        fprintf(f, "| %s | %.4f ± %.4f | %.1f%% ± %.1f | %.1f%% ± %.1f | %.1f%% ± %.1f |\n", model_names[m], a->auc,
                s->auc, 100 * a->caught, 100 * s->caught, 100 * a->held, 100 * s->held, 100 * a->caught_labels,
                100 * s->caught_labels);
    }
    fprintf(f, "\nBlend chosen in the %d training folds: %.2f to %.2f (mean %.2f).\n", cv->repeats * cv->folds,
            cv->blend_min, cv->blend_max, cv->blend_mean);
}

void cg_adapt_report_write(FILE *f, const cg_adapt_options *opt, const cg_adapt_report *rep)
{
    fprintf(f, "## Site rows\n\n%zu rows: %zu on-topic, %zu off-topic, %zu abusive.", rep->n_file_rows,
            rep->count[CG_ON_TOPIC], rep->count[CG_OFF_TOPIC], rep->count[CG_ABUSIVE]);
    if (rep->fallback) {
        fprintf(f, " Fewer than two classes have %d rows or more: there is nothing to learn a site model from, "
                   "so this bundle keeps the base's judgement unchanged (blend 0).\n\n", CG_SITE_MIN_CLASS_ROWS);
        return;
    }
    fprintf(f, " The site model learns");
    for (int c = 0, k = 0; c < CG_NUM_CLASSES; c++)
        if (rep->has_class[c])
            fprintf(f, "%s %s", k++ ? "," : "", cg_label_name((cg_label)c));
    if (rep->params.unseen == CG_UNSEEN_CAPPED && rep->has_class[CG_ON_TOPIC])
        fprintf(f, "; other classes keep the base's labels and its probability, lowered as on-topic's where the site "
                   "model lowers that (their odds against on-topic kept; a class needs %d rows).\n\n",
                CG_SITE_MIN_CLASS_ROWS);
    else
        fprintf(f, "; other classes keep the base's probability (a class needs %d rows).\n\n", CG_SITE_MIN_CLASS_ROWS);
    const cg_site_params *p = &rep->params;
    if (p->blend == 0) {
        fprintf(f, "## Blend\n\nSite model weight **0** (%s): this bundle keeps the base's probabilities and "
                   "decision rule.\n\n",
                opt->fit.blend >= 0 ? "forced by --blend"
                                    : "chosen by cross-validation within the rows: the site model did not rank the "
                                      "held-out rows better than the base");
    } else {
        fprintf(f, "## Blend\n\nSite model weight **%.2f** (%s, chosen by %d-fold cross-validation within the "
                   "rows%s), decision weights on-topic %.3g, off-topic %.3g, abusive %.3g (chosen to hold at most %.0f%% of "
                   "on-topic rows in that cross-validation). Site model: C %g, word n-grams up to %u, character "
                   "n-grams %u-%u within words and %u-%u across the text (weight %g), author weight %g.\n\n",
                p->blend, cg_blend_space_name(p->space), opt->fit.folds,
                opt->fit.blend >= 0 ? "; forced by --blend" : "", p->class_weight[0], p->class_weight[1],
                p->class_weight[2], 100 * opt->fit.hold_target, opt->fit.c, rep->site_extractor.word_ngrams,
                rep->site_extractor.char_min, rep->site_extractor.char_max, rep->features.text_min,
                rep->features.text_max, rep->features.text_weight, rep->features.author_weight);
    }
    if (rep->n_narrowed > 0) {
        fprintf(f, "The site vectors would have needed more than the vectors' memory budget (%g MB, "
                   "--vector-memory), so the site features were narrowed:", opt->vector_mb);
        for (int k = 0; k < rep->n_narrowed; k++)
            fprintf(f, "%s %s", k ? ";" : "", rep->narrowed[k]);
        fprintf(f, ". ");
    }
    if (rep->n_narrowed > 0 || rep->over_budget)
        fprintf(f, "The site vectors hold %zu nodes (%.1f MB)%s.\n\n", rep->vector_nodes,
                (double)rep->vector_nodes * 16 / (1024 * 1024),
                rep->over_budget ? ", more than the budget even with the narrowest features" : "");
    if (!rep->have_cv)
        return;
    fprintf(f, "## Base against adapted on the site's rows\n\n");
    fprintf(f, "Stratified %d-fold cross-validation repeated with %d seeds; the blend and decision weights are "
               "chosen inside each training fold; ROC-AUC pooled over one repetition's folds; mean ± spread (sd) "
               "over the repetitions. Caught at 10%% held: off-topic rows whose P(off-topic) is above the 90th "
               "percentile of the on-topic rows'. Held / caught at its labels: on-topic / off-topic rows not "
               "labelled on-topic.\n\n",
            rep->cv.folds, rep->cv.repeats);
    figures_table(f, &rep->cv);
    fprintf(f, "\nGrouped by article (the rows under one article in one fold):\n\n");
    figures_table(f, &rep->cv_grouped);
    fprintf(f, "\n");
}

void cg_adapt_report_summary(FILE *f, const cg_adapt_report *rep)
{
    if (rep->fallback || !rep->have_cv)
        return;
    const cg_site_figures *base = &rep->cv.mean[CG_SITE_BASE], *adapted = &rep->cv.mean[CG_SITE_ADAPTED];
    fprintf(f, "adapted against base (cross-validation within the rows): ROC-AUC %.4f against %.4f (grouped by "
               "article %.4f), caught at 10%% held %.1f%% against %.1f%%, held / caught at its labels %.1f%% / %.1f%%, "
               "blend %.2f\n",
            adapted->auc, base->auc, rep->cv_grouped.mean[CG_SITE_ADAPTED].auc, 100 * adapted->caught,
            100 * base->caught, 100 * adapted->held, 100 * adapted->caught_labels, rep->params.blend);
}
