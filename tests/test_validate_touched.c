/*
 * The incremental check (kalloc_validate_touched) against the full one
 * (kalloc_validate): the same corruption, a struct page's reference count
 * gone wrong, planted right after an operation touched a slab, a free
 * block and a vmalloc area, must be reported by both. Each case runs in a
 * forked child, since the machine stays broken; the child prints what the
 * two checks returned and the reports go to its stderr.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ktest.h"
#include "internal.h"

enum where { IN_SLAB, IN_FREE_BLOCK, IN_VMALLOC_AREA };

static struct page *touch(enum where w)
{
	switch (w) {
	case IN_SLAB: {
		struct kmem_cache *s = kmem_cache_create("touched", 64, 0, 0, NULL);
		void *a = kmem_cache_alloc(s, GFP_KERNEL);

		CHECK_EQ(kalloc_validate_touched(), 0);
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
		return slab_page(virt_to_slab(a));
	}
	case IN_FREE_BLOCK: {
		struct page *p = alloc_pages(GFP_KERNEL, 2);

		CHECK_EQ(kalloc_validate_touched(), 0);
		__free_pages(p, 2);
		/* the head of the free block p merged into */
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			struct page *h = pfn_to_page(page_to_pfn(p) & ~((1UL << o) - 1));

			if (PageBuddy(h) && h->order == o)
				return h;
		}
		return NULL;
	}
	case IN_VMALLOC_AREA: {
		void *v = vmalloc(3 * PAGE_SIZE);

		CHECK_EQ(kalloc_validate_touched(), 0);
		vfree(vmalloc(PAGE_SIZE));
		v = vmalloc(3 * PAGE_SIZE);
		return vmalloc_to_page((char *)v + PAGE_SIZE);
	}
	}
	return NULL;
}

static void plant_and_check(void *arg)
{
	enum where w = (enum where)(uintptr_t)arg;
	struct page *page;
	int incremental, full;

	ktest_init_default();
	CHECK_EQ(kalloc_validate(), 0);
	page = touch(w);
	CHECK(page != NULL);
	CHECK(arena.touched[page_to_pfn(page)] == arena.touch_gen);
	/* the bug the op might have had: a reference count gone wrong */
	page->_refcount = page->_refcount ? 0 : -1;
	incremental = kalloc_validate_touched();
	full = kalloc_validate();
	fprintf(stderr, "incremental %d full %d failures %d\n", incremental,
		full, ktest_failures);
	_exit(0);
}

static void run_case(enum where w, const char *needle)
{
	char out[16384];
	int incremental = -1, full = -1, failures = -1;
	const char *line;
	int st = ktest_run_child(plant_and_check, (void *)(uintptr_t)w, out,
				 sizeof(out));

	CHECK_EQ(st, 0);
	line = strstr(out, "incremental ");
	CHECK(line != NULL);
	if (line)
		sscanf(line, "incremental %d full %d failures %d", &incremental,
		       &full, &failures);
	CHECK_EQ(failures, 0);
	CHECK(incremental >= 1);
	CHECK(full >= 1);
	CHECK_CONTAINS(out, needle);
	/* the incremental report came first, and the full check's after it */
	if (strstr(out, needle))
		CHECK(strstr(strstr(out, needle) + 1, needle) != NULL);
}

KTEST(incremental_and_full_catch_a_touched_slab)
{
	run_case(IN_SLAB, "slab: touched slab at pfn");
}

KTEST(incremental_and_full_catch_a_free_block)
{
	run_case(IN_FREE_BLOCK, "has refcount -1");
}

KTEST(incremental_and_full_catch_a_vmalloc_area)
{
	run_case(IN_VMALLOC_AREA, "has refcount 0 mapcount 1");
}

/* What no op touched since the last check costs the incremental check
 * nothing, and a clean machine has nothing to report. */
KTEST(incremental_check_starts_empty)
{
	ktest_init_default();
	void *p = kmalloc(100, GFP_KERNEL);
	CHECK(arena.nr_touched > 0);
	CHECK_EQ(kalloc_validate_touched(), 0);
	CHECK_EQ(arena.nr_touched, 0);
	CHECK_EQ(kalloc_validate_touched(), 0);
	kfree(p);
	CHECK(arena.nr_touched > 0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(arena.nr_touched, 0);
}

/*
 * A store the allocator did not make (a caller's stray write into a debug
 * cache's red zone) is no change the incremental check can see: it leaves
 * debug objects to the alloc and free paths. kalloc_validate_range() over
 * the written bytes checks the slab holding them in full, and reports it
 * once, as the full check would; a range in no slab checks nothing more
 * than the incremental check.
 */
KTEST(validate_range_checks_the_slab_a_stray_store_hit)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("ranged", 64, 0,
				SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct page *pg = alloc_page(GFP_KERNEL);

	CHECK_EQ(kalloc_validate(), 0);
	kasan_write_word_nocheck(p + 64, 0x0101010101010101UL);
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate_touched(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(kalloc_validate_range(page_address(pg), PAGE_SIZE), 0);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK(kalloc_validate_range(p + 64, 8) >= 1);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_REDZONE);
	CHECK_STR(ktest_reports[0].title, "slab: Redzone overwritten in ranged");
	/* repaired as SLUB repairs: the next check is clean */
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_validate_range(NULL, 0), 0);
	CHECK_EQ(kalloc_validate_range((void *)-16L, 64), 0);
	__free_page(pg);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* How many captured reports say what. */
static int reports_saying(const char *what)
{
	int n = 0;

	for (int i = 0; i < ktest_nr_reports; i++)
		n += strstr(ktest_reports[i].text, what) != NULL;
	return n;
}

/*
 * A slab whose pages overlap a free block, at each page of an order-3
 * slab in turn: the first page, an odd one, and the last. Both checks
 * must name that page, whatever the lookups a run of pages skips.
 */
KTEST(slab_page_on_a_free_list_is_named_by_both_checks)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("overlapped", 2048, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(a);
	struct page *head = slab_page(slab);
	static const unsigned int at[] = { 0, 3, 7 };
	char what[96];

	CHECK_EQ(slab->order, 3);
	for (unsigned int k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		struct page *p = head + at[k];
		unsigned long flags = p->flags;
		unsigned int order = p->order;

		snprintf(what, sizeof(what), "slab at pfn %lu: page %lu is on a buddy free list",
			 page_to_pfn(head), page_to_pfn(p));
		CHECK_EQ(kalloc_validate(), 0);
		/* the page made a free block's head: of order 0 on a tail, of
		 * the slab's own order on its first page */
		page_mark_dirty(p);
		p->flags |= PAGE_FLAG(PG_buddy);
		if (at[k])
			p->order = 0;
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));	/* touch */
		ktest_capture_clear();
		CHECK(kalloc_validate_touched() >= 1);
		CHECK_EQ(reports_saying(what), 1);
		ktest_capture_clear();
		CHECK(kalloc_validate() >= 1);
		CHECK_EQ(reports_saying(what), 1);
		p->flags = flags;
		p->order = order;
	}
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_free(s, a);
	kmem_cache_destroy(s);
}
