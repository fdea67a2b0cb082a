/* topicality_card.h - the model card's section on a bundle's topicality stage (topicality_card.c). */
#ifndef CG_TOPICALITY_CARD_H
#define CG_TOPICALITY_CARD_H

#include "topicality_types.h"

/* Write the section "## Topicality stage" of dir's CARD.md (replacing an earlier one, the rest kept;
 * a bundle without a card gets one with this section alone): what the stage does, the fit's figures
 * and the command that made them. Through a temporary file renamed into place. */
cg_status cg_topicality_write_card(const char *dir, const cg_topic_fit_options *opt, const cg_topic_fit_report *r,
                                   char *err, size_t errlen);

#endif
