/*
 * slab_common.c - cache creation, merging and destruction; the life cycle.
 *
 * The kernel's mm/slab_common.c part of the slab layer, less kmalloc
 * (kmalloc.c): kmem_cache_create() with its checks and cache merging
 * (aliases), kmem_cache_destroy(), and /proc/slabinfo. Also the layer's
 * life cycle hooks (slab_init, reset, fini, shrink_all).
 *
 * Reset: the kmalloc caches made at init are "boot" caches. Each keeps a
 * copy of its state after init; the first time one changes afterwards it
 * goes on a dirty list (slab_mark_dirty() in the slow paths: the fast paths
 * only run on a cpu slab that a slow path loaded), and slab_reset()
 * restores just those. Caches created after init are always at the head of
 * slab_caches, so reset frees them without walking the boot caches. Slab
 * pages are the arena's to restore. This relies on no slab pages existing
 * when kalloc_init() takes its snapshot: the kmalloc caches start empty.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reclaim/reclaim.h"
#include "debug/debug.h"

__machine_state struct list_head slab_caches = { &slab_caches, &slab_caches };

static __machine_state bool slab_nomerge;
static __machine_state struct kmem_cache *dirty_caches;

/* ------------------------------------------------------------------ */
/* Cache creation, merging, destruction                                */
/* ------------------------------------------------------------------ */

void __slab_mark_dirty(struct kmem_cache *s)
{
	s->dirty = true;
	if (s->boot) {
		s->next_dirty = dirty_caches;
		dirty_caches = s;
	}
}

static bool slab_unmergeable(const struct kmem_cache *s)
{
	return slab_nomerge || (s->flags & SLAB_NEVER_MERGE) || s->ctor ||
	       s->refcount < 0;
}

/*
 * What a merged cache's objects may grow to: the slot (s->size), but in
 * the ASan build what comes before KASAN's metadata and red zone. The
 * kernel compares with s->size there too, so that a merge can take the
 * red zone (and ksize() of the older cache's objects grows with it); here
 * a merge never takes the red zone after each object, and ksize() stays.
 */
static unsigned int merge_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_KASAN) ? s->inuse : s->size;
}

/* The oldest existing cache that can serve these objects as they are. */
static struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
					 slab_flags_t flags, const char *name,
					 void (*ctor)(void *))
{
	struct list_head *pos;

	if (slab_nomerge || ctor)
		return NULL;
	size = ALIGN(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN(size, align);
	flags = kmem_cache_flags(flags, name);
	if (flags & SLAB_NEVER_MERGE)
		return NULL;

	for (pos = slab_caches.prev; pos != &slab_caches; pos = pos->prev) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		if (slab_unmergeable(s))
			continue;
		if (size > merge_size(s))
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		/* alignment compatible */
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (merge_size(s) - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

static struct kmem_cache *__kmem_cache_alias(const char *name,
					     unsigned int size,
					     unsigned int align,
					     slab_flags_t flags,
					     void (*ctor)(void *))
{
	struct kmem_cache *s = find_mergeable(size, align, flags, name, ctor);

	if (s) {
		slab_mark_dirty(s);
		s->refcount++;
		/* so that kzalloc-style zeroing covers the larger object */
		s->object_size = max_t(unsigned int, s->object_size, size);
		s->inuse = max_t(unsigned int, s->inuse,
				 ALIGN(size, (unsigned int)sizeof(void *)));
	}
	return s;
}

static void kmem_cache_release(struct kmem_cache *s)
{
	__kmem_cache_release(s);
	free(s->saved);
	free((char *)(uintptr_t)s->name);
	free(s);
}

/* A new cache on slab_caches, or NULL with *err set. */
struct kmem_cache *create_cache(const char *name, unsigned int object_size,
				unsigned int align, slab_flags_t flags,
				void (*ctor)(void *), bool boot, int *err)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	*err = -ENOMEM;
	if (!s)
		return NULL;
	s->name = strdup(name);
	if (!s->name) {
		free(s);
		return NULL;
	}
	s->size = s->object_size = object_size;
	s->align = align;
	s->ctor = ctor;
	*err = __kmem_cache_create(s, flags);
	if (*err) {
		kmem_cache_release(s);
		return NULL;
	}
	s->refcount = 1;
	s->boot = boot;
	/* caches made after init are freed at reset: nothing to restore */
	s->dirty = !boot;
	list_add(&s->list, &slab_caches);
	return s;
}

/*
 * The kernel's kmem_cache_sanity_check() (a NULL name, a size above
 * KMALLOC_MAX_SIZE; an empty name is fine) and then some: what would make
 * no cache at all, or not the one asked for, is refused here with the
 * reason. Deviation: the kernel does not check size 0 (its layout
 * arithmetic then divides by a zero object size) nor a non-power-of-two
 * align (its ALIGN() then gives objects that are not so aligned).
 */
static int kmem_cache_sanity_check(const char *name, unsigned int size,
				   unsigned int align, slab_flags_t flags)
{
	if (!name || size == 0 || size > KMALLOC_MAX_SIZE) {
		printk("kmem_cache_create(%s) integrity check failed: %s\n",
		       name ? name : "(null)",
		       !name ? "no name" :
		       size == 0 ? "size 0" : "size above KMALLOC_MAX_SIZE");
		return -EINVAL;
	}
	if (align & (align - 1)) {
		printk("kmem_cache_create(%s): align %u is not a power of two\n",
		       name, align);
		return -EINVAL;
	}
	if (align > KMALLOC_MAX_SIZE) {
		printk("kmem_cache_create(%s): align %u is above KMALLOC_MAX_SIZE\n",
		       name, align);
		return -EINVAL;
	}
	if (flags & ~SLAB_FLAGS_PERMITTED) {
		printk("kmem_cache_create(%s): unknown flags %#x\n", name,
		       flags & ~SLAB_FLAGS_PERMITTED);
		return -EINVAL;
	}
	/* the kernel's WARN_ON(strchr(name, ' ')): /proc/slabinfo is parsed */
	if (strchr(name, ' '))
		printk("WARNING: CPU: %u PID: %d at mm/slab_common.c kmem_cache_sanity_check: cache name '%s' has a space\n",
		       kg.cpu, kg.pid, name);
	return 0;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	int err;

	kalloc_tick();
	if (!kg.initialised) {
		printk("kmem_cache_create(%s): called before kalloc_init()\n",
		       name ? name : "(null)");
		err = -EINVAL;
		goto out;
	}
	err = kmem_cache_sanity_check(name, size, align, flags);
	if (err)
		goto out;
	s = __kmem_cache_alias(name, size, align, flags, ctor);
	if (s)
		return s;
	s = create_cache(name, size, calculate_alignment(flags, align, size),
			 flags, ctor, false, &err);
out:
	if (err) {
		if (flags & SLAB_PANIC) {
			printk("Kernel panic - not syncing: kmem_cache_create: Failed to create slab '%s'. Error %d\n",
			       name ? name : "(null)", err);
			abort();
		}
		printk("kmem_cache_create(%s) failed with error %d\n",
		       name ? name : "(null)", err);
		return NULL;
	}
	return s;
}

static bool cache_is_live(const struct kmem_cache *s)
{
	struct list_head *pos;

	list_for_each(pos, &slab_caches)
		if (list_entry(pos, struct kmem_cache, list) == s)
			return true;
	return false;
}

/*
 * The last reference goes: the cache is shut down and freed. With objects
 * left it is kept, whole and usable (the kernel leaks it off the list
 * instead), so that the caller can free them and destroy it again.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	kalloc_tick();
	if (!s)
		return;
	if (!cache_is_live(s)) {
		printk("WARNING: kmem_cache_destroy(%p): not a live cache; ignored\n",
		       (void *)s);
		return;
	}
	if (s->boot && s->refcount <= 1) {
		printk("WARNING: kmem_cache_destroy(%s): kmalloc caches are never destroyed\n",
		       s->name);
		return;
	}
	slab_mark_dirty(s);
	if (--s->refcount)
		return;
	if (__kmem_cache_shutdown(s, _RET_IP_)) {
		s->refcount = 1;
		return;
	}
	list_del(&s->list);
	kmem_cache_release(s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	kalloc_tick();
	return __kmem_cache_shrink(s);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */
/* ------------------------------------------------------------------ */


void slab_set_knobs(const struct kalloc_config *cfg)
{
	slab_hardened = cfg->freelist_hardened;
	slab_init_on_alloc = cfg->init_on_alloc;
	slab_init_on_free = cfg->init_on_free;
	slab_nomerge = cfg->slab_nomerge;
}

/* How the quarantine lets an object go for real (debug/quarantine.c calls
 * them): registered, so that SLUB's free path and the quarantine do not
 * call each other in a circle. */
static const struct quarantine_ops slab_quarantine_ops = {
	.free_object = slab_free_after_quarantine,
	.free_large = large_kmalloc_free_after_quarantine,
};

int slab_init(const struct kalloc_config *cfg)
{
	struct list_head *pos;
	int err;

	err = setup_slub_debug(cfg);
	if (err)
		return err;
	slab_hardened = cfg->freelist_hardened;
	slab_init_on_alloc = cfg->init_on_alloc;
	slab_init_on_free = cfg->init_on_free;
	slab_reset_warnings();
	quarantine_register_ops(&slab_quarantine_ops);
	err = quarantine_init(cfg);
	if (err) {
		slub_debug_teardown();
		return err;
	}
	slab_nomerge = cfg->slab_nomerge;
	slab_pages_freed = 0;
	dirty_caches = NULL;
	INIT_LIST_HEAD(&slab_caches);
	reclaim_set_cache_shrinker(slab_shrink_all);
	err = create_kmalloc_caches();
	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		if (err)
			break;
		s->saved = malloc(__kmem_cache_state_bytes());
		if (!s->saved)
			err = -ENOMEM;
		else
			__kmem_cache_save(s);
	}
	if (err) {
		printk("kalloc: slab: cannot create the kmalloc caches (%d)\n", err);
		slab_fini();
	}
	return err;
}

void slab_reset(void)
{
	/* the arena reset gives the quarantined memory back */
	quarantine_reset();
	slab_reset_warnings();
	slab_pages_freed = 0;
	while (!list_empty(&slab_caches)) {
		struct kmem_cache *s = list_first_entry(&slab_caches,
							struct kmem_cache, list);

		if (s->boot)
			break;
		list_del(&s->list);
		kmem_cache_release(s);
	}
	while (dirty_caches) {
		struct kmem_cache *s = dirty_caches;

		dirty_caches = s->next_dirty;
		__kmem_cache_restore(s);
	}
}

/* Boot caches as an init from the generator's current state would draw. */
void slab_reseed(void)
{
	for (struct list_head *pos = slab_caches.prev; pos != &slab_caches;
	     pos = pos->prev) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		kmem_cache_reseed(s);
		__kmem_cache_save(s);
	}
}

void slab_fini(void)
{
	while (!list_empty(&slab_caches)) {
		struct kmem_cache *s = list_first_entry(&slab_caches,
							struct kmem_cache, list);

		list_del(&s->list);
		kmem_cache_release(s);
	}
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	dirty_caches = NULL;
	quarantine_fini();
	slub_debug_teardown();
	reclaim_set_cache_shrinker(NULL);
}

unsigned long slab_shrink_all(void)
{
	unsigned long before = slab_pages_freed;
	struct list_head *pos;

	/* under memory pressure the quarantine lets go first */
	quarantine_drain();
	list_for_each(pos, &slab_caches)
		__kmem_cache_shrink(list_entry(pos, struct kmem_cache, list));
	return slab_pages_freed - before;
}

void kalloc_slabinfo(FILE *out)
{
	struct list_head *pos;

	fprintf(out, "slabinfo - version: 2.1\n");
	fprintf(out, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	if (!kg.initialised)
		return;
	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		struct slabinfo si;

		get_slabinfo(s, &si);
		/* SLUB has no tunables or shared arrays: zeroes, as the kernel */
		fprintf(out, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
			s->name, si.active_objs, si.num_objs, s->size,
			si.objects_per_slab, 1 << si.cache_order, 0U, 0U, 0U,
			si.active_slabs, si.num_slabs, 0UL);
	}
}
