/*
 * slab/slab.h - the contract between slab_common.c and kmalloc.c (cache
 * creation, kmalloc) and SLUB, as the kernel's mm/slab.h: struct kmem_cache,
 * its flags and geometry helpers, and what slab_common.c calls in SLUB.
 * SLUB's own structures and paths are in slab/slub.h.
 */
#ifndef KALLOC_SLAB_SLAB_H
#define KALLOC_SLAB_SLAB_H

#include "mem/memory.h"

/* ------------------------------------------------------------------ */
/* life cycle hooks called by machine/kalloc.c                        */
/* ------------------------------------------------------------------ */

int slab_init(const struct kalloc_config *cfg);
/* The knobs kalloc_reset_config() may change, after a reset. */
void slab_set_knobs(const struct kalloc_config *cfg);
/* After reset, a new cfg.seed: the boot caches' draws made again. */
void slab_reseed(void);
void kmem_cache_reseed(struct kmem_cache *s);	/* slub_cache.c */
void slab_reset(void);
void slab_fini(void);
int slab_validate(void);
int slab_validate_touched(void);
/* The full check of each slab holding part of a range (kalloc_validate_range). */
int slab_validate_range(const void *addr, size_t len);
unsigned long slab_shrink_all(void);	/* reclaim: pages given back */

/* ------------------------------------------------------------------ */
/* slub.c, slub_validate.c, slab_common.c, kmalloc.c: caches, kmalloc */
/* ------------------------------------------------------------------ */

/*
 * Object layout (calculate_sizes(), the kernel's order), at every s->size
 * stride of a slab:
 *
 *   [red_left_pad]  left red zone (SLAB_RED_ZONE)
 *   object          object_size bytes; the object pointer points here
 *   [.. inuse)      word padding, and with SLAB_RED_ZONE the right red zone
 *                   (at least one word)
 *   [free pointer]  at s->offset >= s->inuse when it may not overlay the
 *                   object (SLAB_POISON, SLAB_TYPESAFE_BY_RCU, a ctor, ...);
 *                   otherwise at ALIGN_DOWN(object_size / 2, 8) inside it
 *   [2 x track]     alloc and free track (SLAB_STORE_USER)
 *   [orig size]     the kmalloc request size (SLAB_STORE_USER + SLAB_KMALLOC)
 *   [word]          padding before the next left red zone (SLAB_RED_ZONE)
 *   [padding]       up to the alignment
 *
 * The free pointer is stored as ptr ^ s->random ^ swab(its own address)
 * when cfg.freelist_hardened is set, as CONFIG_SLAB_FREELIST_HARDENED does.
 */

/* Flags that make a cache a debug cache: no cpu slabs, every alloc and
 * free through the slow paths, a full list. */
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
#define SLAB_NEVER_MERGE	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | \
				 SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_NO_MERGE)
#define SLAB_MERGE_SAME		(SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | \
				 SLAB_CACHE_DMA32 | SLAB_ACCOUNT)
/* Every flag kmem_cache_create() accepts; anything else is -EINVAL. */
#define SLAB_FLAGS_PERMITTED	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				 SLAB_POISON | SLAB_KMALLOC | \
				 SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | \
				 SLAB_CACHE_DMA32 | SLAB_STORE_USER | \
				 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | \
				 SLAB_TYPESAFE_BY_RCU | SLAB_TRACE | \
				 SLAB_NOLEAKTRACE | SLAB_NO_MERGE | \
				 SLAB_FAILSLAB | SLAB_ACCOUNT)
/* Internal: the object itself is poisoned (SLAB_POISON without RCU/ctor). */
#define __OBJECT_POISON		((slab_flags_t)0x80000000U)

/* GFP bits a slab caller must not pass (kmalloc_fix_flags() strips them). */
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
/* What new_slab() passes on from the caller's flags. */
#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | \
				 __GFP_FS | __GFP_NOWARN | __GFP_RETRY_MAYFAIL | \
				 __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
				 __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK	(__GFP_HARDWALL | __GFP_THISNODE)

#define MIN_PARTIAL		5	/* empty slabs kept on a node's partial list */
#define MAX_PARTIAL		10
#define MAX_OBJS_PER_PAGE	32767	/* slab.objects is a u15 in the kernel */
#define OO_SHIFT		16
#define OO_MASK			((1U << OO_SHIFT) - 1)

_Static_assert(MAX_OBJS_PER_PAGE <= OO_MASK,
	       "a slab's object count fits in kmem_cache_order_objects");

/* Where a slab is (struct slab.list). */
enum slab_list_id {
	SLAB_LIST_NONE,		/* full slab of a non-debug cache: on no list */
	SLAB_LIST_CPU_ACTIVE,	/* frozen: c->slab of slab->cpu */
	SLAB_LIST_CPU_PARTIAL,	/* on c->partial of slab->cpu */
	SLAB_LIST_NODE_PARTIAL,	/* on n->partial */
	SLAB_LIST_FULL,		/* on n->full (debug caches only) */
};

struct kmem_cache_order_objects {
	unsigned int x;		/* order << OO_SHIFT | objects */
};

/* Division by a constant as a multiply and shifts (lib/reciprocal_div.c). */
struct reciprocal_value {
	uint32_t m;
	uint8_t sh1, sh2;
};

static inline uint32_t reciprocal_divide(uint32_t a, struct reciprocal_value r)
{
	uint32_t t = (uint32_t)(((uint64_t)a * r.m) >> 32);

	return (t + ((a - t) >> r.sh1)) >> r.sh2;
}
/* SLUB's own: the per-cpu slabs and the node's lists (slab/slub.h). */
struct kmem_cache_cpu;
struct kmem_cache_node;

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;	/* cfg.ncpus entries */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;		/* object plus metadata: the stride */
	struct reciprocal_value reciprocal_size;
	unsigned int object_size;	/* what the caller asked for */
	unsigned int offset;		/* free pointer offset */
	unsigned int cpu_partial;	/* objects (set_cpu_partial) */
	unsigned int cpu_partial_slabs;	/* the per-cpu partial list limit */
	struct kmem_cache_order_objects oo;	/* preferred order, objects */
	struct kmem_cache_order_objects min;	/* fallback order */
	gfp_t allocflags;		/* __GFP_COMP, zone, reclaimable */
	int refcount;			/* 1 + aliases */
	void (*ctor)(void *);
	unsigned int inuse;		/* offset of the metadata */
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;		/* slab_caches */
	unsigned long random;		/* freelist pointer obfuscation */
	unsigned int *random_seq;	/* CONFIG_SLAB_FREELIST_RANDOM */
	struct kmem_cache_node *node[1];	/* the one node (MAX_NUMNODES 1) */

	/* reset bookkeeping (slab_common.c) */
	bool boot;			/* exists after init: restored, never freed */
	bool dirty;			/* changed since init/reset */
	struct kmem_cache *next_dirty;
	void *saved;			/* boot caches: the state after init */
};

extern struct list_head slab_caches;	/* newest first, as the kernel's */
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
extern bool slab_hardened;		/* cfg.freelist_hardened */
extern bool slab_init_on_alloc;		/* cfg.init_on_alloc */
extern bool slab_init_on_free;		/* cfg.init_on_free */
extern bool slab_quarantine;		/* a quarantine is open (set by quarantine.c) */
extern unsigned long slab_pages_freed;	/* slab pages given back since init/reset */
void slab_reset_warnings(void);		/* re-arm slub_slab.c's WARN_ON_ONCEs */
/* failslab.c: should this allocation from s fail? (fault injection) */
bool should_failslab(struct kmem_cache *s, gfp_t gfp, unsigned long caller);

static inline bool kmem_cache_debug_flags(const struct kmem_cache *s,
					  slab_flags_t flags)
{
	return s->flags & flags;
}

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return kmem_cache_debug_flags(s, SLAB_DEBUG_FLAGS);
}

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s);
}

/* The original kmalloc size is kept in the metadata. */
static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return kmem_cache_debug_flags(s, SLAB_STORE_USER) &&
	       (s->flags & SLAB_KMALLOC);
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return ((unsigned int)PAGE_SIZE << order) / size;
}

static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> OO_SHIFT;
}

static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & OO_MASK;
}

static inline struct page *slab_page(const struct slab *slab)
{
	return container_of(slab, struct page, slab);
}

/* A slab whose objects or freelists change is touched (incremental check). */
static inline void slab_touch(struct slab *slab)
{
	page_mark_dirty(slab_page(slab));
}

static inline char *slab_address(const struct slab *slab)
{
	return arena.base +
	       ((unsigned long)(slab_page(slab) - arena.mem_map) << PAGE_SHIFT);
}

static inline unsigned long slab_size(const struct slab *slab)
{
	return PAGE_SIZE << slab->order;
}

/* The slab holding addr (any page of it), or NULL. */
static inline struct slab *virt_to_slab(const void *addr)
{
	struct page *page;

	if (unlikely(!addr_in_arena(addr)))
		return NULL;
	page = arena.mem_map +
	       (((const char *)addr - arena.base) >> PAGE_SHIFT);
	if (page_test(page, PG_tail))
		page = page->head;
	if (unlikely(!page_test(page, PG_slab)))
		return NULL;
	return &page->slab;
}

static inline void *fixup_red_left(const struct kmem_cache *s, void *p)
{
	if (kmem_cache_debug_flags(s, SLAB_RED_ZONE))
		p = (char *)p + s->red_left_pad;
	return p;
}

static inline void *restore_red_left(const struct kmem_cache *s, void *p)
{
	if (s->flags & SLAB_RED_ZONE)
		p = (char *)p - s->red_left_pad;
	return p;
}

/* Bytes from the object pointer to the end of its stride. */
static inline unsigned int size_from_object(const struct kmem_cache *s)
{
	if (s->flags & SLAB_RED_ZONE)
		return s->size - s->red_left_pad;
	return s->size;
}

#define for_each_object(__p, __s, __addr, __objects)			\
	for (__p = fixup_red_left(__s, __addr);				\
	     (char *)__p < (char *)(__addr) + (__objects) * (__s)->size;	\
	     __p = (char *)__p + (__s)->size)

static inline unsigned int obj_to_index(const struct kmem_cache *s,
					const struct slab *slab, const void *obj)
{
	return reciprocal_divide((uint32_t)((const char *)obj - slab_address(slab)),
				 s->reciprocal_size);
}

/*
 * Is x, a pointer into slab, the start of one of its objects? Every free
 * asks: the kernel leaves an interior pointer to slab_debug's "Invalid
 * object pointer" and otherwise corrupts the freelist with it.
 */
static inline bool slab_object_start(const struct kmem_cache *s,
				     const struct slab *slab, const void *x)
{
	uint32_t off = (uint32_t)((const char *)x - slab_address(slab)) -
		       s->red_left_pad;
	uint32_t idx = reciprocal_divide(off, s->reciprocal_size);

	return idx < slab->objects && idx * s->size == off;
}

/* NULL, or the start of one of the slab's objects. */
static inline bool check_valid_pointer(const struct kmem_cache *s,
				       const struct slab *slab, const void *object)
{
	const char *base, *p;

	if (!object)
		return true;
	base = slab_address(slab);
	p = (const char *)restore_red_left(s, (void *)(uintptr_t)object);
	return p >= base && p < base + (size_t)slab->objects * s->size &&
	       (size_t)(p - base) % s->size == 0;
}

/* The object whose slot p points into, as an object pointer (the kernel's
 * nearest_obj(), include/linux/slub_def.h). */
static inline void *nearest_obj(const struct kmem_cache *s,
				const struct slab *slab, const void *p)
{
	uint8_t *base = (uint8_t *)slab_address(slab);
	size_t idx = (size_t)((const uint8_t *)p - base) / s->size;

	if (idx >= slab->objects)
		idx = slab->objects - 1;
	return fixup_red_left(s, base + idx * s->size);
}

static inline bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* End of the object and free pointer: where the tracks start. */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	if (freeptr_outside_object(s))
		return s->inuse + sizeof(void *);
	return s->inuse;
}
/* A cache that changes for the first time since init/reset is noted, so
 * that slab_reset() restores only what was touched. */
void __slab_mark_dirty(struct kmem_cache *s);
static inline void slab_mark_dirty(struct kmem_cache *s)
{
	if (unlikely(!s->dirty))
		__slab_mark_dirty(s);
}

/* slab_common.c: a new cache on slab_caches (boot: one of the kmalloc
 * caches, restored at reset), or NULL with *err set. */
struct kmem_cache *create_cache(const char *name, unsigned int object_size,
				unsigned int align, slab_flags_t flags,
				void (*ctor)(void *), bool boot, int *err);

/* kmalloc.c: bad zone modifiers dropped, with the kernel's warning */
gfp_t kmalloc_fix_flags(gfp_t flags);
/* kmalloc.c: every type's kmalloc caches, at slab_init() */
int create_kmalloc_caches(void);
/* kmalloc.c: a large kmalloc's time in the quarantine is over: the pages
 * go back. slab_init() registers it with the quarantine (quarantine_ops). */
void large_kmalloc_free_after_quarantine(void *object);

/* slub.c, slub_cache.c */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
/* An object's time in the quarantine is over: freed for real. slab_init()
 * registers it with the quarantine (quarantine_ops). */
void slab_free_after_quarantine(struct kmem_cache *s, void *object);
/* 1, after the "Objects remaining" report, when objects are left; caller
 * is kmem_cache_destroy()'s return address, for the report. */
int __kmem_cache_shutdown(struct kmem_cache *s, unsigned long caller);
int __kmem_cache_shrink(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
/* Reset of a boot cache: the bytes of its saved state (s->saved), a copy
 * of its state into s->saved, and the state back from it. */
size_t __kmem_cache_state_bytes(void);
void __kmem_cache_save(struct kmem_cache *s);
void __kmem_cache_restore(struct kmem_cache *s);
/* Every cpu's active slab and partial chain back to the node lists. */
void flush_all(struct kmem_cache *s);
/* The cache x really belongs to: a report when it is not s (with
 * hardening or consistency checks) and NULL when x is in no slab. */
struct kmem_cache *cache_from_obj(struct kmem_cache *s, void *x,
				  struct slab *slab);
/* After a repair emptied slab->freelist: off the node partial list. */
void slab_fix_lists(struct kmem_cache *s, struct slab *slab);
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size);
unsigned int slab_ksize(const struct kmem_cache *s);
/* Free pages of a slab (after the checks): PG_slab off, to the buddy. */
void discard_slab(struct kmem_cache *s, struct slab *slab);
/* The kernel's get_slabinfo(): for kalloc_slabinfo(). */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned int objects_per_slab, cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);

#endif /* KALLOC_SLAB_SLAB_H */
