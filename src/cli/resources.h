/* resources.h - what the subcommands take from the machine and the library (resources.c). */
#ifndef CG_CLI_RESOURCES_H
#define CG_CLI_RESOURCES_H

#include "commentguard.h"

/* The default worker count: the online cores, at most CLI_MAX_THREADS. */
#define CLI_MAX_THREADS 256
int cli_default_threads(void);

/* Open the model in dir (NULL: the default model): 0, or CLI_USAGE after reporting why not. */
int cli_open_model(const char *cmd, const char *dir, cg_model **out);

/* Seconds on a monotonic clock. */
double cli_now(void);

#endif
