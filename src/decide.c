/* decide.c - which class to name, given calibrated probabilities. */
#include "decide.h"

cg_label cg_decide(const double prob[CG_NUM_CLASSES], const double weight[CG_NUM_CLASSES],
                   const int order[CG_NUM_CLASSES])
{
    int best = order[0];
    for (int i = 1; i < CG_NUM_CLASSES; i++) {
        int c = order[i];
        if (prob[c] * weight[c] > prob[best] * weight[best])
            best = c;
    }
    return (cg_label)best;
}
