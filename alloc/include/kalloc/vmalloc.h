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
void vfree(const void *addr);
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
bool is_vmalloc_addr(const void *addr);

void *kvmalloc(size_t size, gfp_t gfp);
void *kvzalloc(size_t size, gfp_t gfp);
void kvfree(const void *addr);

#endif /* KALLOC_VMALLOC_H */
