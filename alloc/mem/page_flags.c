/*
 * page_flags.c - the struct page flag tests and compound page lookups.
 *
 * The kernel's include/linux/page-flags.h tests (PageBuddy, PageSlab,
 * PageHead, PageTail, PageCompound), compound_head()/compound_order(),
 * page_count() and get_order(): what every layer asks of a struct page,
 * with no allocator state behind it, so at the memory model's level, below
 * the buddy allocator and its reports. Called per page: no coverage
 * instrumentation (harness/coverage-ignore.txt).
 */
#include "mem/memory.h"

bool PageBuddy(const struct page *page)
{
	return page_test(page, PG_buddy);
}

bool PageSlab(const struct page *page)
{
	return page_test(page, PG_slab);
}

bool PageHead(const struct page *page)
{
	return page_test(page, PG_head);
}

bool PageTail(const struct page *page)
{
	return page_test(page, PG_tail);
}

bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

struct page *compound_head(const struct page *page)
{
	return (struct page *)(PageTail(page) && page->head ? page->head : page);
}

unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page->order : 0;
}

int page_count(const struct page *page)
{
	return compound_head(page)->_refcount;
}

int get_order(unsigned long size)
{
	size--;
	size >>= PAGE_SHIFT;
	return size ? 64 - __builtin_clzl(size) : 0;
}
