/* generations.h - the models `serve --learn DIR` trains, kept in DIR as generation-NNNNNN
 * directories (generations.c). */
#ifndef CG_SERVE_GENERATIONS_H
#define CG_SERVE_GENERATIONS_H

#include <stddef.h>

/* What DIR/generation-N/generation.json records (written last: a generation without it is
 * unfinished and never used). */
typedef struct generation_info {
    long number;
    char base[17];         /* the identity of the bundle it was adapted from */
    size_t site_rows;      /* the rows it learned */
    size_t feedback_lines; /* the feedback lines it had read */
} generation_info;

/* The identity of a bundle: 16 hex digits of a hash of the files a model is read from
 * (bundle.json, model.svm, lexicon.txt when present). 0, or -1 with the reason in err. */
int generation_base_id(const char *bundle_dir, char id[17], char *err, size_t errlen);

/* DIR/generation-N, as a new string (NULL if out of memory). */
char *generation_path(const char *dir, long number);

/* The newest finished generation in dir adapted from `base`: 1 with *out filled in, else 0.
 * *highest receives the highest generation number in dir, finished or not, of any base (0: none). */
int generation_newest(const char *dir, const char *base, generation_info *out, long *highest);

/* Finish DIR/generation-N (its bundle written) by writing its generation.json through a synced
 * temporary file: 0, or -1 with the reason in err. */
int generation_seal(const char *dir, const generation_info *g, char *err, size_t errlen);

/* Remove the generation directories numbered below `oldest_kept`, and what a stopped trainer left
 * (call it while no trainer runs). */
void generation_prune(const char *dir, long oldest_kept);

#endif
