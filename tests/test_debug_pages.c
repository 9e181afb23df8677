/*
 * Misuse of page-backed memory with debugging on: large kmalloc (a wrong
 * pointer, a double free, a page that is no kmalloc at all), the page
 * allocator (double free, wrong order, tail page) and vmalloc (double and
 * interior vfree). Each case asserts the kind, title and count, a clean
 * kalloc_validate() afterwards, and that the other live blocks kept their
 * contents.
 */
#include "kdebug.h"

#define LARGE	(3 * PAGE_SIZE + 100)

/* Live blocks around the victim, patterned. */
struct blocks {
	uint8_t *p[8];
	size_t size;
};

static void blocks_alloc(struct blocks *b, size_t size)
{
	b->size = size;
	for (int i = 0; i < 8; i++) {
		b->p[i] = kmalloc(size, GFP_KERNEL);
		CHECK(b->p[i] != NULL);
		memset(b->p[i], 0x30 + i, size);
	}
}

static int blocks_damaged(const struct blocks *b)
{
	int bad = 0;

	for (int i = 0; i < 8; i++)
		for (size_t j = 0; b->p[i] && j < b->size; j++)
			if (b->p[i][j] != 0x30 + i) {
				bad++;
				break;
			}
	return bad;
}

static void blocks_free(struct blocks *b)
{
	for (int i = 0; i < 8; i++)
		kfree(b->p[i]);
}

KTEST(large_kmalloc_interior_pointer)
{
	dbg_init("FZPU");
	struct blocks b;
	uint8_t *p;

	blocks_alloc(&b, LARGE);
	p = kmalloc(LARGE, GFP_KERNEL);
	kfree(p + 100);
	CHECK_ONE_REPORT(KALLOC_BUG_INVALID_FREE,
			 "kmalloc: invalid free (interior pointer of a large kmalloc)");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(blocks_damaged(&b), 0);
	/* nothing was freed: the right pointer frees it */
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
	blocks_free(&b);
	CHECK_VALIDATE_CLEAN();
}

KTEST(large_kmalloc_oob_write)
{
	dbg_init("FZPU");
	unsigned long free_before = nr_free_pages();
	struct blocks b;
	uint8_t *p;

	blocks_alloc(&b, LARGE);
	p = kmalloc(LARGE, GFP_KERNEL);
	memset(p, 0x3c, LARGE);		/* all of the request is the caller's */
	poke(p + LARGE, 0x00);		/* one byte past it is not */
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "kmalloc: Redzone overwritten in large kmalloc");
	CHECK_CONTAINS(ktest_reports[0].text, "[kmalloc Redzone overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "First byte 0x0 instead of 0xcc");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX kmalloc-large: Restoring kmalloc Redzone");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(blocks_damaged(&b), 0);
	/* restored: the pages went back */
	blocks_free(&b);
	CHECK_EQ(nr_free_pages(), free_before);
}

KTEST(large_kmalloc_redzone_moves_with_krealloc_and_ksize)
{
	dbg_init("Z");
	uint8_t *p = kmalloc(LARGE, GFP_KERNEL);
	uint8_t *q = krealloc(p, LARGE - 60, GFP_KERNEL);

	CHECK(q == p);
	poke(p + LARGE - 50, 0x01);	/* past the new size */
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "kmalloc: Redzone overwritten in large kmalloc");
	ktest_capture_clear();
	/* ksize() hands over the pages: no red zone left */
	p = kmalloc(LARGE, GFP_KERNEL);
	memset(p, 0x5e, ksize(p));
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
	/* without Z there is none */
	kalloc_fini();
	dbg_init("FPU");
	p = kmalloc(LARGE, GFP_KERNEL);
	poke(p + LARGE, 0x01);
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(large_kmalloc_freed_twice)
{
	dbg_init("FZPU");
	unsigned long free_before;
	struct blocks b;
	uint8_t *p;

	blocks_alloc(&b, LARGE);
	p = kmalloc(LARGE, GFP_KERNEL);
	kfree(p);
	free_before = nr_free_pages();
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "kmalloc: double free of large kmalloc");
	CHECK_EQ(nr_free_pages(), free_before);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(blocks_damaged(&b), 0);
	blocks_free(&b);
}

KTEST(kfree_of_a_page_that_is_no_kmalloc)
{
	dbg_init("FZPU");
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	uint8_t *p = page_address(page);

	memset(p, 0x44, 2 * PAGE_SIZE);
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_INVALID_FREE,
			 "kmalloc: invalid free (not a kmalloc allocation)");
	CHECK_CONTAINS(ktest_reports[0].text, "Not a kmalloc allocation");
	CHECK_VALIDATE_CLEAN();
	/* untouched, still the caller's */
	CHECK_EQ(p[0], 0x44);
	CHECK_EQ(p[2 * PAGE_SIZE - 1], 0x44);
	__free_pages(page, 1);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(pages_double_free)
{
	dbg_init("FZPU");
	struct page *keep = alloc_pages(GFP_KERNEL, 0);
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long free_before;

	memset(page_address(keep), 0x66, PAGE_SIZE);
	__free_pages(page, 2);
	free_before = nr_free_pages();
	__free_pages(page, 2);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "page: double free");
	CHECK_EQ(nr_free_pages(), free_before);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(((uint8_t *)page_address(keep))[PAGE_SIZE - 1], 0x66);
	__free_pages(keep, 0);
}

KTEST(pages_freed_with_wrong_order)
{
	dbg_init("FZPU");
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	__free_pages(page, 1);
	CHECK_ONE_REPORT(KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: freed with wrong order");
	CHECK_VALIDATE_CLEAN();
	__free_pages(page, 2);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(pages_tail_freed)
{
	dbg_init("FZPU");
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

	__free_pages(pfn_to_page(page_to_pfn(page) + 1), 0);
	CHECK_ONE_REPORT(KALLOC_BUG_BAD_PAGE, "page: Bad page state: freeing tail page");
	CHECK_VALIDATE_CLEAN();
	__free_pages(page, 2);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(vfree_twice)
{
	dbg_init("FZPU");
	uint8_t *keep = vmalloc(PAGE_SIZE);
	uint8_t *p = vmalloc(3 * PAGE_SIZE);

	memset(keep, 0x77, PAGE_SIZE);
	vfree(p);
	vfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_VMALLOC, "vmalloc: vfree of nonexistent vm area");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(keep[PAGE_SIZE - 1], 0x77);
	vfree(keep);
}

KTEST(vfree_of_interior_pointer)
{
	dbg_init("FZPU");
	uint8_t *p = vmalloc(3 * PAGE_SIZE);

	memset(p, 0x12, 3 * PAGE_SIZE);
	vfree(p + PAGE_SIZE);
	CHECK_ONE_REPORT(KALLOC_BUG_VMALLOC, "vmalloc: vfree of nonexistent vm area");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(p[3 * PAGE_SIZE - 1], 0x12);
	vfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(kvfree_of_freed_kmalloc)
{
	dbg_init("FZPU");
	void *p = kvmalloc(100, GFP_KERNEL);

	kvfree(p);
	kvfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "slab: double free in kmalloc-128");
	CHECK_VALIDATE_CLEAN();
}
