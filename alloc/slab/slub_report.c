/*
 * slub_report.c - what the slab layer says, in the kernel's words.
 *
 * The building blocks of SLUB's reports (slab_bug()'s BUG block, the "Slab"
 * and "Object" lines, the FIX line), shared with the debug layer; the
 * hardening findings of the slab layer itself (naive double free, corrupt
 * free pointer, freeing into the wrong cache or outside any slab); and the
 * warnings that are not findings (out of memory, bad gfp flags). Titles
 * are "slab: <what> in <cache>": stable and free of addresses.
 */
#include <string.h>

#include "page/buddy.h"
#include "slab/slub.h"
#include "debug/debug.h"

void slab_bug(struct report_buf *rb, const struct kmem_cache *s,
	      const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report_add(rb, "=============================================================================\n");
	report_add(rb, "BUG %s (Not tainted): %s\n", s->name, reason);
	report_add(rb, "-----------------------------------------------------------------------------\n\n");
}

void print_slab_info(struct report_buf *rb, const struct slab *slab)
{
	char names[160];

	format_page_flags(names, sizeof(names), slab_page(slab));
	report_add(rb, "Slab " PTR_FMT " objects=%u used=%u fp=" PTR_FMT " flags=%#lx(%s)\n",
		   PTR(slab), slab->objects, slab->inuse, PTR(slab->freelist),
		   slab_page(slab)->flags, names);
}

void print_object_line(struct report_buf *rb, const struct kmem_cache *s,
		       const struct slab *slab, void *object)
{
	report_add(rb, "Object " PTR_FMT " @offset=%tu fp=" PTR_FMT "\n\n",
		   PTR(object), (char *)object - slab_address(slab),
		   PTR(get_freepointer(s, object)));
}

void slab_fix(struct report_buf *rb, const struct kmem_cache *s,
	      const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	report_add(rb, "FIX %s: %s\n", s->name, what);
}

/*
 * CONFIG_SLAB_FREELIST_HARDENED's BUG_ON(object == fp) in set_freepointer():
 * the object being freed is already the head of the freelist it would go
 * on. The kernel stops; here it is reported and the object stays as it is.
 */
void slab_naive_double_free(struct kmem_cache *s, void *object)
{
	struct report_buf rb;

	report_init(&rb);
	report_add(&rb, "------------[ cut here ]------------\n");
	report_add(&rb, "kernel BUG at mm/slub.c: set_freepointer()!\n");
	report_add(&rb, "BUG_ON(object == fp): naive detection of double free or corruption\n");
	report_add(&rb, "cache %s object " PTR_FMT " is already the head of its freelist: not freed again\n",
		   s->name, PTR(object));
	report_emit(&rb, KALLOC_BUG_DOUBLE_FREE, s->name, object,
		    "slab: double free in %s", s->name);
}

/*
 * The object check of free_consistency_checks(), done on every free here:
 * the pointer is inside the slab but not at an object start.
 */
void slab_report_invalid_pointer(struct kmem_cache *s, struct slab *slab,
				 void *x, unsigned long ip, const char *func)
{
	struct report_buf rb;

	/* KASAN's check_slab_allocation() comes before SLUB's checks */
	if (s->flags & SLAB_KASAN) {
		kasan_report_invalid_free(s, nearest_obj(s, slab, x), x, ip,
					  func);
		return;
	}
	report_init(&rb);
	slab_bug(&rb, s, "Invalid object pointer " PTR_FMT, PTR(x));
	print_slab_info(&rb, slab);
	report_add(&rb, "pointer @offset=%tu is not the start of an object of size %u\n",
		   (char *)x - slab_address(slab), s->size);
	slab_fix(&rb, s, "Object at " PTR_FMT " not freed", PTR(x));
	report_emit(&rb, KALLOC_BUG_INVALID_FREE, s->name, x,
		    "slab: invalid free in %s", s->name);
}

/* A bad link in a freelist, found on a path or by the validator. */
void slab_report_freelist(struct kmem_cache *s, struct slab *slab,
			  void *object, enum kalloc_bug bug, const char *fix,
			  const char *fmt, ...)
{
	struct report_buf rb;
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report_init(&rb);
	slab_bug(&rb, s, "%s", reason);
	print_slab_info(&rb, slab);
	if (object)
		print_object_line(&rb, s, slab, object);
	slab_fix(&rb, s, "%s", fix);
	/* the title carries no numbers: cut at the first '.' */
	*strchrnul(reason, '.') = '\0';
	report_emit(&rb, bug, s->name, object ? object : (void *)slab,
		    "slab: %s in %s", reason, s->name);
}

/* kmem_cache_free() of a pointer that is in no slab: not freed. */
void slab_report_not_slab(struct kmem_cache *s, void *x)
{
	struct report_buf rb;

	report_init(&rb);
	report_add(&rb, "------------[ cut here ]------------\n");
	report_add(&rb, "virt_to_cache: Object is not a Slab page!\n");
	report_add(&rb, "WARNING: CPU: %u PID: %d at mm/slab.h virt_to_cache\n",
		   kg.cpu, kg.pid);
	report_add(&rb, "kmem_cache_free(%s, " PTR_FMT "): pointer is not in any slab: not freed\n",
		   s->name, PTR(x));
	report_emit(&rb, KALLOC_BUG_INVALID_FREE, s->name, x,
		    "slab: invalid free in %s", s->name);
}

/* cache_from_obj()'s WARN; the object then goes to the cache it is from. */
void slab_report_cache_mismatch(struct kmem_cache *s, struct kmem_cache *cachep,
				void *x)
{
	struct report_buf rb;

	report_init(&rb);
	report_add(&rb, "------------[ cut here ]------------\n");
	report_add(&rb, "cache_from_obj: Wrong slab cache. %s but object is from %s\n",
		   s->name, cachep->name);
	report_add(&rb, "WARNING: CPU: %u PID: %d at mm/slab.h cache_from_obj\n",
		   kg.cpu, kg.pid);
	report_add(&rb, "kmem_cache_free(%s, " PTR_FMT "): object belongs to different cache %s\n",
		   s->name, PTR(x), cachep->name);
	report_add(&rb, "freed into %s, the cache it belongs to\n", cachep->name);
	report_emit(&rb, KALLOC_BUG_CACHE_MISMATCH, s->name, x,
		    "slab: cache mismatch in %s", s->name);
}

/* No slab could be had: the kernel's slab_out_of_memory() warning, with
 * its own ratelimit state, slub_oom_rs. */
void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp)
{
	static __machine_state DEFINE_RATELIMIT_STATE(slub_oom_rs, DEFAULT_RATELIMIT_BURST);
	struct kmem_cache_node *n = s->node[0];
	unsigned long nr_free = 0;
	struct list_head *pos;
	char names[256];

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&slub_oom_rs))
		return;
	list_for_each(pos, &n->partial) {
		struct slab *slab = list_entry(pos, struct slab, slab_list);

		nr_free += slab->objects - slab->inuse;
	}
	format_gfp(names, sizeof(names), gfp);
	printk("SLUB: Unable to allocate memory on node -1, gfp=%#x(%s)\n",
	       gfp, names);
	printk("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
	       s->name, s->object_size, s->size, oo_order(s->oo),
	       oo_order(s->min));
	printk("  node 0: slabs: %lu, objs: %lu, free: %lu\n", n->nr_slabs,
	       n->total_objects, nr_free);
}
