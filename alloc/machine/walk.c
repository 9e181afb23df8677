/*
 * The read-only views of <kalloc/walk.h>: what a page frame is used for,
 * and the vmalloc areas in address order. They live in the machine layer
 * because a frame's description reaches every layer below (the buddy
 * allocator's flags, the slab overlaid on a slab's first page and its
 * cache, the vmalloc area a page backs); they only read, so a tool may
 * call them from a report handler, in the middle of an operation.
 */
#include <errno.h>

#include "page/buddy.h"
#include "slab/slab.h"
#include "vmalloc/vmalloc.h"

#include <kalloc/walk.h>

static const enum kalloc_slab_where slab_where[] = {
	[SLAB_LIST_NONE] = KALLOC_SLAB_FULL_UNLISTED,
	[SLAB_LIST_CPU_ACTIVE] = KALLOC_SLAB_CPU_ACTIVE,
	[SLAB_LIST_CPU_PARTIAL] = KALLOC_SLAB_CPU_PARTIAL,
	[SLAB_LIST_NODE_PARTIAL] = KALLOC_SLAB_NODE_PARTIAL,
	[SLAB_LIST_FULL] = KALLOC_SLAB_FULL,
};

/* The head of the block frame pfn belongs to, walking back at most one
 * MAX_PAGE_ORDER block: a free block's head carries PG_buddy and its order,
 * a compound page's tails point at their head. */
static const struct page *block_head(const struct page *p, unsigned long pfn)
{
	if (page_test(p, PG_tail) && p->head)
		return p->head;
	for (unsigned int order = 1; order <= MAX_PAGE_ORDER; order++) {
		unsigned long start = pfn & ~((1UL << order) - 1);
		const struct page *h = &arena.mem_map[start];

		if (start != pfn && page_test(h, PG_buddy) && h->order >= order)
			return h;
	}
	return p;
}

static void describe_slab(const struct page *head, struct kalloc_frame *out)
{
	const struct slab *slab = &head->slab;
	const struct kmem_cache *s = slab->slab_cache;

	out->use = KALLOC_FRAME_SLAB;
	out->order = slab->order;
	out->objects = slab->objects;
	out->inuse = slab->inuse;
	out->cpu = slab->cpu;
	out->slab_addr = page_address(head);
	if (slab->list >= 0 &&
	    (size_t)slab->list < sizeof(slab_where) / sizeof(slab_where[0]))
		out->where = slab_where[slab->list];
	if (s) {
		out->cache = s->name;
		out->stride = s->size;
		out->object_size = s->object_size;
		out->red_left_pad = s->red_left_pad;
	}
}

int kalloc_frame_info(unsigned long pfn, struct kalloc_frame *out)
{
	const struct page *p, *head;

	if (!kg.initialised || pfn >= arena.nr_pages)
		return -EINVAL;
	p = &arena.mem_map[pfn];
	*out = (struct kalloc_frame){ .pfn = pfn, .zone = (enum zone_type)p->zone,
				      .head_pfn = pfn, .refcount = p->_refcount,
				      .cpu = -1 };
	if (page_test(p, PG_reserved)) {
		out->use = KALLOC_FRAME_RESERVED;
		return 0;
	}
	if (page_test(p, PG_vmalloc)) {
		out->use = KALLOC_FRAME_VMALLOC;
		return 0;
	}
	head = block_head(p, pfn);
	out->head_pfn = (unsigned long)(head - arena.mem_map);
	if (page_test(head, PG_buddy)) {
		out->use = KALLOC_FRAME_FREE;
		out->order = head->order;
	} else if (page_test(head, PG_slab)) {
		describe_slab(head, out);
	} else if (page_test(head, PG_quarantine)) {
		out->use = KALLOC_FRAME_QUARANTINE;
		out->order = page_test(head, PG_head) ? head->order : 0;
	} else if (page_test(head, PG_large_kmalloc)) {
		out->use = KALLOC_FRAME_LARGE_KMALLOC;
		out->order = head->order;
	} else {
		/* allocated pages: a compound block, or a frame of a block
		 * alloc_pages() handed out without __GFP_COMP (only its first
		 * frame holds the reference) */
		out->use = KALLOC_FRAME_PAGES;
		out->order = page_test(head, PG_head) ? head->order : 0;
	}
	return 0;
}

int kalloc_for_each_vm_area(int (*fn)(const struct kalloc_vm_area *area, void *arg),
			    void *arg)
{
	void *start, *end;

	if (!kg.initialised)
		return 0;
	kalloc_vmalloc_range(&start, &end);
	for (char *a = start; a < (char *)end;) {
		const struct vm_struct *vm = find_vm_area(a);
		struct kalloc_vm_area area;
		int ret;

		if (!vm || vm->addr != a || !vm->size) {
			a += PAGE_SIZE;
			continue;
		}
		area = (struct kalloc_vm_area){ .addr = vm->addr, .size = vm->size,
						.nr_pages = vm->nr_pages,
						.requested = vm->requested_size,
						.caller = vm->caller };
		ret = fn(&area, arg);
		if (ret)
			return ret;
		a += vm->size;
	}
	return 0;
}
