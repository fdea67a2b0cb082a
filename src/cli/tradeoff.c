/* tradeoff.c - the cost of the unsure band's thresholds on a labelled data set (see tradeoff.h). */
#include "tradeoff.h"

#include <string.h>

/* Rates are compared as counts against limit * total, with room for the rounding of the limit
 * (0.05 * 200 must allow 10). */
#define SLACK 1e-9

void cli_tradeoff_count(cli_tradeoff *t, const cg_label *gold, const cg_result *results, size_t n)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < CG_NUM_CLASSES; c++)
            if (gold[i] == (cg_label)c)
                t->support[c]++;
            else
                t->others[c]++;
    for (size_t i = 0; i < n; i++) {
        int c = (int)results[i].label;
        if (c < 0 || c >= CG_NUM_CLASSES)
            continue;
        double p = results[i].prob[c];
        for (int s = 0; s <= CLI_TRADEOFF_STEPS; s++) {
            int held = p < cli_tradeoff_threshold(s); /* as cg_classify decides */
            if (gold[i] == (cg_label)c)
                t->held[c][s] += held;
            else if (held)
                t->caught[c][s]++;
            else
                t->missed[c][s]++;
        }
    }
}

double cli_tradeoff_threshold(int step)
{
    return (double)step / CLI_TRADEOFF_STEPS;
}

double cli_tradeoff_hold(const cli_tradeoff *t, int c, int step)
{
    return t->support[c] ? (double)t->held[c][step] / (double)t->support[c] : 0.0;
}

double cli_tradeoff_miss(const cli_tradeoff *t, int c, int step)
{
    return t->others[c] ? (double)t->missed[c][step] / (double)t->others[c] : 0.0;
}

static int within(size_t count, size_t total, double limit)
{
    return limit < 0 || (double)count <= limit * (double)total + SLACK;
}

int cli_tradeoff_choose(const cli_tradeoff *t, int c, cli_constraint limit)
{
    if (limit.miss_at_most >= 0) {
        for (int s = 0; s <= CLI_TRADEOFF_STEPS; s++)
            if (within(t->missed[c][s], t->others[c], limit.miss_at_most))
                return within(t->held[c][s], t->support[c], limit.hold_at_most) ? s : -1;
        return -1;
    }
    for (int s = CLI_TRADEOFF_STEPS; s >= 0; s--)
        if (within(t->held[c][s], t->support[c], limit.hold_at_most))
            return s;
    return -1;
}
