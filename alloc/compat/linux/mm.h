/*
 * linux/mm.h for slabfuzz's kernel-compat layer: pages and addresses
 * (page_address, virt_to_page, nth_page ...), the page allocator, and
 * kvmalloc, served by kalloc.
 */
#ifndef _SLABFUZZ_LINUX_MM_H
#define _SLABFUZZ_LINUX_MM_H

#include <kalloc/mm.h>
#include <kalloc/vmalloc.h>
#include "linux/gfp.h"
#include "linux/kernel.h"
#include "linux/mm_types.h"
#include "linux/sizes.h"

/* mem_map is contiguous: the kernel's generic nth_page() is this. */
#define nth_page(page, n)	((page) + (n))
#define page_to_virt(page)	page_address(page)
#define lowmem_page_address(page) page_address(page)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define PAGE_ALIGN_DOWN(addr)	ALIGN_DOWN(addr, PAGE_SIZE)

static inline struct page *virt_to_head_page(const void *x)
{
	return compound_head(virt_to_page(x));
}

static inline unsigned long page_size(const struct page *page)
{
	return PAGE_SIZE << compound_order(page);
}

#endif /* _SLABFUZZ_LINUX_MM_H */
