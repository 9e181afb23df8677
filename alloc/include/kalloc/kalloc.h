/*
 * slabfuzz's kernel allocator: the umbrella header. Kernel-style code
 * includes this one file and calls kmalloc, kmem_cache_create, alloc_pages,
 * vmalloc ... by their kernel names.
 */
#ifndef KALLOC_KALLOC_H
#define KALLOC_KALLOC_H

#include "gfp.h"
#include "report.h"
#include "config.h"
#include "fault.h"
#include "machine.h"
#include "objects.h"
#include "mm.h"
#include "shrinker.h"
#include "slab.h"
#include "vmalloc.h"
#include "walk.h"

#endif /* KALLOC_KALLOC_H */
