/* compare.c - qsort comparators shared by several files (compare.h). */
#include "compare.h"

#include <stdint.h>

int cg_compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}
