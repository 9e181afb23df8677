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

#endif /* KALLOC_OBJECTS_H */
