/* fold.h - undoing the tricks people use to hide words from filters. */
#ifndef CG_FOLD_H
#define CG_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Fold obfuscation in cps[0..n), already case-folded (but for the capitals cg_fold_capital keeps)
 * and stripped of marks, in place: look-alike letters, letters set apart ("f.u.c.k"), leetspeak
 * and masked words (fold.c says how). Returns the new length, at most n, and adds one to *folded
 * for each word undone. Used for features only: the text a caller gave is never changed.
 */
size_t cg_fold(uint32_t *cps, size_t n, uint32_t *folded);

/*
 * cg_fold for code points that are all ASCII, as a caller that knows it can ask. maybe_leet 0 says
 * that none of them is a digit, '*', '@', '$', '!' or '|' (what leetspeak and masked words are
 * made of): the leetspeak pass, which would find nothing to read, is skipped.
 */
size_t cg_fold_ascii(uint32_t *cps, size_t n, uint32_t *folded, int maybe_leet);

/*
 * Whether pass 2 could join letters set apart in plain ASCII text, looked at byte by byte by a
 * caller that reads the text anyway: it must hold a unit (a letter, a digit that may stand for one,
 * '@' or '$') after no letter or digit, one to three separators, a unit and no letter or digit,
 * the least fold.c's separated_run needs to find a run. Start with CG_FOLD_SCAN_START, give each
 * byte in order to cg_fold_scan_byte; cg_fold_scan_end then says whether it could.
 *
 * Read by shift-and: bit p of `state` says that the text read so far ends with the first p + 1
 * classes of one of three patterns, for one, two and three separators, packed side by side (bits
 * 0-4, 5-10 and 11-17; each starts and ends with "no letter or digit"); `seen` gathers the states.
 */
typedef struct cg_fold_scan {
    uint32_t state, seen;
} cg_fold_scan;

#define CG_FOLD_SCAN_EDGE ((1u << 0) | (1u << 4) | (1u << 5) | (1u << 10) | (1u << 11) | (1u << 17))
#define CG_FOLD_SCAN_FIRST ((1u << 0) | (1u << 5) | (1u << 11))
#define CG_FOLD_SCAN_LAST ((1u << 4) | (1u << 10) | (1u << 17))
#define CG_FOLD_SCAN_UNIT ((1u << 1) | (1u << 3) | (1u << 6) | (1u << 9) | (1u << 12) | (1u << 16))
#define CG_FOLD_SCAN_SEPARATOR ((1u << 2) | (1u << 7) | (1u << 8) | (1u << 13) | (1u << 14) | (1u << 15))
/* The mask of a character of pass 2's classes k (fold.c: a unit 1, a letter or digit 2, a separator 4). */
#define CG_FOLD_SCAN_MASK(k) \
    (((k) & 1 ? CG_FOLD_SCAN_UNIT : 0) | ((k) & 4 ? CG_FOLD_SCAN_SEPARATOR : 0) | ((k) & 2 ? 0 : CG_FOLD_SCAN_EDGE))
#define CG_FOLD_SCAN_START ((cg_fold_scan){CG_FOLD_SCAN_FIRST, 0}) /* before the text, as after a space */

/* fold.c: for each byte, pass 2's classes of it in bits 24-26 (none beyond ASCII), and below them
 * its CG_FOLD_SCAN_MASK exclusive-or that of a character of no class (so that 0 is no class). */
extern const uint32_t cg_fold_ascii_classes[256];

static inline void cg_fold_scan_byte(cg_fold_scan *scan, unsigned char c)
{
    /* The classes' bits above the masks' are left in: shifted only up, they never reach a mask's. */
    uint32_t mask = cg_fold_ascii_classes[c] ^ CG_FOLD_SCAN_MASK(0);
    scan->state = ((scan->state << 1) | CG_FOLD_SCAN_FIRST) & mask;
    scan->seen |= scan->state;
}

static inline int cg_fold_scan_end(cg_fold_scan scan)
{
    cg_fold_scan_byte(&scan, ' '); /* after the text, as before a space */
    return (scan.seen & CG_FOLD_SCAN_LAST) != 0;
}

/*
 * cg_fold_ascii for plain ASCII text held as bytes s[0..n) (none beyond ASCII), in place, in
 * which cg_fold_scan found no letters set apart: reads its leetspeak (if maybe_leet), span by span
 * as code points in scratch (room for n), by cg_fold's rules. Its length never changes.
 */
void cg_fold_ascii_bytes(char *s, size_t n, uint32_t *scratch, uint32_t *folded, int maybe_leet);

/*
 * For the normaliser: `c` is what case folding made of a capital letter (one code point). Returns
 * the capital again for the few letters whose capital and small forms imitate different Latin
 * letters (Greek Η looks like H, η like n; also Μ μ, Ν ν, Υ υ, Ζ ζ), so that cg_fold can tell them
 * apart; c itself otherwise. cg_fold case-folds the capitals it does not fold.
 */
uint32_t cg_fold_capital(uint32_t c);

/*
 * Fold one word (UTF-8, as tokenised) for hashing into out (room for len bytes): a letter written
 * three or more times in a row is read once ("stuuupid" -> "stupid"). Returns the length written
 * and adds the number of foldings to *folded.
 */
size_t cg_fold_word(const char *word, size_t len, char *out, uint32_t *folded);

#endif
