/* train_base.h - `commentguard train --base` (train_base.c). */
#ifndef CG_TRAIN_BASE_H
#define CG_TRAIN_BASE_H

/* Whether argv holds --base (or --base=...): train then adapts a bundle instead of training one. */
int cli_train_has_base(int argc, char **argv);

/* `commentguard train --base ...`; argv[0] is the subcommand's name. Returns the exit status. */
int cli_train_base(int argc, char **argv);

#endif
