/* import_wordpress.h - a WordPress export (WXR) turned into labelled comments for `commentguard
 * train` and the articles file of `serve --articles` (import_wordpress.c). */
#ifndef CG_WORDPRESS_IMPORT_WORDPRESS_H
#define CG_WORDPRESS_IMPORT_WORDPRESS_H

#include <stddef.h>

/* The statuses of a WordPress comment, and their names as in the options of import-wordpress. */
enum { WP_APPROVED, WP_SPAM, WP_PENDING, WP_TRASH, WP_STATUSES };
extern const char *const wp_status_names[WP_STATUSES];
#define WP_SKIP (-1) /* the "label" of comments left out */

typedef struct wp_import_options {
    const char *export_path, *out_path, *articles_path; /* articles_path may be NULL */
    int label[WP_STATUSES]; /* the cg_label of each status, or WP_SKIP */
    int pingbacks;          /* import pingbacks and trackbacks as comments of their status */
    size_t thread;          /* each article's "thread": its latest `thread` approved comments (0: none) */
} wp_import_options;

/* What an import wrote and left out. */
typedef struct wp_import_counts {
    size_t written[WP_STATUSES], skipped[WP_STATUSES];
    size_t pingbacks, other_types, posts;
} wp_import_counts;

/* Read the export and write the comments (and the articles, if asked) through temporary files
 * renamed into place only when the whole export has been read: 0, or -1 with the reason (file:line
 * for a malformed export) in err, and nothing written. */
int wp_import(const wp_import_options *o, wp_import_counts *count, char *err, size_t errlen);

#endif
