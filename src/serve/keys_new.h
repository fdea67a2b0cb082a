/* keys_new.h - a fresh API key added to a keys file (keys_new.c), for `commentguard keys new`. */
#ifndef CG_SERVE_KEYS_NEW_H
#define CG_SERVE_KEYS_NEW_H

#include <stddef.h>

/* The length of a key: Akismet's WordPress plugin keeps only the hex digits of the key typed into
 * its settings screen and refuses, without asking the server, a key of another length. */
#define KEYS_NEW_LENGTH 12

/* Add a line "KEY[ BLOG]" with a fresh random key of KEYS_NEW_LENGTH lowercase hex digits to the
 * keys file at path (created, mode 0600, if absent). The file is replaced whole: its old lines and
 * the new one are written to a temporary file beside it, synced and renamed over it, so that a
 * failure leaves it as it was. blog (NULL: none) must be one word without blanks. 0 with the key
 * in key[0..KEYS_NEW_LENGTH], or -1 with the reason in err. */
int keys_new(const char *path, const char *blog, char key[KEYS_NEW_LENGTH + 1], char *err, size_t errlen);

#endif
