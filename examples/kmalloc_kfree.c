/* kmalloc/kfree: allocate in init, print the address, free in exit. */
#include <linux/module.h>
#include <linux/slab.h>

static char *buf;

static int __init kmalloc_kfree_init(void)
{
	buf = kmalloc(sizeof(char) * 100, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	strscpy(buf, "hello", 100);
	pr_info("kmalloc'd 100 bytes at %lx (%p): %s\n", (unsigned long)buf, buf, buf);
	return 0;
}

static void __exit kmalloc_kfree_exit(void)
{
	kfree(buf);
	pr_info("freed\n");
}

module_init(kmalloc_kfree_init);
module_exit(kmalloc_kfree_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmalloc and kfree");
