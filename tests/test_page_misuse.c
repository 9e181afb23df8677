/*
 * Page misuse: each mistake gives exactly one report of the right kind and
 * title in the kernel's "Bad page state" format, nothing changes in the
 * allocator (validate clean, counters unchanged, the pages left alone),
 * and nothing handed out afterwards overlaps live memory.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "internal.h"

/* Exactly one report, of this kind and title; returns its text. */
static const char *one_report(enum kalloc_bug bug, const char *title)
{
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(kalloc_report_count(), 1);
	if (ktest_nr_reports < 1)
		return "";
	CHECK_EQ(ktest_reports[0].bug, bug);
	CHECK_STR(ktest_reports[0].title, title);
	return ktest_reports[0].text;
}

/*
 * The hardening promise: everything still free can be allocated, and none
 * of it is one of the pages the test holds.
 */
static void check_no_overlap(struct page **live, unsigned long *nr_live, int n)
{
	struct page *got[4096];
	int k = 0;

	while (k < 4096) {
		struct page *p = alloc_pages(GFP_ATOMIC | __GFP_MEMALLOC |
					     __GFP_NOWARN, 0);
		if (!p)
			break;
		for (int i = 0; i < n; i++)
			if (live[i] && p >= live[i] && p < live[i] + nr_live[i])
				ktest_fail(__FILE__, __LINE__,
					   "pfn %lu handed out while live",
					   page_to_pfn(p));
		got[k++] = p;
	}
	CHECK_EQ(nr_free_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);
	while (k)
		__free_page(got[--k]);
}

KTEST(double_free_order0)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long pfn = page_to_pfn(p);
	__free_page(p);
	CHECK_EQ(nr_free_pages(), 4096);
	__free_page(p);
	const char *t = one_report(KALLOC_BUG_DOUBLE_FREE, "page: double free");
	char line[128];
	snprintf(line, sizeof(line),
		 "BUG: Bad page state in process swapper/0  pfn:%05lx\n", pfn);
	CHECK(!strncmp(t, line, strlen(line)));
	CHECK_CONTAINS(t, "refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x100\n");
	CHECK_CONTAINS(t, "flags: 0x1(buddy|node=0|zone=2)\n");
	CHECK_CONTAINS(t, "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	CHECK_CONTAINS(t, "CPU: 0 PID: 1 Comm: swapper/0\n");
	CHECK(ktest_reports[0].addr == page_address(p));
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(double_free_inside_merged_block_and_via_address)
{
	ktest_init_default();
	struct page *a = alloc_pages(GFP_KERNEL, 1);
	struct page *b = alloc_pages(GFP_KERNEL, 1);
	CHECK_EQ(page_to_pfn(b), page_to_pfn(a) + 2);
	__free_pages(a, 1);
	__free_pages(b, 1);	/* merges with a: b is no block head now */
	CHECK(!PageBuddy(b));
	CHECK(page_is_free(b));
	__free_pages(b, 1);
	one_report(KALLOC_BUG_DOUBLE_FREE, "page: double free");

	ktest_capture_clear();
	report_counts_reset();
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);
	free_pages(addr, 1);
	free_pages(addr, 1);
	one_report(KALLOC_BUG_DOUBLE_FREE, "page: double free");
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(double_free_compound)
{
	ktest_init_default();
	struct page *h = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	__free_pages(h, 3);
	__free_pages(h, 3);
	one_report(KALLOC_BUG_DOUBLE_FREE, "page: double free");
	ktest_capture_clear();
	report_counts_reset();
	put_page(h);	/* the same mistake through put_page */
	one_report(KALLOC_BUG_DOUBLE_FREE, "page: double free");
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(free_with_wrong_order)
{
	ktest_init_default();
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct page *live[1] = { p };
	unsigned long nr[1] = { 4 };

	__free_pages(p, 1);
	const char *t = one_report(KALLOC_BUG_BAD_PAGE,
				   "page: Bad page state: freed with wrong order");
	CHECK_CONTAINS(t, "page dumped because: freed with order 1, allocated with order 2\n");
	CHECK_CONTAINS(t, "refcount:1 ");
	/* untouched: still allocated, still order 2, nothing freed */
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(nr_free_pages(), 4092);
	CHECK_EQ(kalloc_validate(), 0);
	check_no_overlap(live, nr, 1);
	__free_pages(p, 2);	/* the right free still works */
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_report_count(), 1);
}

KTEST(free_compound_with_wrong_order)
{
	ktest_init_default();
	struct page *h = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	__free_pages(h, 3);
	const char *t = one_report(KALLOC_BUG_BAD_PAGE,
				   "page: Bad page state: freed with wrong order");
	CHECK_CONTAINS(t, "head:");
	CHECK_CONTAINS(t, " order:1 ");
	CHECK_CONTAINS(t, "flags: 0x2(head|node=0|zone=2)\n");
	CHECK(PageHead(h) && PageTail(h + 1));
	CHECK_EQ(kalloc_validate(), 0);
	__free_pages(h, 1);
	CHECK_EQ(nr_free_pages(), 4096);
}

KTEST(put_page_on_high_order_plain_page)
{
	ktest_init_default();
	/* the kernel would free page 0 alone and leak the rest */
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	put_page(p);
	one_report(KALLOC_BUG_BAD_PAGE, "page: Bad page state: freed with wrong order");
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(nr_free_pages(), 4096 - 8);
	__free_pages(p, 3);
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(free_tail_page)
{
	ktest_init_default();
	struct page *h = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page *live[1] = { h };
	unsigned long nr[1] = { 4 };

	__free_pages(h + 2, 0);
	const char *t = one_report(KALLOC_BUG_BAD_PAGE,
				   "page: Bad page state: freeing tail page");
	CHECK_CONTAINS(t, "flags: 0x4(tail|node=0|zone=2)\n");
	CHECK_CONTAINS(t, "page dumped because: freeing a tail page of the compound page at pfn:0x100\n");
	CHECK_EQ(page_count(h), 1);
	CHECK(PageTail(h + 2));
	CHECK_EQ(nr_free_pages(), 4092);
	CHECK_EQ(kalloc_validate(), 0);
	check_no_overlap(live, nr, 1);
	__free_pages(h, 2);
	CHECK_EQ(nr_free_pages(), 4096);
}

KTEST(free_page_without_a_reference)
{
	ktest_init_default();
	/* an interior page of a plain order-2 block has no reference */
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	__free_pages(p + 1, 0);
	const char *t = one_report(KALLOC_BUG_BAD_PAGE,
				   "page: Bad page state: nonzero _refcount");
	CHECK_CONTAINS(t, "refcount:0 ");
	CHECK_CONTAINS(t, "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)\n");
	CHECK_EQ(nr_free_pages(), 4092);
	CHECK_EQ(kalloc_validate(), 0);
	__free_pages(p, 2);
	CHECK_EQ(nr_free_pages(), 4096);
}

KTEST(refcount_not_zero_at_final_free_leaks_the_block)
{
	ktest_init_default();
	/* a tail with a reference of its own reaches the final free path */
	struct page *h = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	h[1]._refcount = 1;
	__free_pages(h, 1);
	const char *t = one_report(KALLOC_BUG_BAD_PAGE,
				   "page: Bad page state: nonzero _refcount");
	CHECK_CONTAINS(t, "page dumped because: nonzero _refcount\n");
	CHECK_CONTAINS(t, "pfn:0x101\n");
	/* leaked, as the kernel leaks a bad page: never on a free list */
	CHECK_EQ(nr_free_pages(), 4094);
	CHECK(!page_is_free(h) && !page_is_free(h + 1));
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(mapcount_and_flags_at_free)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	p->_mapcount = 0;
	__free_page(p);
	const char *t = one_report(KALLOC_BUG_BAD_PAGE,
				   "page: Bad page state: nonzero mapcount");
	CHECK_CONTAINS(t, "mapcount:1 ");
	CHECK_EQ(nr_free_pages(), 4095);

	ktest_capture_clear();
	report_counts_reset();
	struct page *s = alloc_page(GFP_KERNEL);
	page_set(s, PG_slab);	/* an owner that forgot to clear its flag */
	__free_page(s);
	t = one_report(KALLOC_BUG_BAD_PAGE,
		       "page: Bad page state: PAGE_FLAGS_CHECK_AT_FREE flag set");
	CHECK_CONTAINS(t, "flags: 0x8(slab|node=0|zone=2)\n");
	CHECK_EQ(nr_free_pages(), 4094);
	/* leaked with the flag: the slab layer's validate would (rightly)
	 * see a slab page of no cache */
	page_clear(s, PG_slab);

	ktest_capture_clear();
	report_counts_reset();
	struct page *r = alloc_page(GFP_KERNEL);
	page_set(r, PG_reserved);
	__free_page(r);
	t = one_report(KALLOC_BUG_BAD_PAGE,
		       "page: Bad page state: PAGE_FLAGS_CHECK_AT_FREE flag set");
	CHECK_CONTAINS(t, "flags: 0x10(reserved|node=0|zone=2)\n");
	CHECK_EQ(nr_free_pages(), 4093);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(corrupt_compound_tail)
{
	ktest_init_default();
	struct page *h = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	page_clear(&h[3], PG_tail);
	__free_pages(h, 2);
	one_report(KALLOC_BUG_BAD_PAGE, "page: Bad page state: PageTail not set");
	ktest_capture_clear();
	report_counts_reset();

	struct page *g = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	g[2].head = h;
	__free_pages(g, 2);
	one_report(KALLOC_BUG_BAD_PAGE,
		   "page: Bad page state: compound_head not consistent");
	CHECK_EQ(nr_free_pages(), 4096 - 8);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(free_outside_the_arena)
{
	int on_stack = 0;
	void *vstart, *vend;

	ktest_init_default();
	free_pages((unsigned long)&on_stack, 0);
	const char *t = one_report(KALLOC_BUG_INVALID_FREE,
				   "page: invalid free of non-arena address");
	CHECK_CONTAINS(t, "BUG: Bad page state in process swapper/0  addr:");
	CHECK_CONTAINS(t, "VM_BUG_ON(!virt_addr_valid(addr)): outside the linear map");
	CHECK(ktest_reports[0].addr == &on_stack);

	struct page fake;
	struct page *bad[] = {
		&fake, NULL,
		(struct page *)((char *)pfn_to_page(3) + 1),	/* misaligned */
		pfn_to_page(0) + arena.nr_pages,		/* one past mem_map */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ktest_capture_clear();
		report_counts_reset();
		__free_pages(bad[i], 0);
		t = one_report(KALLOC_BUG_INVALID_FREE,
			       "page: invalid free of non-arena address");
		CHECK_CONTAINS(t, "__free_pages(");
		CHECK_CONTAINS(t, "not a struct page of mem_map");
	}

	/* a vmalloc address is no linear-map address either */
	kalloc_vmalloc_range(&vstart, &vend);
	ktest_capture_clear();
	report_counts_reset();
	free_pages((unsigned long)vstart, 0);
	one_report(KALLOC_BUG_INVALID_FREE, "page: invalid free of non-arena address");
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(reference_misuse)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	__free_page(p);
	get_page(p);
	one_report(KALLOC_BUG_BAD_PAGE, "page: Bad page state: get_page with zero refcount");
	CHECK_EQ(p->_refcount, 0);

	ktest_capture_clear();
	report_counts_reset();
	struct page fake;
	get_page(&fake);
	one_report(KALLOC_BUG_BAD_PAGE, "page: get_page of non-arena page");
	ktest_capture_clear();
	report_counts_reset();
	put_page(&fake);
	one_report(KALLOC_BUG_INVALID_FREE, "page: invalid free of non-arena address");
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(comm_and_cpu_in_reports)
{
	ktest_init_default();
	kalloc_set_task(4242, "syz-executor.3");
	kalloc_set_cpu(1);
	struct page *p = alloc_page(GFP_KERNEL);
	__free_page(p);
	__free_page(p);
	const char *t = one_report(KALLOC_BUG_DOUBLE_FREE, "page: double free");
	CHECK(!strncmp(t, "BUG: Bad page state in process syz-executor.3  pfn:00100\n", 57));
	CHECK_CONTAINS(t, "CPU: 1 PID: 4242 Comm: syz-executor.3\n");
}

/* Many misuses in a row, then the whole arena once more: still sound. */
KTEST(misuse_storm_keeps_the_hardening_promise)
{
	ktest_init_default();
	struct page *live[8];
	unsigned long nr[8];
	int n = 0;

	for (unsigned int o = 0; o < 4; o++) {
		live[n] = alloc_pages(GFP_KERNEL | (o & 1 ? __GFP_COMP : 0), o);
		nr[n++] = 1UL << o;
	}
	struct page *gone = alloc_pages(GFP_KERNEL, 2);
	__free_pages(gone, 2);

	__free_pages(gone, 2);			/* double */
	__free_pages(live[2], 0);		/* wrong order */
	__free_pages(live[3] + 1, 0);		/* tail */
	__free_pages(live[2] + 3, 0);		/* no reference */
	free_pages(4096, 0);			/* wild */
	CHECK_EQ(kalloc_report_count(), 5);
	CHECK_EQ(kalloc_validate(), 0);
	check_no_overlap(live, nr, n);
	for (int i = 0; i < n; i++)
		__free_pages(live[i], live[i]->order);
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_report_count(), 5);
}

static void double_free_child(void *arg)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	(void)arg;
	kalloc_init(&cfg);	/* continue_on_report stays false */
	struct page *p = alloc_page(GFP_KERNEL);
	__free_page(p);
	__free_page(p);
	/* not reached */
}

/* Without continue_on_report the default handler prints and aborts. */
KTEST(default_handler_aborts)
{
	char buf[4096];
	int status = ktest_run_child(double_free_child, NULL, buf, sizeof(buf));

	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGABRT);
	CHECK_CONTAINS(buf, "BUG: Bad page state in process swapper/0  pfn:00100\n");
	CHECK_CONTAINS(buf, "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
}
