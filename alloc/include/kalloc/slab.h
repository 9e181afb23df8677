/*
 * Slab caches (SLUB) and kmalloc, with the kernel's names and signatures.
 */
#ifndef KALLOC_SLAB_H
#define KALLOC_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include "gfp.h"
#include "mm.h"

typedef unsigned int slab_flags_t;

/* kmem_cache_create() flags; values as in the kernel's include/linux/slab.h */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100U)	/* F */
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400U)	/* Z */
#define SLAB_POISON		((slab_flags_t)0x00000800U)	/* P */
#define SLAB_KMALLOC		((slab_flags_t)0x00001000U)
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U)
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U)
#define SLAB_CACHE_DMA32	((slab_flags_t)0x00008000U)
#define SLAB_STORE_USER		((slab_flags_t)0x00010000U)	/* U */
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U)
#define SLAB_PANIC		((slab_flags_t)0x00040000U)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000U)
#define SLAB_TRACE		((slab_flags_t)0x00200000U)	/* T */
#define SLAB_NOLEAKTRACE	((slab_flags_t)0x00800000U)
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000U)
#define SLAB_FAILSLAB		((slab_flags_t)0x02000000U)	/* A */
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U)
/* Set by the allocator on every cache of an ASan build: objects carry
 * generic KASAN's red zone (kasan_cache_create()); never passed in. */
#define SLAB_KASAN		((slab_flags_t)0x08000000U)

#define ARCH_KMALLOC_MINALIGN	8
#define ARCH_SLAB_MINALIGN	8
#define L1_CACHE_BYTES		64
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_SHIFT_MAX	(MAX_PAGE_ORDER + PAGE_SHIFT)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)
#define KMALLOC_MAX_ORDER	(KMALLOC_SHIFT_MAX - PAGE_SHIFT)

/* kmalloc(0) returns this; dereferencing it faults, kfree() ignores it. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_RECLAIM,
	KMALLOC_DMA,
	KMALLOC_CGROUP,
	NR_KMALLOC_TYPES
};

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
#define KMEM_CACHE(__struct, __flags)					\
	kmem_cache_create(#__struct, sizeof(struct __struct),		\
			  __alignof__(struct __struct), (__flags), NULL)
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p);
/* s == NULL frees each object to its own cache, as kfree_bulk() does. */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p);
int kmem_cache_shrink(struct kmem_cache *s);
void kmem_cache_destroy(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);
const char *kmem_cache_name(const struct kmem_cache *s);
/* The debug flags in force for s (SLAB_CONSISTENCY_CHECKS, SLAB_RED_ZONE,
 * SLAB_POISON, SLAB_STORE_USER, SLAB_TRACE): its own, and what slab_debug=
 * gave it as the allocator parsed the option (first matching block, globs,
 * 'O'). 0 for NULL. */
slab_flags_t kalloc_cache_debug_flags(const struct kmem_cache *s);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t gfp);
void kfree(const void *p);
static inline void kfree_bulk(size_t size, void **p)
{
	kmem_cache_free_bulk(NULL, size, p);
}
void kfree_sensitive(const void *p);
size_t ksize(const void *p);
size_t kmalloc_size_roundup(size_t size);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);

/* The kmalloc cache that serves size bytes with these flags, or NULL for
 * size 0, large kmalloc and sizes above KMALLOC_MAX_SIZE. */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp);

/* The cache an object belongs to (NULL if p is not a slab object). */
struct kmem_cache *virt_to_cache(const void *p);

#endif /* KALLOC_SLAB_H */
