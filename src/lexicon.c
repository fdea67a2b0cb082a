/* lexicon.c - reading a bundle's lexicon into an extractor.
 *
 * A lexicon signal counts insults however long the comment around them: the hashed block is scaled
 * to unit length, so one insult in a long comment weighs little there (measured: recall on the
 * toxic-spans source falls with length). Entries are keyed as the comment's own unigrams and
 * bigrams are hashed and kept in a small hash set, so matching costs about one probe per word. */
#include "lexicon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_file.h"

/* Bounds that keep a hostile file from taking the memory of the process. */
#define MAX_ENTRY_BYTES 256
#define MAX_ENTRIES 1000000

/* A key of the table to be, with its CG_LEXICON_* bit. */
typedef struct keyed {
    uint64_t key;
    unsigned char kind;
} keyed;

static int is_skipped(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    return i == len || line[i] == '#';
}

/* The sections of a lexicon file (lexicon.h): the entries before any header line, then the words or
 * phrases after "[unmarked]" or "[promotion]". */
enum section { SECTION_ENTRIES, SECTION_UNMARKED, SECTION_PROMOTION, SECTION_NONE };
static const char *const section_headers[] = {[SECTION_UNMARKED] = "[unmarked]", [SECTION_PROMOTION] = "[promotion]"};

/* The section that the line starts, or SECTION_NONE if it is no header. */
static enum section header_of(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    for (int s = SECTION_UNMARKED; s <= SECTION_PROMOTION; s++)
        if (len == strlen(section_headers[s]) && memcmp(line, section_headers[s], len) == 0)
            return (enum section)s;
    return SECTION_NONE;
}

/* The keys of one entry (its own, and for two words the first word's) appended to *keys, or a
 * message saying why the line is not one. An unmarked entry is one word, keyed as a unigram. */
static const char *entry_keys(const cg_extractor *ex, cg_workspace *ws, const char *line, size_t len,
                              enum section section, keyed *keys, size_t *n)
{
    if (len > MAX_ENTRY_BYTES)
        return "an entry has at most 256 bytes";
    if (memchr(line, '\0', len))
        return "NUL byte in an entry";
    if (cg_analyse(ex, ws, line, len) != CG_OK)
        return ws->error;
    cg_clear_accumulator(ws);
    if (ws->stats.invalid > 0)
        return "not valid UTF-8";
    if (ws->n_tokens < 1 || ws->n_tokens > 2 || ws->tokens[0].kind != CG_TOK_WORD ||
        ws->tokens[ws->n_tokens - 1].kind != CG_TOK_WORD)
        return "an entry must be one or two words";
    if (section == SECTION_UNMARKED) {
        if (ws->n_tokens != 1)
            return "an unmarked entry must be one word";
        keys[(*n)++] = (keyed){ws->token_hash[0], CG_LEXICON_UNMARKED};
        return NULL;
    }
    int promotion = section == SECTION_PROMOTION;
    keys[(*n)++] = (keyed){cg_lexicon_key(ex, ws), promotion ? CG_LEXICON_PROMOTION : CG_LEXICON_ENTRY};
    if (ws->n_tokens == 2)
        keys[(*n)++] = (keyed){ws->token_hash[0], promotion ? CG_LEXICON_PROMOTION_PAIR_START : CG_LEXICON_PAIR_START};
    return NULL;
}

/* The hash set of the keys into ex: a power of two of at least twice their number of slots, so that
 * probes stay short. Spellings that fold alike ("pu55y") share a slot. (A key of 0, one chance in
 * 2^64, is left out: 0 marks an empty slot.) */
static cg_status build_table(cg_extractor *ex, const keyed *keys, size_t n)
{
    size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    ex->lexicon_keys = calloc(slots, sizeof *ex->lexicon_keys);
    ex->lexicon_kind = calloc(slots, sizeof *ex->lexicon_kind);
    if (!ex->lexicon_keys || !ex->lexicon_kind)
        return CG_ERR_NOMEM;
    ex->lexicon_mask = slots - 1;
    for (size_t i = 0; i < n; i++) {
        if (keys[i].key == 0)
            continue;
        size_t s = keys[i].key & ex->lexicon_mask;
        while (ex->lexicon_keys[s] != 0 && ex->lexicon_keys[s] != keys[i].key)
            s = (s + 1) & ex->lexicon_mask;
        ex->lexicon_keys[s] = keys[i].key;
        ex->lexicon_kind[s] |= keys[i].kind;
    }
    ex->n_lexicon = ex->n_unmarked = ex->n_promotion = 0;
    for (size_t s = 0; s < slots; s++) {
        ex->n_lexicon += (ex->lexicon_kind[s] & CG_LEXICON_ENTRY) != 0;
        ex->n_unmarked += (ex->lexicon_kind[s] & CG_LEXICON_UNMARKED) != 0;
        ex->n_promotion += (ex->lexicon_kind[s] & CG_LEXICON_PROMOTION) != 0;
    }
    return CG_OK;
}

cg_status cg_lexicon_load(cg_extractor *ex, char *err, size_t errlen)
{
    const char *path = ex->config.lexicon;
    if (!*path)
        return CG_OK;
    char *data;
    size_t size;
    cg_status st = cg_read_file(path, CG_LEXICON_MAX_BYTES, &data, &size, err, errlen);
    if (st != CG_OK)
        return st;
    cg_workspace *ws = NULL;
    st = cg_workspace_create(&ws);
    keyed *keys = NULL;
    size_t n = 0, n_entries = 0, cap = 0, line_no = 0;
    enum section section = SECTION_ENTRIES;
    for (size_t at = 0; st == CG_OK && at < size;) {
        const char *line = data + at, *nl = memchr(line, '\n', size - at);
        size_t len = nl ? (size_t)(nl - line) : size - at;
        at += len + 1;
        line_no++;
        while (len > 0 && line[len - 1] == '\r')
            len--;
        if (is_skipped(line, len))
            continue;
        enum section header = header_of(line, len);
        if (header != SECTION_NONE) {
            section = header;
            continue;
        }
        if ((st = cg_grow((void **)&keys, &cap, n + 2, sizeof *keys)) != CG_OK)
            break;
        const char *why = n_entries == MAX_ENTRIES ? "more than 1000000 entries"
                                                   : entry_keys(ex, ws, line, len, section, keys, &n);
        if (why) {
            if (err)
                snprintf(err, errlen, "%s:%zu: %s", path, line_no, why);
            st = CG_ERR_FORMAT;
        }
        n_entries++;
    }
    if (st == CG_OK && n_entries == 0) {
        if (err)
            snprintf(err, errlen, "%s: no entries", path);
        st = CG_ERR_FORMAT;
    }
    free(data);
    cg_workspace_free(ws);
    if (st == CG_OK && (st = build_table(ex, keys, n)) != CG_OK) {
        free(ex->lexicon_keys);
        free(ex->lexicon_kind);
        ex->lexicon_keys = NULL;
        ex->lexicon_kind = NULL;
    }
    free(keys);
    if (st == CG_ERR_NOMEM && err)
        snprintf(err, errlen, "%s: out of memory", path);
    return st;
}

int cg_lexicon_has_section(const char *data, size_t size, const char *header)
{
    for (size_t at = 0; at < size;) {
        const char *line = data + at, *nl = memchr(line, '\n', size - at);
        size_t len = nl ? (size_t)(nl - line) : size - at;
        at += len + 1;
        while (len > 0 && line[len - 1] == '\r')
            len--;
        enum section s = header_of(line, len);
        if (s != SECTION_NONE && strcmp(section_headers[s], header) == 0)
            return 1;
    }
    return 0;
}
