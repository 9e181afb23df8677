/*
 * slab/slub.h - SLUB's private structures and paths, for the SLUB files
 * (slab/slub*.c, kmalloc.c) and SLUB's debugging (debug/slub_debug*.c): the
 * per-cpu slab, the node's lists, the tracks, the free pointer encoding
 * (freeptr_t), the slow and fast paths and the building blocks of SLUB's
 * reports. slab_common.c sees none of it: its contract with SLUB is
 * slab/slab.h.
 */
#ifndef KALLOC_SLAB_SLUB_H
#define KALLOC_SLAB_SLUB_H

#include "lib/fault.h"
#include "slab/slab.h"
/* the debug layer's hook on the free fast path below: kasan_slab_pre_free() */
#include "debug/debug.h"

/* SLAB_STORE_USER: who allocated / freed an object. */
struct track {
	unsigned long addr;	/* caller's return address */
	int cpu;
	int pid;
	unsigned long when;	/* kalloc_op_count() at the time ("age=") */
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* The tracks follow the free pointer word at get_info_end(), a multiple of
 * the word size: they must need no stricter alignment. */
_Static_assert(_Alignof(struct track) <= sizeof(void *),
	       "struct track is word-aligned after the free pointer");

/* The one node's lists (the kernel has one per NUMA node). */
struct kmem_cache_node {
	unsigned long nr_partial;
	struct list_head partial;
	unsigned long nr_slabs;		/* every slab of the cache */
	unsigned long total_objects;
	struct list_head full;		/* debug caches: slabs without free objects */
};

struct kmem_cache_cpu {
	void *freelist;		/* lockless freelist of c->slab (raw head) */
	struct slab *slab;	/* the active (frozen) slab, or NULL */
	struct slab *partial;	/* cpu partial slabs (next_cpu_partial chain) */
	unsigned int partial_slabs;	/* length of that chain */
	/* [slab_lo, slab_lo + slab_span): c->slab's memory, so that the fast
	 * path can refuse a decoded free pointer that leaves the slab or is
	 * no object start (cpu_freepointer_ok()) */
	uintptr_t slab_lo;
	uintptr_t slab_span;
};


static inline struct track *get_track(const struct kmem_cache *s, void *object,
				      enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

static inline unsigned int *orig_size_slot(const struct kmem_cache *s,
					   void *object)
{
	return (unsigned int *)((char *)object + get_info_end(s) +
				2 * sizeof(struct track));
}

static inline void set_orig_size(const struct kmem_cache *s, void *object,
				 unsigned int orig_size)
{
	if (slub_debug_orig_size(s))
		kasan_memcpy_nocheck(orig_size_slot(s, object), &orig_size,
				     sizeof(orig_size));
}

static inline unsigned int get_orig_size(const struct kmem_cache *s,
					 void *object)
{
	unsigned int v;

	if (!slub_debug_orig_size(s))
		return s->object_size;
	kasan_memcpy_nocheck(&v, orig_size_slot(s, object), sizeof(v));
	return v;
}

/* ksize() hands the whole object to the caller: no kmalloc red zone. */
static inline void skip_orig_size_check(const struct kmem_cache *s,
					const void *object)
{
	set_orig_size(s, (void *)(uintptr_t)object, s->object_size);
}

/*
 * A free pointer as stored in a free object: encoded under
 * CONFIG_SLAB_FREELIST_HARDENED (ptr ^ s->random ^ swab(its own address)),
 * the raw pointer otherwise. A distinct type, as the kernel's freeptr_t, so
 * that a stored value cannot be used as a pointer without decoding.
 */
typedef struct { unsigned long v; } freeptr_t;

static inline freeptr_t freelist_ptr_encode(const struct kmem_cache *s,
					    const void *ptr,
					    unsigned long ptr_addr)
{
	unsigned long encoded = (unsigned long)ptr;

	if (slab_hardened)
		encoded ^= s->random ^ __builtin_bswap64(ptr_addr);
	return (freeptr_t){ .v = encoded };
}

static inline void *freelist_ptr_decode(const struct kmem_cache *s,
					freeptr_t ptr, unsigned long ptr_addr)
{
	unsigned long decoded = ptr.v;

	if (slab_hardened)
		decoded ^= s->random ^ __builtin_bswap64(ptr_addr);
	return (void *)decoded;
}

static inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;
	freeptr_t p = { .v = kasan_read_word_nocheck((const void *)ptr_addr) };

	return freelist_ptr_decode(s, p, ptr_addr);
}

/* Callers do the naive double-free check (object == fp) themselves: it is
 * a report here, not the kernel's BUG_ON. */
static inline void set_freepointer(const struct kmem_cache *s, void *object,
				   const void *fp)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;

	kasan_write_word_nocheck((void *)ptr_addr,
				 freelist_ptr_encode(s, fp, ptr_addr).v);
}

/* A cache's slab and object counts (the kernel's per-node counters). */
static inline void inc_slabs_node(struct kmem_cache *s, unsigned int objects)
{
	s->node[0]->nr_slabs++;
	s->node[0]->total_objects += objects;
}

static inline void dec_slabs_node(struct kmem_cache *s, unsigned int objects)
{
	s->node[0]->nr_slabs--;
	s->node[0]->total_objects -= objects;
}

/* slub_slab.c: a new slab for s (on no list, nothing in use), or NULL. */
struct slab *new_slab(struct kmem_cache *s, gfp_t flags);

/*
 * Slow paths (slub.c). Every allocation that the cpu freelist cannot serve,
 * and every allocation from a debug cache, goes through ___slab_alloc();
 * every free that is not to the current cpu's active slab, and every free
 * to a debug cache, goes through __slab_free(). Debug hooks belong there.
 */
void *___slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long addr,
		    unsigned int orig_size);
void __slab_free(struct kmem_cache *s, struct slab *slab, void *head,
		 void *tail, int cnt, unsigned long addr);
/* __GFP_ZERO / init_on_alloc / init_on_free work after an allocation. */
void slab_post_alloc_init(struct kmem_cache *s, gfp_t gfp, void *object,
			  unsigned int orig_size);
/* init_on_free before a free. */
void slab_free_init(struct kmem_cache *s, void *object);
/* The object taken from c->freelist has a free pointer that leaves c->slab
 * or is no object start: report, isolate it and the rest, allocate through
 * the slow path. */
void *slab_freeptr_corrupt(struct kmem_cache *s, struct kmem_cache_cpu *c,
			   void *object, gfp_t gfp, unsigned long addr,
			   unsigned int orig_size);
/* Naive double free (object == freelist head): report; nothing is freed. */
void slab_naive_double_free(struct kmem_cache *s, void *object);
/* A free of a pointer inside a slab that is no object start: not freed
 * (SLUB's "Invalid object pointer", or KASAN's invalid-free under ASan). */
void slab_report_invalid_pointer(struct kmem_cache *s, struct slab *slab,
				 void *x, unsigned long ip, const char *func);

/*
 * KASAN: an allocation makes exactly the requested bytes the caller's
 * (kmalloc's request, not its bucket); a free takes the object back. Red
 * zones, metadata and free objects stay poisoned. No-ops without ASan.
 */
static inline void kasan_slab_alloc(const struct kmem_cache *s, void *object,
				    unsigned int orig_size)
{
	(void)s;
	kasan_unpoison(object, orig_size);
}

static inline void kasan_slab_free(const struct kmem_cache *s, void *object)
{
	kasan_poison(object, s->object_size);
}

/* With a quarantine every free of an object start goes here (slub.c): the
 * checks, then into the quarantine (debug.h's quarantine_put()). */
void slab_free_quarantine(struct kmem_cache *s, struct slab *slab,
			  void *object, unsigned long addr, const char *func);

/*
 * Is next, the free pointer of the object the fast path is handing out,
 * NULL or the start of one of c->slab's objects (check_valid_pointer()
 * from the cpu slab's bounds)? The kernel checks nothing here without
 * slab_debug (and CONFIG_SLAB_FREELIST_HARDENED only scrambles the
 * pointer); kalloc checks on every path, so that a write after free that
 * aims a free pointer into a live object never hands out an overlap.
 */
static inline bool cpu_freepointer_ok(const struct kmem_cache *s,
				      const struct kmem_cache_cpu *c,
				      const void *next)
{
	uintptr_t off = (uintptr_t)next - c->slab_lo;
	uint32_t slot, idx;

	if (!next)
		return true;
	if (off >= c->slab_span)
		return false;
	slot = (uint32_t)off - s->red_left_pad;
	idx = reciprocal_divide(slot, s->reciprocal_size);
	return idx < c->slab->objects && idx * s->size == slot;
}

/*
 * Fast paths: a pop from / push to the current cpu's lockless freelist.
 * Debug caches never have a cpu slab, so they always fall through to the
 * slow paths.
 */
static inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp,
				    unsigned long addr, unsigned int orig_size)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[kg.cpu];
	void *object = c->freelist;

	/* slab_pre_alloc_hook(): failslab */
	if (unlikely(fault_hook_armed) && should_failslab(s, gfp, addr))
		return NULL;
	if (unlikely(!object)) {
		object = ___slab_alloc(s, gfp, addr, orig_size);
		if (unlikely(!object))
			return NULL;
		if (likely(virt_to_slab(object)))
			slab_touch(virt_to_slab(object));
	} else {
		slab_touch(c->slab);
		void *next = get_freepointer(s, object);

		if (unlikely(!cpu_freepointer_ok(s, c, next))) {
			object = slab_freeptr_corrupt(s, c, object, gfp, addr,
						      orig_size);
			if (unlikely(!object))
				return NULL;
		} else {
			c->freelist = next;
		}
	}
	if (unlikely((gfp & __GFP_ZERO) || slab_init_on_alloc ||
		     slab_init_on_free))
		slab_post_alloc_init(s, gfp, object, orig_size);
	kasan_slab_alloc(s, object, orig_size);
	return object;
}

/* func: the entry point called (kfree, kmem_cache_free ...), for reports. */
static inline void slab_free(struct kmem_cache *s, struct slab *slab,
			     void *object, unsigned long addr, const char *func)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[kg.cpu];

	slab_touch(slab);
	if (unlikely(!slab_object_start(s, slab, object))) {
		slab_report_invalid_pointer(s, slab, object, addr, func);
		return;
	}
	if (unlikely(kasan_slab_pre_free(s, object, addr, func)))
		return;
	if (unlikely(slab_quarantine)) {
		slab_free_quarantine(s, slab, object, addr, func);
		return;
	}
	if (unlikely(slab_init_on_free))
		slab_free_init(s, object);
	kasan_slab_free(s, object);
	if (likely(slab == c->slab)) {
		if (unlikely(object == c->freelist && slab_hardened)) {
			slab_naive_double_free(s, object);
			return;
		}
		set_freepointer(s, object, c->freelist);
		c->freelist = object;
		return;
	}
	__slab_free(s, slab, object, object, 1, addr);
}

/* Report helpers in the kernel's words, for this layer and slub_debug:
 * the "BUG <cache> (Not tainted): <reason>" block, the "Slab 0x..." line
 * and the "Object 0x... @offset=... fp=0x..." line. */
void slab_bug(struct report_buf *rb, const struct kmem_cache *s,
	      const char *fmt, ...) __printf(3, 4);
void print_slab_info(struct report_buf *rb, const struct slab *slab);
void print_object_line(struct report_buf *rb, const struct kmem_cache *s,
		       const struct slab *slab, void *object);
void slab_fix(struct report_buf *rb, const struct kmem_cache *s,
	      const char *fmt, ...) __printf(3, 4);
/* slub_report.c: the slab layer's own findings and warnings */
/* A bad link in a freelist, in SLUB's words: the bug kind is the caller's
 * (KALLOC_BUG_FREEPTR for "Freepointer corrupt", KALLOC_BUG_FREELIST for
 * the chain-level findings); object (may be NULL) is the one holding the
 * bad link; fix is the FIX line. The title is the reason up to its first
 * '.', so that it carries no numbers. */
void slab_report_freelist(struct kmem_cache *s, struct slab *slab,
			  void *object, enum kalloc_bug bug, const char *fix,
			  const char *fmt, ...) __printf(6, 7);
void slab_report_not_slab(struct kmem_cache *s, void *x);
void slab_report_cache_mismatch(struct kmem_cache *s, struct kmem_cache *cachep,
				void *x);
void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp);

#endif /* KALLOC_SLAB_SLUB_H */
