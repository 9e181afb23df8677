/* __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2) and alloc_pages. */
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/mm.h>

static unsigned long addr;
static struct page *page;

static int __init pages_init(void)
{
	unsigned char *p;

	addr = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!addr)
		return -ENOMEM;
	p = (unsigned char *)addr;
	if (WARN_ON(p[0] || p[4 * PAGE_SIZE - 1])) {
		free_pages(addr, 2);
		return -EINVAL;
	}
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	if (!page) {
		free_pages(addr, 2);
		return -ENOMEM;
	}
	/* struct page is a complete type: page + 1 is the second page */
	pr_info("order-2 block at %lx; compound page pfns %lu and %lu\n", addr,
		page_to_pfn(page), page_to_pfn(nth_page(page, 1)));
	return 0;
}

static void __exit pages_exit(void)
{
	__free_pages(page, 1);
	free_pages(addr, 2);
}

module_init(pages_init);
module_exit(pages_exit);
MODULE_LICENSE("GPL");
