/*
 * objects.c - kalloc_for_each_allocated(): every allocation still live, for
 * leak reports (kalloc/objects.h). A walk over mem_map finds slab pages
 * (each object not on a freelist or in the quarantine is live), large
 * kmallocs and page blocks handed out by alloc_pages(); walk.c lists the
 * vmalloc areas. It sits with the machine because it reads every layer.
 * kalloc_describe_addr() names one address the same way, for a report.
 * Cost: the whole mem_map and every slab's freelist per object, which is
 * fine for the end-of-run report it serves and far too slow for a hot path.
 */
/* an object's state (free, request size, alloc track) as the debug layer
 * knows it: kmem_obj_info() */
#include "debug/obj_info.h"
#include "page/buddy.h"

#include <string.h>

#include <kalloc/walk.h>

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
		struct kmem_obj_info kp;
		struct kalloc_object o;

		kmem_obj_info(&kp, s, slab, p);
		if (kp.free)
			continue;
		o = (struct kalloc_object){
			.kind = KALLOC_OBJ_SLAB,
			.addr = p,
			.size = kp.orig_size,
			.cache = s->name,
			.caller = kp.alloc_addr,
			.when = kp.alloc_when,
			.pid = kp.alloc_pid,
		};
		emit(w, &o);
	}
}

static int vmalloc_area(const struct kalloc_vm_area *vm, void *arg)
{
	struct kalloc_object o = {
		.kind = KALLOC_OBJ_VMALLOC,
		.addr = vm->addr,
		.size = vm->requested,
		.caller = vm->caller,
	};

	emit(arg, &o);
	return 0;
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
	kalloc_for_each_vm_area(vmalloc_area, &w);
	return w.n;
}

static enum kalloc_addr_kind describe_slab(const void *addr, struct slab *slab,
					   struct kalloc_addr_info *info)
{
	struct kmem_cache *s = slab->slab_cache;
	char *base = slab_address(slab);
	size_t idx = (size_t)((const char *)addr - base) / s->size;
	struct kmem_obj_info kp;
	void *object;

	/* the nearest object: the one whose slot holds addr (the slab's tail
	 * padding belongs to the last) */
	if (idx >= slab->objects)
		idx = slab->objects - 1;
	object = fixup_red_left(s, base + idx * s->size);
	info->object = object;
	info->cache = s->name;
	info->object_size = s->object_size;
	kmem_obj_info(&kp, s, slab, object);
	if (kp.free) {
		info->size = s->object_size;
		return info->kind = KALLOC_ADDR_SLAB_FREED;
	}
	info->size = kp.orig_size;
	return info->kind = KALLOC_ADDR_SLAB_LIVE;
}

enum kalloc_addr_kind kalloc_describe_addr(const void *addr,
					   struct kalloc_addr_info *info)
{
	struct slab *slab;
	struct page *page, *head;

	memset(info, 0, sizeof(*info));
	if (!kg.initialised)
		return KALLOC_ADDR_UNKNOWN;
	if (is_vmalloc_addr(addr))
		return info->kind = KALLOC_ADDR_VMALLOC;
	if (!addr_in_arena(addr))
		return KALLOC_ADDR_UNKNOWN;
	slab = virt_to_slab(addr);
	page = virt_to_page(addr);
	head = page_test(page, PG_tail) ? page->head : page;
	if (slab && page_test(head, PG_slab) && !page_test(head, PG_quarantine))
		return describe_slab(addr, slab, info);
	if (page_is_free(page) || page_test(head, PG_quarantine) ||
	    page_test(head, PG_slab))
		return info->kind = KALLOC_ADDR_PAGE_FREE;
	if (page_test(head, PG_large_kmalloc)) {
		info->object = page_address(head);
		info->size = head->kmalloc_size ? head->kmalloc_size :
			     PAGE_SIZE << head->order;
		return info->kind = KALLOC_ADDR_LARGE_KMALLOC;
	}
	return info->kind = KALLOC_ADDR_PAGE_LIVE;
}
