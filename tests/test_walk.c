/*
 * The read-only views of <kalloc/walk.h>: what kalloc_frame_info() says of
 * free blocks, slabs, page blocks, large kmallocs and vmalloc pages, and
 * the areas kalloc_for_each_vm_area() walks, against what the test itself
 * allocated; and that looking changes nothing.
 */
#include "ktest.h"

#include <errno.h>

static struct kalloc_frame frame_of(const void *p)
{
	struct kalloc_frame f = { 0 };

	CHECK_EQ(kalloc_frame_info(virt_to_pfn(p), &f), 0);
	return f;
}

KTEST(walk_before_init_and_out_of_range)
{
	struct kalloc_frame f;

	CHECK_EQ(kalloc_frame_info(0, &f), -EINVAL);
	ktest_init_default();
	CHECK_EQ(kalloc_frame_info(totalram_pages() + 1000000, &f), -EINVAL);
	CHECK_EQ(kalloc_frame_info(0, &f), 0);
}

KTEST(walk_free_blocks_cover_free_memory)
{
	unsigned long free = 0, nframes;
	void *ls, *le;

	ktest_init_default();
	kalloc_linear_range(&ls, &le);
	nframes = (unsigned long)((char *)le - (char *)ls) / PAGE_SIZE;
	for (unsigned long pfn = 0; pfn < nframes; pfn++) {
		struct kalloc_frame f;

		CHECK_EQ(kalloc_frame_info(pfn, &f), 0);
		if (f.use != KALLOC_FRAME_FREE)
			continue;
		free++;
		/* the head of its block is aligned to the block's order and
		 * its order covers this frame */
		CHECK_EQ(f.head_pfn & ((1UL << f.order) - 1), 0);
		CHECK(pfn - f.head_pfn < (1UL << f.order));
		CHECK_EQ(f.refcount, 0);
	}
	CHECK_EQ(free, nr_free_pages());
}

KTEST(walk_pages_slabs_large_kmalloc)
{
	struct page *pg;
	struct kalloc_frame f;
	void *obj, *big;
	unsigned long free0;

	ktest_init_default();
	free0 = nr_free_pages();
	pg = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	CHECK(pg != NULL);
	if (!pg)
		return;
	for (unsigned long i = 0; i < 4; i++) {
		CHECK_EQ(kalloc_frame_info(page_to_pfn(pg) + i, &f), 0);
		CHECK_EQ(f.use, KALLOC_FRAME_PAGES);
		CHECK_EQ(f.head_pfn, page_to_pfn(pg));
		CHECK_EQ(f.order, 2);
	}
	obj = kmalloc(64, GFP_KERNEL);
	CHECK(obj != NULL);
	f = frame_of(obj);
	CHECK_EQ(f.use, KALLOC_FRAME_SLAB);
	CHECK_STR(f.cache, "kmalloc-64");
	CHECK_EQ(f.object_size, 64);
	CHECK(f.stride >= 64);
	CHECK(f.objects >= 1 && f.inuse >= 1 && f.inuse <= f.objects);
	CHECK((const char *)obj >= (const char *)f.slab_addr &&
	      (const char *)obj < (const char *)f.slab_addr + (PAGE_SIZE << f.order));
	big = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	CHECK(big != NULL);
	f = frame_of((char *)big + 4 * PAGE_SIZE);
	CHECK_EQ(f.use, KALLOC_FRAME_LARGE_KMALLOC);
	CHECK_EQ(f.order, 3);
	CHECK_EQ(f.head_pfn, virt_to_pfn(big));
	/* looking changed nothing */
	CHECK_EQ(kalloc_validate(), 0);
	kfree(big);
	kfree(obj);
	__free_pages(pg, 2);
	kalloc_reclaim(GFP_KERNEL);	/* the kmalloc-64 slab, now empty */
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_report_count(), 0);
}

struct areas {
	unsigned int n;
	const void *addr[8];
	unsigned long size[8], requested[8];
	unsigned int nr_pages[8];
};

static int collect(const struct kalloc_vm_area *a, void *arg)
{
	struct areas *s = arg;

	if (s->n < 8) {
		s->addr[s->n] = a->addr;
		s->size[s->n] = a->size;
		s->requested[s->n] = a->requested;
		s->nr_pages[s->n] = a->nr_pages;
	}
	s->n++;
	return 0;
}

static int stop_at_first(const struct kalloc_vm_area *a, void *arg)
{
	(void)a;
	++*(int *)arg;
	return 7;
}

KTEST(walk_vmalloc_areas_in_order)
{
	struct areas s = { 0 };
	char *a, *b, *c;
	int calls = 0;

	ktest_init_default();
	CHECK_EQ(kalloc_for_each_vm_area(collect, &s), 0);
	CHECK_EQ(s.n, 0);
	a = vmalloc(3 * PAGE_SIZE + 1);
	b = vmalloc(PAGE_SIZE);
	c = vmalloc(2 * PAGE_SIZE);
	CHECK(a && b && c);
	if (!a || !b || !c)
		return;
	vfree(b);
	CHECK_EQ(kalloc_for_each_vm_area(collect, &s), 0);
	CHECK_EQ(s.n, 2);
	CHECK(s.addr[0] == a && s.addr[1] == c);
	CHECK_EQ(s.size[0], 5 * PAGE_SIZE);	/* 4 pages and the guard page */
	CHECK_EQ(s.nr_pages[0], 4);
	CHECK_EQ(s.requested[0], 3 * PAGE_SIZE + 1);
	CHECK_EQ(s.size[1], 3 * PAGE_SIZE);
	CHECK_EQ(frame_of(page_address(vmalloc_to_page(a + PAGE_SIZE))).use,
		 KALLOC_FRAME_VMALLOC);
	CHECK_EQ(kalloc_for_each_vm_area(stop_at_first, &calls), 7);
	CHECK_EQ(calls, 1);
	vfree(a);
	vfree(c);
	CHECK_EQ(kalloc_report_count(), 0);
}
