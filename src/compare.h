/* compare.h - qsort comparators shared by several files. */
#ifndef CG_COMPARE_H
#define CG_COMPARE_H

/* Ascending order of uint32_t values. */
int cg_compare_u32(const void *a, const void *b);

#endif
