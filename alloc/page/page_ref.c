/*
 * page_ref.c - page references: get_page() and put_page().
 *
 * The reference counting of include/linux/page_ref.h with get_page() and
 * put_page() (mm/swap.c: the last put frees the folio). Apart from
 * page_alloc.c, which owns the free lists: these are what the layers above
 * use on pages they hold, and put_page() reaches the buddy allocator only
 * through its free checks (free_pages_check(), free_frozen_pages()).
 */
#include "page/buddy.h"

void get_page(struct page *page)
{
	struct page *head;

	if (!page_in_mem_map(page)) {
		bad_page_address(page, 0, "get_page");
		return;
	}
	head = compound_head(page);
	if (head->_refcount <= 0) {
		bad_page(head, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: get_page with zero refcount",
			 "VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))");
		return;
	}
	page_mark_dirty(head);
	head->_refcount++;
}

/*
 * As the kernel: the last put frees the folio, whose order is the
 * compound order, 0 for a plain page. A plain page that came from a
 * high-order allocation would leak the rest of its block in the kernel;
 * here that is reported as a free with the wrong order.
 */
void put_page(struct page *page)
{
	struct page *head;

	kalloc_tick();
	if (!page_in_mem_map(page)) {
		bad_page_address(page, 0, "put_page");
		return;
	}
	head = compound_head(page);
	if (!free_pages_check(head, compound_order(head),
			      head->_refcount == 1, "put_page"))
		return;
	page_mark_dirty(head);
	/* rejected: the owner keeps its reference, as in __free_pages() */
	if (--head->_refcount == 0 &&
	    !free_frozen_pages(head, compound_order(head)))
		head->_refcount = 1;
}
