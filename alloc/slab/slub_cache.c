/*
 * slub_cache.c - SLUB cache geometry and cache-wide operations.
 *
 * Owns what the kernel's mm/slub.c does for a whole cache rather than for
 * one object: the object layout and slab order (calculate_sizes(),
 * calculate_order()), the per-cpu partial limit, the random freelist
 * sequence, opening and releasing a cache, shrinking it, shutting it down
 * with the "Objects remaining" report, and the numbers /proc/slabinfo shows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "page/buddy.h"
#include "debug/debug.h"
#include "slab/slub.h"

/* slub_max_order = PAGE_ALLOC_COSTLY_ORDER; slub_min_order = 0 */
static const unsigned int slub_min_order;
static const unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;

static unsigned int fls32(unsigned int x)
{
	return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

static unsigned int ilog2_32(unsigned int x)
{
	return fls32(x) - 1;
}

/*
 * SLAB_HWCACHE_ALIGN aligns to the cache line, or to a fraction of it for
 * objects that are much smaller; never below ARCH_SLAB_MINALIGN.
 */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max_t(unsigned int, align, ralign);
	}
	align = max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
	return ALIGN(align, (unsigned int)sizeof(void *));
}

/* The smallest order from min_order whose left-over is at most
 * 1/fract_leftover of the slab. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order,
				    unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/*
 * As the kernel: at least slub_min_objects = 4 * (fls(nr_cpus) + 1) objects
 * a slab where that fits within slub_max_order, then the lowest order that
 * wastes at most 1/16, 1/8, 1/4, 1/2 of the slab.
 */
static int calculate_order(unsigned int size)
{
	unsigned int nr_cpus = kg.cfg.ncpus;
	unsigned int min_objects = 4 * (fls32(nr_cpus) + 1);
	unsigned int max_objects = max_t(unsigned int,
					 order_objects(slub_max_order, size), 1);
	unsigned int min_order, order;

	min_objects = min_t(unsigned int, min_objects, max_objects);
	min_order = max_t(unsigned int, slub_min_order,
			  (unsigned int)get_order((unsigned long)min_objects * size));
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;

	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return (int)order;
	}
	order = (unsigned int)get_order(size);
	if (order <= MAX_PAGE_ORDER)
		return (int)order;
	return -ENOSYS;
}

/* lib/reciprocal_div.c's reciprocal_value() */
static struct reciprocal_value reciprocal_value(uint32_t d)
{
	struct reciprocal_value r;
	unsigned int l = fls32(d - 1);
	uint64_t m = ((1ULL << 32) * ((1ULL << l) - d)) / d + 1;

	r.m = (uint32_t)m;
	r.sh1 = (uint8_t)min_t(unsigned int, l, 1);
	r.sh2 = (uint8_t)(l ? l - 1 : 0);
	return r;
}

static struct kmem_cache_order_objects oo_make(unsigned int order,
					       unsigned int size)
{
	struct kmem_cache_order_objects x = {
		(order << OO_SHIFT) + order_objects(order, size)
	};

	return x;
}

/*
 * How many objects each cpu may keep on partial slabs, turned into a slab
 * count assuming half-full slabs (set_cpu_partial, slub_set_cpu_partial).
 */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (!kmem_cache_has_cpu_partial(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	s->cpu_partial_slabs = DIV_ROUND_UP(nr_objects * 2, oo_objects(s->oo));
}

/*
 * The object layout and slab order (see the layout comment in internal.h).
 * Returns false when no slab of at most MAX_PAGE_ORDER holds an object.
 */
static bool calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN(s->object_size, (unsigned int)sizeof(void *));
	int order;

	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;

	/* a right red zone needs room after the object: add a word */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;

	if (slub_debug_orig_size(s) ||
	    (flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < sizeof(void *)) ||
	    s->ctor) {
		/* the object may not be overwritten on free: pointer after it */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* mid-object, away from small over/underflows of neighbours */
		s->offset = ALIGN_DOWN(s->object_size / 2,
				       (unsigned int)sizeof(void *));
	}

	if (flags & SLAB_STORE_USER) {
		size += 2 * sizeof(struct track);
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	/* ASan build: generic KASAN's metadata space and red zone */
	kasan_cache_create(s, &size);

	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		/* a word before the next object's left red zone, and that zone */
		size += sizeof(void *);
		s->red_left_pad = ALIGN((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}

	size = ALIGN(size, s->align);
	s->size = size;
	s->reciprocal_size = reciprocal_value(size);
	order = calculate_order(size);
	if (order < 0)
		return false;

	s->allocflags = 0;
	if (order)
		s->allocflags |= __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;

	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make((unsigned int)get_order(size), size);
	return oo_objects(s->oo) != 0;
}

/*
 * CONFIG_SLAB_FREELIST_RANDOM: one Fisher-Yates shuffle of the object
 * indices per cache, from the seeded generator, kept as byte offsets.
 */
static void shuffle_random_seq(struct kmem_cache *s, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		s->random_seq[i] = i;
	for (unsigned int i = count - 1; i > 0; i--) {
		unsigned int r = (unsigned int)(kalloc_random() % (i + 1));
		unsigned int t = s->random_seq[i];

		s->random_seq[i] = s->random_seq[r];
		s->random_seq[r] = t;
	}
	for (unsigned int i = 0; i < count; i++)
		s->random_seq[i] *= s->size;
}

static int init_cache_random_seq(struct kmem_cache *s)
{
	unsigned int count = oo_objects(s->oo);

	if (!kg.cfg.freelist_random || count < 2)
		return 0;
	s->random_seq = calloc(count, sizeof(unsigned int));
	if (!s->random_seq) {
		printk("SLUB: Unable to initialize free list for %s\n", s->name);
		return -ENOMEM;
	}
	shuffle_random_seq(s, count);
	return 0;
}

/*
 * The draws __kmem_cache_create() made for s, made again from the current
 * state of the generator: called for each boot cache in creation order
 * with the generator at a new seed, this leaves the caches as an init with
 * that seed would (kalloc_reset_config()).
 */
void kmem_cache_reseed(struct kmem_cache *s)
{
	s->random = (unsigned long)kalloc_random();
	if (s->random_seq)
		shuffle_random_seq(s, oo_objects(s->oo));
}

/*
 * kmem_cache_open(): s has name, object_size, align and ctor. Applies the
 * slab_debug= flags, computes the layout, and sets up nodes and cpus.
 */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	s->flags = kmem_cache_flags(flags, s->name);
	/* drawn whether or not hardening is on, so that hardening can be
	 * switched at reset (kalloc_reset_config) without changing what any
	 * other cache draws; freelist_ptr_encode() uses it only when on */
	s->random = (unsigned long)kalloc_random();

	if (!calculate_sizes(s))
		goto error;
	if (slub_debug_state.disable_higher_order &&
	    get_order(s->size) > get_order(s->object_size)) {
		/* 'O': no debug metadata where it would raise the order */
		s->flags &= ~DEBUG_METADATA_FLAGS;
		s->offset = 0;
		if (!calculate_sizes(s))
			goto error;
	}

	/* more empty slabs kept for bigger objects: ilog2(size) / 2 in [5, 10] */
	s->min_partial = min_t(unsigned long, MAX_PARTIAL, ilog2_32(s->size) / 2);
	s->min_partial = max_t(unsigned long, MIN_PARTIAL, s->min_partial);
	set_cpu_partial(s);

	if (init_cache_random_seq(s))
		goto error;
	s->node[0] = calloc(1, sizeof(*s->node[0]));
	if (!s->node[0])
		goto error;
	INIT_LIST_HEAD(&s->node[0]->partial);
	INIT_LIST_HEAD(&s->node[0]->full);

	s->cpu_slab = calloc(kg.cfg.ncpus, sizeof(*s->cpu_slab));
	if (!s->cpu_slab)
		goto error;
	return 0;

error:
	__kmem_cache_release(s);
	return -EINVAL;
}

void __kmem_cache_release(struct kmem_cache *s)
{
	free(s->random_seq);
	s->random_seq = NULL;
	free(s->cpu_slab);
	s->cpu_slab = NULL;
	free(s->node[0]);
	s->node[0] = NULL;
}

/* The saved state: the cache, its node, then its cpu slabs. */
size_t __kmem_cache_state_bytes(void)
{
	return sizeof(struct kmem_cache) + sizeof(struct kmem_cache_node) +
	       kg.cfg.ncpus * sizeof(struct kmem_cache_cpu);
}

void __kmem_cache_save(struct kmem_cache *s)
{
	char *p = s->saved;

	memcpy(p, s, sizeof(*s));
	memcpy(p + sizeof(*s), s->node[0], sizeof(*s->node[0]));
	memcpy(p + sizeof(*s) + sizeof(*s->node[0]), s->cpu_slab,
	       kg.cfg.ncpus * sizeof(struct kmem_cache_cpu));
}

/* Back to the saved state; the list links stay (boot caches never move),
 * and so do the node and cpu slabs (restored in place). */
void __kmem_cache_restore(struct kmem_cache *s)
{
	struct list_head list = s->list;
	struct kmem_cache_cpu *cpu_slab = s->cpu_slab;
	struct kmem_cache_node *node = s->node[0];
	char *saved = s->saved;

	memcpy(s, saved, sizeof(*s));
	memcpy(node, saved + sizeof(*s), sizeof(*node));
	memcpy(cpu_slab, saved + sizeof(*s) + sizeof(*node),
	       kg.cfg.ncpus * sizeof(struct kmem_cache_cpu));
	s->list = list;
	s->cpu_slab = cpu_slab;
	s->node[0] = node;
	s->saved = saved;
}

/* ------------------------------------------------------------------ */
/* Shrink and shutdown                                                 */
/* ------------------------------------------------------------------ */

#define SHRINK_PROMOTE_MAX 32

/*
 * Flush the cpu slabs, free the empty slabs of the node partial list and
 * sort the rest so that the fullest come first. Returns 1 while the cache
 * still has slabs.
 */
int __kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_node *n = s->node[0];
	struct list_head discard, promote[SHRINK_PROMOTE_MAX];
	struct list_head *pos, *tmp;

	/* KASAN's kasan_cache_shrink(): the quarantine lets the cache's go */
	quarantine_remove_cache(s);
	/* nothing to do (and a boot cache stays clean for reset) */
	if (!n->nr_slabs)
		return 0;
	slab_mark_dirty(s);
	flush_all(s);
	INIT_LIST_HEAD(&discard);
	for (int i = 0; i < SHRINK_PROMOTE_MAX; i++)
		INIT_LIST_HEAD(&promote[i]);

	list_for_each_safe(pos, tmp, &n->partial) {
		struct slab *slab = list_entry(pos, struct slab, slab_list);
		long free = (long)slab->objects - (long)slab->inuse;

		if (free == slab->objects) {
			list_del(&slab->slab_list);
			list_add(&slab->slab_list, &discard);
			n->nr_partial--;
		} else if (free > 0 && free <= SHRINK_PROMOTE_MAX) {
			list_del(&slab->slab_list);
			list_add(&slab->slab_list, &promote[free - 1]);
		}
	}
	/* splice each promote list at the head, the fullest last = first */
	for (int i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--) {
		while (!list_empty(&promote[i])) {
			struct list_head *e = promote[i].prev;

			list_del(e);
			list_add(e, &n->partial);
		}
	}
	list_for_each_safe(pos, tmp, &discard) {
		struct slab *slab = list_entry(pos, struct slab, slab_list);

		list_del(&slab->slab_list);
		slab->list = SLAB_LIST_NONE;
		discard_slab(s, slab);
	}
	return n->nr_slabs ? 1 : 0;
}

/* The slabs of s that are on no list: found through mem_map. */
static void list_slab_objects(struct report_buf *rb, struct kmem_cache *s,
			      struct slab *slab, unsigned int *listed)
{
	static unsigned long map[(MAX_OBJS_PER_PAGE + 63) / 64];
	char *addr = slab_address(slab);
	unsigned int nr = 0;
	void *p;

	print_slab_info(rb, slab);
	memset(map, 0, sizeof(map));
	for (p = slab->freelist; p && nr <= slab->objects; nr++) {
		unsigned int idx;

		if (!check_valid_pointer(s, slab, p))
			break;
		idx = obj_to_index(s, slab, p);
		map[idx / 64] |= 1UL << (idx % 64);
		p = get_freepointer(s, p);
	}
	for_each_object(p, s, addr, slab->objects) {
		unsigned int idx = obj_to_index(s, slab, p);

		if (map[idx / 64] & (1UL << (idx % 64)))
			continue;
		/* a leak report lists a bounded number of objects */
		if (++*listed <= 64)
			report_add(rb, "Object " PTR_FMT " @offset=%tu\n",
				   PTR(p), (char *)p - addr);
	}
}

/*
 * kmem_cache_destroy() with objects left: flush, free the empty slabs, and
 * report every slab that still has objects in the kernel's words. Returns 0
 * when the cache is empty (and may go), 1 when it must be kept.
 */
int __kmem_cache_shutdown(struct kmem_cache *s, unsigned long caller)
{
	struct kmem_cache_node *n = s->node[0];
	unsigned long remaining = 0;
	unsigned int listed = 0;
	struct list_head *pos, *tmp;
	struct report_buf rb;

	/* kasan_cache_shutdown(): quarantined objects are not leaks */
	quarantine_remove_cache(s);
	flush_all(s);
	list_for_each_safe(pos, tmp, &n->partial) {
		struct slab *slab = list_entry(pos, struct slab, slab_list);

		if (!slab->inuse) {
			list_del(&slab->slab_list);
			n->nr_partial--;
			slab->list = SLAB_LIST_NONE;
			discard_slab(s, slab);
		}
	}
	if (!n->nr_slabs)
		return 0;

	report_init(&rb);
	slab_bug(&rb, s, "Objects remaining in %s on __kmem_cache_shutdown()",
		 s->name);
	/* full slabs of a non-debug cache are on no list: walk mem_map */
	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++) {
		struct page *page = &arena.mem_map[pfn];

		if (!page_test(page, PG_slab) || page->slab.slab_cache != s)
			continue;
		remaining += page->slab.inuse;
		list_slab_objects(&rb, s, &page->slab, &listed);
		pfn += (1UL << page->slab.order) - 1;
	}
	if (listed > 64)
		report_add(&rb, "(%u more objects not listed)\n", listed - 64);
	report_add(&rb, "------------[ cut here ]------------\n");
	report_add(&rb, "kmem_cache_destroy %s: Slab cache still has objects when called from " PTR_FMT "\n",
		   s->name, caller);
	report_add(&rb, "%lu objects remaining in %lu slabs; the cache is kept\n",
		   remaining, n->nr_slabs);
	report_emit(&rb, KALLOC_BUG_LEAK, s->name, NULL,
		    "slab: objects remaining in %s on kmem_cache_destroy",
		    s->name);
	return 1;
}

/* ------------------------------------------------------------------ */
/* /proc/slabinfo numbers                                              */
/* ------------------------------------------------------------------ */

/* As SLUB: objects on node partial slabs are free, cpu slabs count as
 * active. */
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	struct kmem_cache_node *n = s->node[0];
	unsigned long nr_free = 0;
	struct list_head *pos;

	list_for_each(pos, &n->partial) {
		struct slab *slab = list_entry(pos, struct slab, slab_list);

		nr_free += slab->objects - slab->inuse;
	}
	sinfo->active_objs = n->total_objects - nr_free;
	sinfo->num_objs = n->total_objects;
	sinfo->active_slabs = n->nr_slabs;
	sinfo->num_slabs = n->nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/* Debugging needs the padding after the object, and KASAN keeps its red
 * zone there; otherwise all of it up to the metadata (or the whole
 * stride) is usable. */
unsigned int slab_ksize(const struct kmem_cache *s)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_KASAN))
		return s->object_size;
	if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
		return s->inuse;
	return s->size;
}
