/* Mistake: an off-by-one write past a kmalloc'd string. */
#include <linux/module.h>
#include <linux/slab.h>

static int __init off_by_one_init(void)
{
	const char *msg = "0123456789abcdef";	/* 16 characters */
	size_t len = strlen(msg);
	char *copy = kmalloc(len, GFP_KERNEL);	/* no room for the NUL */

	if (!copy)
		return -ENOMEM;
	memcpy(copy, msg, len);
	copy[len] = '\0';			/* one byte too far */
	kfree(copy);
	return 0;
}

static void __exit off_by_one_exit(void)
{
}

module_init(off_by_one_init);
module_exit(off_by_one_exit);
MODULE_LICENSE("GPL");
