/*
 * What is still allocated: every live slab object, large kmalloc, page
 * block and vmalloc area, with the allocation's caller where the allocator
 * recorded one. For leak reports in the style of kmemleak, after the code
 * that should have freed everything has run.
 */
#ifndef KALLOC_OBJECTS_H
#define KALLOC_OBJECTS_H

#include <stddef.h>

enum kalloc_object_kind {
	KALLOC_OBJ_SLAB,		/* kmem_cache_alloc / kmalloc */
	KALLOC_OBJ_LARGE_KMALLOC,	/* kmalloc above KMALLOC_MAX_CACHE_SIZE */
	KALLOC_OBJ_PAGES,		/* alloc_pages / __get_free_pages */
	KALLOC_OBJ_VMALLOC,		/* vmalloc / vzalloc / kvmalloc */
};

struct kalloc_object {
	enum kalloc_object_kind kind;
	const void *addr;	/* what the allocation returned */
	size_t size;		/* the request where it is known (a kmalloc under
				 * slab_debug U, a vmalloc, a large kmalloc under
				 * Z), else the object or block size */
	const char *cache;	/* SLAB: the cache's name; else NULL */
	unsigned long caller;	/* return address of the allocating call; 0 if
				 * not recorded (slab objects need slab_debug U;
				 * pages and large kmallocs have none) */
	unsigned long when;	/* kalloc_op_count() at the allocation, if caller */
	int pid;		/* the task that allocated, if caller */
};

typedef void (*kalloc_object_fn)(const struct kalloc_object *o, void *arg);

/*
 * Call fn for every allocation still live, in address order (slab objects,
 * large kmallocs and pages by physical address, then vmalloc areas). Freed
 * objects held in the quarantine are not live. fn must not allocate or
 * free. Returns how many there were.
 */
unsigned long kalloc_for_each_allocated(kalloc_object_fn fn, void *arg);

/*
 * What an address is, as a KASAN report describes the buggy address
 * (mm/kasan/report.c): the nearest slab object and whether it is live or
 * freed (a freed object in the quarantine counts as freed), a page block,
 * or vmalloc space. For naming a sanitizer's report of a stray access.
 */
enum kalloc_addr_kind {
	KALLOC_ADDR_UNKNOWN = 0,	/* none of kalloc's memory */
	KALLOC_ADDR_SLAB_LIVE,		/* near or in an allocated slab object */
	KALLOC_ADDR_SLAB_FREED,		/* near or in a free slab object */
	KALLOC_ADDR_LARGE_KMALLOC,	/* in a live large kmalloc's pages */
	KALLOC_ADDR_PAGE_LIVE,		/* in an allocated page block */
	KALLOC_ADDR_PAGE_FREE,		/* in a free page (or a freed one held back) */
	KALLOC_ADDR_VMALLOC,		/* in the vmalloc range */
};

struct kalloc_addr_info {
	enum kalloc_addr_kind kind;
	const void *object;	/* SLAB, LARGE_KMALLOC: the object's start */
	size_t size;		/* its region: the request of a live kmalloc
				 * where known, else the object size */
	size_t object_size;	/* SLAB: the cache's object size */
	const char *cache;	/* SLAB: the cache's name */
};

enum kalloc_addr_kind kalloc_describe_addr(const void *addr,
					   struct kalloc_addr_info *info);

#endif /* KALLOC_OBJECTS_H */
