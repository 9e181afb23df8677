/*
 * objects.c - kalloc_for_each_allocated(): every allocation still live, for
 * leak reports (kalloc/objects.h). A walk over mem_map finds slab pages
 * (each object not on a freelist or in the quarantine is live), large
 * kmallocs and page blocks handed out by alloc_pages(); the vmalloc layer
 * lists its areas. It sits with the machine because it reads every layer.
 * Cost: the whole mem_map and every slab's freelist per object, which is
 * fine for the end-of-run report it serves and far too slow for a hot path.
 */
#include "debug/debug.h"
#include "slab/slub.h"
#include "vmalloc/vmalloc.h"

/* Flags of pages that are not a plain block handed out by alloc_pages(). */
#define NOT_PLAIN_PAGES \
	(PAGE_FLAG(PG_buddy) | PAGE_FLAG(PG_tail) | PAGE_FLAG(PG_slab) | \
	 PAGE_FLAG(PG_reserved) | PAGE_FLAG(PG_vmalloc) | \
	 PAGE_FLAG(PG_large_kmalloc) | PAGE_FLAG(PG_quarantine))

struct walk {
	kalloc_object_fn fn;
	void *arg;
	unsigned long n;
};

static void emit(struct walk *w, const struct kalloc_object *o)
{
	w->n++;
	w->fn(o, w->arg);
}

static void slab_objects(struct walk *w, struct slab *slab)
{
	struct kmem_cache *s = slab->slab_cache;
	void *p;

	for_each_object(p, s, slab_address(slab), slab->objects) {
		struct kalloc_object o = {
			.kind = KALLOC_OBJ_SLAB,
			.addr = p,
			.size = get_orig_size(s, p),
			.cache = s->name,
		};

		if (object_is_free(s, slab, p))
			continue;
		if (s->flags & SLAB_STORE_USER) {
			struct track t;

			get_track_copy(s, p, TRACK_ALLOC, &t);
			o.caller = t.addr;
			o.when = t.when;
			o.pid = t.pid;
		}
		emit(w, &o);
	}
}

static void vmalloc_area(const struct vm_struct *vm, void *arg)
{
	struct kalloc_object o = {
		.kind = KALLOC_OBJ_VMALLOC,
		.addr = vm->addr,
		.size = vm->requested_size,
		.caller = vm->caller,
	};

	emit(arg, &o);
}

unsigned long kalloc_for_each_allocated(kalloc_object_fn fn, void *arg)
{
	struct walk w = { .fn = fn, .arg = arg };
	unsigned long pfn = 0;

	if (!kg.initialised)
		return 0;
	while (pfn < arena.nr_pages) {
		struct page *page = &arena.mem_map[pfn];
		unsigned long span = 1;

		if (page_test(page, PG_slab) && !page_test(page, PG_quarantine)) {
			slab_objects(&w, &page->slab);
			span = 1UL << page->slab.order;
		} else if (page_test(page, PG_large_kmalloc) &&
			   !page_test(page, PG_quarantine)) {
			struct kalloc_object o = {
				.kind = KALLOC_OBJ_LARGE_KMALLOC,
				.addr = page_address(page),
				.size = page->kmalloc_size ? page->kmalloc_size :
					PAGE_SIZE << page->order,
			};

			emit(&w, &o);
			span = 1UL << page->order;
		} else if (page->_refcount > 0 && !(page->flags & NOT_PLAIN_PAGES)) {
			struct kalloc_object o = {
				.kind = KALLOC_OBJ_PAGES,
				.addr = page_address(page),
				.size = PAGE_SIZE << page->order,
			};

			emit(&w, &o);
			span = 1UL << page->order;
		}
		pfn += span;
	}
	vmalloc_for_each_area(vmalloc_area, &w);
	return w.n;
}
