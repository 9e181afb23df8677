/*
 * linux/mm_types.h for slabfuzz's kernel-compat layer: struct page as a
 * complete type, so that page + i, &page[i] and nth_page() work as in the
 * kernel (mem_map is one array of them). The body is opaque: its fields
 * belong to the allocator (alloc/mem/memory.h, which asserts the size).
 * Kernel code reads a page through page_address(), page_count(),
 * PageHead() ... (kalloc/mm.h), never through its fields.
 */
#ifndef _SLABFUZZ_LINUX_MM_TYPES_H
#define _SLABFUZZ_LINUX_MM_TYPES_H

#include <kalloc/mm.h>
#include "linux/types.h"

struct page {
	unsigned long __kalloc_private[KALLOC_STRUCT_PAGE_SIZE / sizeof(unsigned long)];
};

_Static_assert(sizeof(struct page) == KALLOC_STRUCT_PAGE_SIZE,
	       "the compat struct page has the allocator's size");

#endif /* _SLABFUZZ_LINUX_MM_TYPES_H */
