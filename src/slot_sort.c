/* slot_sort.c - the hashed slots a text touched, in ascending order (slot_sort.h). */
#include "slot_sort.h"

static void insertion_sort(uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/*
 * The distinct slots a[0..n), each below 2^bits, in ascending order; returns a or tmp (room for
 * n), whichever holds them. A few are sorted in place; more are marked in a bitmap of all slots
 * (bitmap, 2^bits bits, all clear) with a summary of its non-zero words (summary, 2^bits / 2^12
 * bits, all clear), then read back in order from the summary's set bits, clearing both as it goes:
 * a fixed number of steps per slot (measured: no fewer than a two-pass radix sort's, whose
 * counters cost more per comment), and little per comment.
 */
#define SORT_INSERTION_MAX_N 16

static const uint32_t *sort_slots(uint32_t *a, size_t n, uint32_t *tmp, uint64_t *bitmap, uint64_t *summary,
                                  size_t summary_len)
{
    if (n <= SORT_INSERTION_MAX_N) {
        insertion_sort(a, n);
        return a;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t slot = a[i];
        bitmap[slot >> 6] |= 1ull << (slot & 63);
        summary[slot >> 12] |= 1ull << ((slot >> 6) & 63);
    }
    size_t out = 0;
    for (size_t w = 0; w < summary_len; w++) {
        for (uint64_t words = summary[w]; words; words &= words - 1) {
            size_t word = w * 64 + (size_t)__builtin_ctzll(words);
            for (uint64_t b = bitmap[word]; b; b &= b - 1)
                tmp[out++] = (uint32_t)(word * 64 + (size_t)__builtin_ctzll(b));
            bitmap[word] = 0;
        }
        summary[w] = 0;
    }
    return tmp;
}

cg_status cg_sort_touched(cg_workspace *ws, unsigned hash_bits, const uint32_t **sorted)
{
    if (cg_grow((void **)&ws->sort_tmp, &ws->sort_tmp_cap, ws->n_touched + 1, sizeof *ws->sort_tmp) != CG_OK ||
        cg_slot_bitmap(ws, hash_bits) != CG_OK)
        return CG_ERR_NOMEM;
    *sorted = sort_slots(ws->touched, ws->n_touched, ws->sort_tmp, ws->slot_bits, ws->slot_words, ws->slot_words_len);
    return CG_OK;
}
