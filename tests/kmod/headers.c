/*
 * Every compat header together with the C library's <stdio.h> and
 * <string.h>, in the order HEADERS_FIRST picks: must compile without a
 * warning under gcc and clang at -Wall -Wextra.
 */
#ifdef HEADERS_FIRST
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/gfp_types.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/vmalloc.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/bug.h>
#include <linux/sizes.h>
#include <linux/log2.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#else
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/gfp_types.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/vmalloc.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/bug.h>
#include <linux/sizes.h>
#include <linux/log2.h>
#endif

/* struct page is complete: arithmetic on it as kernel code does */
static unsigned long span(struct page *page)
{
	return page_to_pfn(&page[3]) - page_to_pfn(nth_page(page, 1));
}

static int param = 3;
module_param(param, int, 0644);
static bool flag;
module_param(flag, bool, S_IRUGO);
static char *label = "x";
module_param(label, charp, 0);

static int __init headers_init(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	char buf[8];
	void *e = ERR_PTR(-ENOMEM);

	if (!p)
		return -ENOMEM;
	snprintf(buf, sizeof(buf), "%d", param);
	pr_info("%s %lu %d %zu %d %s %d\n", buf, span(p), ilog2(SZ_4K),
		ARRAY_SIZE(buf), (int)min(param, 2), label, flag);
	__free_pages(p, 2);
	return IS_ERR(e) && PTR_ERR(e) == -ENOMEM && !errno ? 0 : -EINVAL;
}

static void __exit headers_exit(void)
{
}

module_init(headers_init);
module_exit(headers_exit);
MODULE_LICENSE("GPL");
