/* vmalloc of 1 MiB: virtually contiguous, written end to end. */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/sizes.h>

static char *area;

static int __init vmalloc_demo_init(void)
{
	area = vmalloc(SZ_1M);
	if (!area)
		return -ENOMEM;
	memset(area, 0xa5, SZ_1M);
	pr_info("vmalloc'd 1 MiB at %px, vmalloc address: %d\n", area,
		is_vmalloc_addr(area));
	return 0;
}

static void __exit vmalloc_demo_exit(void)
{
	vfree(area);
}

module_init(vmalloc_demo_init);
module_exit(vmalloc_demo_exit);
MODULE_LICENSE("GPL");
