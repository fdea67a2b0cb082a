/* markup.h - recognising HTML tags and character entities in comment text. */
#ifndef CG_MARKUP_H
#define CG_MARKUP_H

#include <stddef.h>
#include <stdint.h>

typedef enum cg_markup_kind {
    CG_MARKUP_NONE = 0, /* the byte is literal text */
    CG_MARKUP_ENTITY,   /* &amp; &#8220; &#x27; ...: stands for `codepoint` */
    CG_MARKUP_TAG,      /* <a ...>, </p>, <!-- ... -->: dropped, but see the fields */
} cg_markup_kind;

typedef struct cg_markup {
    size_t consumed;    /* bytes of input the markup spans */
    uint32_t codepoint; /* for an entity */
    int is_image;       /* <img ...> */
    int is_anchor;      /* <a href=...> */
    const char *href;   /* link target of <a href>, pointing into the input (not decoded) */
    size_t href_len;
} cg_markup;

/* Look at p[0..n) where p[0] is '<' or '&' and say whether markup starts there. Markup is
 * recognised only when it is complete and short (a tag closes within 2 KiB), so stray '<' and '&'
 * in ordinary prose stay text. */
cg_markup_kind cg_markup_at(const char *p, size_t n, cg_markup *m);

#endif
