/*
 * kasan_slab.c - generic KASAN for slab objects: the red zone each object
 * gets, the checks a free and ksize() make against the shadow, and KASAN's
 * reports (mm/kasan/generic.c, common.c and report.c, for slab caches).
 *
 * In the ASan build every cache is a KASAN cache (SLAB_KASAN), unless the
 * machine was built with kasan_off:
 *  - kasan_cache_create() grows each slot, as generic KASAN does, to make
 *    room for KASAN's per-object metadata and to at least object_size +
 *    optimal_redzone(object_size). A new slab is poisoned whole and an
 *    allocation unpoisons only the request (slub.h), so the red zone after
 *    every object stays poisoned: one byte past an object, or one byte
 *    before the next one, is an ASan report at the faulting instruction,
 *    with no slab_debug flag at all.
 *  - kasan_slab_pre_free() is check_slab_allocation(): before a free writes
 *    anything, an object whose first byte is poisoned is already free (in
 *    the quarantine or on a freelist): a double-free, reported and not
 *    freed, with or without a quarantine or debug flags. (An interior
 *    pointer, KASAN's invalid-free, is refused by the free paths first.)
 *  - kasan_check_byte() is what ksize() checks first: a pointer into a freed
 *    object or a red zone is reported and ksize() returns 0.
 *
 * The reports are KASAN's, "BUG: KASAN: <type> in <func>" with the access
 * line, a call trace holding the caller's frame, the tracks that are known
 * and the object's place; <type> comes from the report's kind
 * (kasan_bug_type()) and <func> is the entry point called (kfree,
 * kmem_cache_free, ksize ...), so the title "KASAN: <type> in <func>" is
 * the same in every build. They serve the quarantine and the krealloc() and
 * kfree_sensitive() checks without ASan too, which find a freed object from
 * the slab's state instead of the shadow.
 *
 * Deviations (DEVIATIONS.md): the metadata space is reserved, as the kernel
 * lays it out, but holds nothing (tracks come from slab_debug U and the
 * quarantine), so a debug cache's padding check covers it; ASan's shadow has
 * one kind of poison, so the type (out-of-bounds or use-after-free) comes
 * from the allocator's state, not from the shadow value.
 */
#include <stdio.h>

#include "debug/slub_debug.h"

#if KALLOC_KASAN

/* generic KASAN's struct kasan_alloc_meta and struct kasan_free_meta on a
 * 64-bit kernel without CONFIG_KASAN_EXTRA_INFO */
#define KASAN_ALLOC_META_SIZE	16u
#define KASAN_FREE_META_SIZE	16u

/* mm/kasan/generic.c: the red zone for an object of this size */
static unsigned int optimal_redzone(unsigned int object_size)
{
	return object_size <= 64 - 16 ? 16 :
	       object_size <= 128 - 32 ? 32 :
	       object_size <= 512 - 64 ? 64 :
	       object_size <= 4096 - 128 ? 128 :
	       object_size <= (1u << 14) - 256 ? 256 :
	       object_size <= (1u << 15) - 512 ? 512 :
	       object_size <= (1u << 16) - 1024 ? 1024 : 2048;
}

/*
 * kasan_cache_create(), from calculate_sizes() after the tracks: the alloc
 * metadata after what is there, the free metadata in the object when it
 * fits and may be overwritten on free, else (or its remainder) after; then
 * the slot is at least object_size + optimal_redzone(), all capped at
 * KMALLOC_MAX_SIZE as the kernel caps them.
 */
void kasan_cache_create(struct kmem_cache *s, unsigned int *size)
{
	unsigned int ok_size = *size, optimal;

	if (kg.cfg.kasan_off)
		return;
	s->flags |= SLAB_KASAN;
	*size += KASAN_ALLOC_META_SIZE;
	if (*size > KMALLOC_MAX_SIZE)
		*size = ok_size;
	ok_size = *size;
	if ((s->flags & SLAB_TYPESAFE_BY_RCU) || s->ctor ||
	    slub_debug_orig_size(s))
		*size += KASAN_FREE_META_SIZE;
	else if (s->object_size < KASAN_FREE_META_SIZE)
		*size += KASAN_FREE_META_SIZE - s->object_size;
	if (*size > KMALLOC_MAX_SIZE)
		*size = ok_size;

	optimal = s->object_size + optimal_redzone(s->object_size);
	if (optimal > KMALLOC_MAX_SIZE)
		optimal = KMALLOC_MAX_SIZE;
	if (*size < optimal)
		*size = optimal;
}

#endif /* KALLOC_KASAN */

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

/* KASAN's bug type for a report kind about a slab object. */
static const char *kasan_bug_type(enum kalloc_bug bug)
{
	static const char *const types[KALLOC_BUG__COUNT] = {
		[KALLOC_BUG_DOUBLE_FREE] = "double-free",
		[KALLOC_BUG_INVALID_FREE] = "invalid-free",
		[KALLOC_BUG_USE_AFTER_FREE] = "slab-use-after-free",
		[KALLOC_BUG_REDZONE] = "slab-out-of-bounds",
	};

	return (unsigned)bug < KALLOC_BUG__COUNT && types[bug] ? types[bug] :
	       kalloc_bug_name(bug);
}

static void kasan_report_header(struct report_buf *rb, const char *type,
				const char *access, const void *addr,
				unsigned long ip, const char *func)
{
	char sym[128];

	format_symbol(sym, sizeof(sym), ip);
	report_add(rb, "==================================================================\n");
	report_add(rb, "BUG: KASAN: %s in %s\n", type, func);
	report_add(rb, "%s addr " PTR_FMT " by task %s/%d\n\n", access,
		   PTR(addr), kg.comm, kg.pid);
	report_add(rb, "CPU: %u PID: %d Comm: %s\nCall trace:\n %s\n %s\n\n",
		   kg.cpu, kg.pid, kg.comm, func, sym);
}

static void kasan_report_track(struct report_buf *rb, const char *what,
			       const struct kasan_track *t)
{
	char sym[128];

	if (!t || !t->addr)
		return;
	format_symbol(sym, sizeof(sym), t->addr);
	report_add(rb, "%s by task %d on cpu %d at %lu ops ago:\n %s\n\n",
		   what, t->pid, t->cpu, kg.ops - t->when, sym);
}

/*
 * kasan_get_alloc_size(): the bytes of a live object its caller may use,
 * read from the shadow, so that a kmalloc's region is its request (17
 * bytes), not its bucket (32). A freed object's region is its whole size.
 */
static unsigned int kasan_alloc_size(struct kmem_cache *s, const void *object)
{
	const char *bad = kasan_find_poisoned(object, s->object_size);

	return bad ? (unsigned int)(bad - (const char *)object) : s->object_size;
}

/* size: the region the report measures from (kasan_alloc_size() for a
 * live object, the object's size for a freed one); state: its adjective */
static void kasan_report_object(struct report_buf *rb, struct kmem_cache *s,
				const void *object, const void *addr,
				unsigned int size, const char *state)
{
	const char *o = object, *a = addr;

	report_add(rb, "The buggy address belongs to the object at " PTR_FMT "\n",
		   PTR(object));
	report_add(rb, " which belongs to the cache %s of size %u\n", s->name,
		   s->object_size);
	if (a >= o + size)
		report_add(rb, "The buggy address is located %lu bytes to the right of\n",
			   (unsigned long)(a - o - size));
	else if (a < o)
		report_add(rb, "The buggy address is located %lu bytes to the left of\n",
			   (unsigned long)(o - a));
	else
		report_add(rb, "The buggy address is located %lu bytes inside of\n",
			   (unsigned long)(a - o));
	report_add(rb, " %s%u-byte region [" PTR_FMT ", " PTR_FMT ")\n", state,
		   size, PTR(object), PTR(o + size));
	report_add(rb, "==================================================================\n");
}

static void kasan_emit(struct report_buf *rb, enum kalloc_bug bug,
		       struct kmem_cache *s, const void *addr, const char *func)
{
	report_emit(rb, bug, s ? s->name : NULL, addr, "KASAN: %s in %s",
		    kasan_bug_type(bug), func);
}

/* slab_debug U's track of an object, as KASAN prints one. */
static void slub_kasan_track(struct kmem_cache *s, void *object,
			     enum track_item item, struct kasan_track *kt)
{
	struct track t;

	get_track_copy(s, object, item, &t);
	*kt = (struct kasan_track){
		.addr = t.addr,
		.cpu = t.cpu,
		.pid = t.pid,
		.when = t.when,
	};
}

/*
 * A freed object handed to a free (double-free) or to ksize(), krealloc()
 * (slab-use-after-free). The free track is the quarantine's when it holds
 * the object, else slab_debug U's; the allocation track needs U.
 */
void kasan_report_free_object(struct kmem_cache *s, void *object,
			      const void *addr, const struct kasan_track *freed,
			      enum kalloc_bug bug, const char *access,
			      unsigned long ip, const char *func)
{
	struct report_buf rb;

	report_init(&rb);
	kasan_report_header(&rb, kasan_bug_type(bug), access, addr, ip, func);
	if (s->flags & SLAB_STORE_USER) {
		struct kasan_track t;

		slub_kasan_track(s, object, TRACK_ALLOC, &t);
		kasan_report_track(&rb, "Allocated", &t);
		if (!freed) {
			slub_kasan_track(s, object, TRACK_FREE, &t);
			kasan_report_track(&rb, "Freed", &t);
		}
	}
	kasan_report_track(&rb, "Freed", freed);
	kasan_report_object(&rb, s, object, addr, s->object_size, "freed ");
	kasan_emit(&rb, bug, s, addr, func);
}

void kasan_report_double_free(struct kmem_cache *s, void *object,
			      const struct kasan_track *freed, unsigned long ip,
			      const char *func)
{
	kasan_report_free_object(s, object, object, freed,
				 KALLOC_BUG_DOUBLE_FREE, "Free of", ip, func);
}

/*
 * Is an object of a cache without debug flags already free? Under ASan its
 * first byte says so (an allocated object's is always addressable);
 * otherwise the freelists are walked.
 */
static bool object_already_free(struct kmem_cache *s, struct slab *slab,
				void *object)
{
	if (kasan_enabled())
		return kasan_find_poisoned(object, 1) != NULL;
	return object_is_free(s, slab, object);
}

bool kasan_quarantine_double_free(struct kmem_cache *s, struct slab *slab,
				  void *object, unsigned long ip,
				  const char *func)
{
	if (quarantine_contains(object)) {
		kasan_report_double_free(s, object,
					 quarantine_free_track(object), ip,
					 func);
		return true;
	}
	if (!kmem_cache_debug(s) && object_already_free(s, slab, object)) {
		kasan_report_double_free(s, object, NULL, ip, func);
		return true;
	}
	return false;
}

/* A free of a pointer into a slab that is not an object start. */
void kasan_report_invalid_free(struct kmem_cache *s, const void *object,
			       const void *addr, unsigned long ip,
			       const char *func)
{
	struct report_buf rb;

	report_init(&rb);
	kasan_report_header(&rb, kasan_bug_type(KALLOC_BUG_INVALID_FREE),
			    "Free of", addr, ip, func);
	kasan_report_object(&rb, s, object, addr, kasan_alloc_size(s, object), "");
	kasan_emit(&rb, KALLOC_BUG_INVALID_FREE, s, addr, func);
}

#if KALLOC_KASAN

/*
 * check_slab_allocation()'s shadow test, for an object start: a free
 * object's first byte is poisoned, a live one's never is (an allocation
 * unpoisons at least one byte).
 */
bool __kasan_slab_pre_free(struct kmem_cache *s, void *object,
			   unsigned long ip, const char *func)
{
	if (likely(!kasan_find_poisoned(object, 1)))
		return false;
	kasan_report_double_free(s, object, quarantine_free_track(object), ip,
				 func);
	return true;
}

/*
 * __kasan_check_byte(): may the caller touch the byte at p? If not, the
 * report: a freed slab object's bytes are a slab-use-after-free, other
 * poisoned slab bytes (red zones, a kmalloc's tail past its request) and
 * the pages past a large kmalloc's request are slab-out-of-bounds, any
 * other poisoned linear-map page is a freed page.
 */
bool kasan_check_byte(const void *p, unsigned long ip, const char *func)
{
	struct slab *slab;
	struct kmem_cache *s;
	struct report_buf rb;
	void *object;

	if (likely(!kasan_find_poisoned(p, 1)) || !addr_in_arena(p) ||
	    kg.cfg.kasan_off)
		return true;
	slab = virt_to_slab(p);
	if (!slab) {
		/*
		 * A page, not a slab. Poison inside a live large kmalloc is
		 * what lies past its request: the kernel's shadow there is
		 * KASAN_PAGE_REDZONE, which report_generic.c calls
		 * slab-out-of-bounds. Any other poisoned page was freed.
		 */
		struct page *head = virt_to_head_page(p);
		bool oob = head && page_test(head, PG_large_kmalloc);
		enum kalloc_bug bug = oob ? KALLOC_BUG_REDZONE :
					    KALLOC_BUG_USE_AFTER_FREE;
		const char *type = oob ? "slab-out-of-bounds" : "use-after-free";

		report_init(&rb);
		kasan_report_header(&rb, type, "Read of size 1 at", p, ip, func);
		report_add(&rb, "The buggy address belongs to the physical page:\n"
			   "page:" PTR_FMT " pfn:%#lx\n",
			   PTR(virt_to_page(p)), page_to_pfn(virt_to_page(p)));
		if (oob)
			report_add(&rb, "head:" PTR_FMT " order:%u large kmalloc\n",
				   PTR(head), head->order);
		report_add(&rb, "==================================================================\n");
		report_emit(&rb, bug, NULL, p, "KASAN: %s in %s", type, func);
		return false;
	}
	s = slab->slab_cache;
	object = nearest_obj(s, slab, p);
	if ((const char *)p >= (const char *)object &&
	    object_is_free(s, slab, object)) {
		kasan_report_free_object(s, object, p, quarantine_free_track(object),
					 KALLOC_BUG_USE_AFTER_FREE,
					 "Read of size 1 at", ip, func);
		return false;
	}
	report_init(&rb);
	kasan_report_header(&rb, kasan_bug_type(KALLOC_BUG_REDZONE),
			    "Read of size 1 at", p, ip, func);
	kasan_report_object(&rb, s, object, p, kasan_alloc_size(s, object),
			    "allocated ");
	kasan_emit(&rb, KALLOC_BUG_REDZONE, s, p, func);
	return false;
}

#endif /* KALLOC_KASAN */
