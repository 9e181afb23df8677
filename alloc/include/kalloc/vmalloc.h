/*
 * vmalloc: virtually contiguous, physically scattered memory, each area
 * followed by an inaccessible guard page; kvmalloc tries kmalloc first.
 */
#ifndef KALLOC_VMALLOC_H
#define KALLOC_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include "gfp.h"
#include "mm.h"

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* NULL is a no-op; anything but an area's start is reported
 * (KALLOC_BUG_VMALLOC) and nothing is freed. */
void vfree(const void *addr);
/* NULL for an address with no page: free vmalloc space, a guard page, or
 * outside the vmalloc range. */
struct page *vmalloc_to_page(const void *addr);
/* ULONG_MAX (never pfn_valid()) where vmalloc_to_page() gives NULL. */
unsigned long vmalloc_to_pfn(const void *addr);
/* Inside the vmalloc range, mapped or not (a range check, as the kernel's). */
bool is_vmalloc_addr(const void *addr);

void *kvmalloc(size_t size, gfp_t gfp);
void *kvzalloc(size_t size, gfp_t gfp);
void kvfree(const void *addr);

#endif /* KALLOC_VMALLOC_H */
