/*
 * The valid operations, part 2: kmem_cache life cycles. Caches are named
 * sfcache<slot> and each slot has its own constructor, so that a fresh
 * object of a ctor cache can be checked for the constructor's pattern.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ops.h"

/* ------------------------------------------------------------------ */
/* kmem_cache                                                          */
/* ------------------------------------------------------------------ */

/* Each cache slot has its own constructor, which knows the object size
 * from the slot: it writes the slot's recognisable pattern. */
static size_t ctor_size[SF_MAX_CACHES];
#define SF_CTOR(n)							\
	static void sf_ctor##n(void *obj)				\
	{								\
		sf_pattern_fill(obj, ctor_size[n], sf_ctor_seed(n));	\
	}
SF_CTOR(0) SF_CTOR(1) SF_CTOR(2) SF_CTOR(3) SF_CTOR(4) SF_CTOR(5)
SF_CTOR(6) SF_CTOR(7) SF_CTOR(8) SF_CTOR(9) SF_CTOR(10) SF_CTOR(11)
SF_CTOR(12) SF_CTOR(13) SF_CTOR(14) SF_CTOR(15)
static void (*const ctors[SF_MAX_CACHES])(void *) = {
	sf_ctor0, sf_ctor1, sf_ctor2, sf_ctor3, sf_ctor4, sf_ctor5, sf_ctor6,
	sf_ctor7, sf_ctor8, sf_ctor9, sf_ctor10, sf_ctor11, sf_ctor12,
	sf_ctor13, sf_ctor14, sf_ctor15,
};

/* calculate_alignment() of mm/slab_common.c */
static unsigned int cache_align(unsigned int flags, unsigned int align,
				unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < ARCH_SLAB_MINALIGN)
		align = ARCH_SLAB_MINALIGN;
	return (align + 7) & ~7u;
}

static gfp_t cache_zone_gfp(const struct sf_cache *c, gfp_t gfp)
{
	if (c->flags & SLAB_CACHE_DMA)
		return gfp | __GFP_DMA;
	if (c->flags & SLAB_CACHE_DMA32)
		return gfp | __GFP_DMA32;
	return gfp;
}

static bool cache_must_succeed(const struct sf_cache *c, gfp_t gfp, unsigned long n)
{
	return sf_must_succeed(cache_zone_gfp(c, gfp),
			       sf_slab_order_bound(c->object_size, c->align), n);
}

static void op_cache_create(const struct sf_op *op)
{
	size_t size = op->arg[0];
	unsigned int align = sf_align_table[op->arg[1] % SF_NR_ALIGNS];
	unsigned int cf = (unsigned int)op->arg[2], flags = 0, slot;
	bool ctor = cf & SF_CFLAG_CTOR;
	struct kmem_cache *s;
	struct sf_cache *c;

	for (slot = 0; slot < SF_MAX_CACHES; slot++)
		if (!sf.caches[slot].live && !sf.caches[slot].zombie)
			break;
	if (slot == SF_MAX_CACHES || size > UINT32_MAX)
		return;
	for (unsigned int i = 0; i < sf_nr_cflags; i++)
		if (cf & sf_cflags[i].bit)
			flags |= sf_cflags[i].slab_flag;
	/* GFP_DMA|GFP_DMA32 is no zone at all */
	if (flags & SLAB_CACHE_DMA)
		flags &= ~SLAB_CACHE_DMA32;
	ctor_size[slot] = size;
	s = kmem_cache_create(sf_cache_names[slot], (unsigned int)size, align, flags,
			      ctor ? ctors[slot] : NULL);
	sf_digest_ptr(s);
	if (!s) {
		if (!sf.raw && size >= 8 && size <= KMALLOC_MAX_CACHE_SIZE &&
		    /* kmem_cache structs live in host memory: never the pool */
		    sf_must_succeed(GFP_KERNEL & ~__GFP_DIRECT_RECLAIM, 3, 4))
			sf_spurious(sf_cache_names[slot], "kmem_cache_create(%zu, align %u, flags %#x)",
				 size, align, flags);
		return;
	}
	c = &sf.caches[slot];
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->live = true;
	c->ctor = ctor;
	c->size = (unsigned int)size;
	c->object_size = kmem_cache_size(s);
	c->flags = flags;
	c->align = cache_align(flags, align, (unsigned int)size);
	c->poisoned = !ctor && (kalloc_cache_debug_flags(s) & SLAB_POISON);
	if (c->object_size < size && !sf.raw)
		sf_model_fail("cache smaller than requested", sf_cache_names[slot],
			      "kmem_cache_size() = %u for %zu-byte objects",
			      c->object_size, size);
	c->pos = sf.ncache_list;
	sf.cache_list[sf.ncache_list++] = slot;
	sf_handle_stamp_cache(slot);
}

static void cache_newobj(unsigned int slot, void *p, gfp_t gfp, bool zero)
{
	struct sf_cache *c = &sf.caches[slot];
	struct sf_newobj n;

	sf_newobj_init(&n, SF_K_CACHE, p, c->size, sf_cache_names[slot]);
	n.extent = c->object_size;
	n.align = c->align;
	n.cache = (uint8_t)slot;
	n.ctor = c->ctor;
	n.poisoned = c->poisoned;
	if (c->flags & SLAB_CACHE_DMA)
		n.max_zone = ZONE_DMA;
	else if ((c->flags & SLAB_CACHE_DMA32) && sf.zones.z[ZONE_DMA32].managed)
		n.max_zone = ZONE_DMA32;
	if (zero || (gfp & __GFP_ZERO) || sf_slab_init_zeroes(c->poisoned, c->ctor))
		n.zero_from = 0;
	if (!sf.raw && virt_to_cache(p) != c->s)
		sf_model_fail("wrong cache", sf_cache_names[slot],
			      "object %p is in cache %s", p,
			      virt_to_cache(p) ? kmem_cache_name(virt_to_cache(p)) : "(none)");
	if (sf_obj_new(&n) >= 0)
		c->nobjs++;
}

static void op_cache_alloc(const struct sf_op *op, bool zero)
{
	int slot = sf_pick_cache(op->arg[0]);
	struct sf_cache *c;
	gfp_t gfp;
	void *p;

	if (slot < 0)
		return;
	c = &sf.caches[slot];
	gfp = sf_op_gfp(op, 1);
	if (c->ctor) {
		/* a constructed object is never zeroed: ask for it plainly */
		zero = false;
		gfp &= ~__GFP_ZERO;
	}
	gfp = sf_nofail_filter(gfp, cache_must_succeed(c, gfp, 1));
	p = zero ? kmem_cache_zalloc(c->s, gfp) : kmem_cache_alloc(c->s, gfp);
	sf_digest_ptr(p);
	if (!p) {
		if (!sf.raw && (cache_must_succeed(c, gfp, 1) ||
				(sf_reclaim_after_failure(gfp) &&
				 cache_must_succeed(c, gfp, 1))))
			sf_spurious(sf_cache_names[slot], "kmem_cache_alloc(%s, %#x)",
				 sf_cache_names[slot], gfp);
		return;
	}
	cache_newobj((unsigned int)slot, p, gfp, zero);
}

static void op_cache_alloc_bulk(const struct sf_op *op)
{
	int slot = sf_pick_cache(op->arg[0]);
	size_t want = op->arg[1], got;
	void *p[16];
	struct sf_cache *c;
	gfp_t gfp;

	if (slot < 0)
		return;
	c = &sf.caches[slot];
	gfp = sf_op_gfp(op, 2) & ~__GFP_NOFAIL;
	if (c->ctor)
		gfp &= ~__GFP_ZERO;
	if (sf_obj_capacity() < want)
		return;
	got = (size_t)kmem_cache_alloc_bulk(c->s, gfp, want, p);
	sf_digest(got);
	if (got > want)
		sf_model_fail("bulk count wrong", sf_cache_names[slot],
			      "kmem_cache_alloc_bulk(%zu) returned %zu", want, got);
	if (!got && !sf.raw && cache_must_succeed(c, gfp, want))
		sf_spurious(sf_cache_names[slot], "kmem_cache_alloc_bulk(%s, %#x, %zu)",
			 sf_cache_names[slot], gfp, want);
	for (size_t i = 0; i < got; i++)
		cache_newobj((unsigned int)slot, p[i], gfp, false);
}

static void op_cache_free(const struct sf_op *op)
{
	int id = sf_pick(SF_K_CACHE, op->arg[0]);

	if (id >= 0)
		sf_free_object((uint32_t)id);
}

static void op_cache_free_bulk(const struct sf_op *op)
{
	int slot = sf_pick_cache(op->arg[0]);
	uint32_t ids[16];
	void *p[16];
	size_t n;

	if (slot < 0)
		return;
	n = sf_cache_objects((unsigned int)slot, ids, op->arg[1] < 16 ? op->arg[1] : 16);
	for (size_t i = 0; i < n; i++) {
		p[i] = sf.objs[ids[i]].ptr;
		sf_obj_free_prepare(ids[i]);
	}
	for (size_t i = 0; i < n; i++)
		sf_obj_forget(ids[i]);
	kmem_cache_free_bulk(sf.caches[slot].s, n, p);
}

static void op_cache_shrink(const struct sf_op *op)
{
	int slot = sf_pick_cache(op->arg[0]);

	if (slot >= 0)
		sf_digest((uint64_t)kmem_cache_shrink(sf.caches[slot].s));
}

static void op_cache_destroy(const struct sf_op *op)
{
	int slot = sf_pick_cache(op->arg[0]);

	if (slot >= 0)
		sf_cache_destroy((unsigned int)slot);
}


void sf_exec_cache_create(const struct sf_op *op) { op_cache_create(op); }
void sf_exec_cache_alloc(const struct sf_op *op) { op_cache_alloc(op, false); }
void sf_exec_cache_zalloc(const struct sf_op *op) { op_cache_alloc(op, true); }
void sf_exec_cache_free(const struct sf_op *op) { op_cache_free(op); }
void sf_exec_cache_alloc_bulk(const struct sf_op *op) { op_cache_alloc_bulk(op); }
void sf_exec_cache_free_bulk(const struct sf_op *op) { op_cache_free_bulk(op); }
void sf_exec_cache_shrink(const struct sf_op *op) { op_cache_shrink(op); }
void sf_exec_cache_destroy(const struct sf_op *op) { op_cache_destroy(op); }
