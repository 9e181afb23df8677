/*
 * Mistake: init's error path leaks the first buffer when the second
 * allocation fails. Every normal run is clean; `slabfuzz kmod --fail-each`
 * fails each allocation in turn and finds it.
 */
#include <linux/module.h>
#include <linux/slab.h>

static char *first, *second;

static int __init error_path_init(void)
{
	first = kmalloc(64, GFP_KERNEL);
	if (!first)
		return -ENOMEM;
	second = kmalloc(128, GFP_KERNEL);
	if (!second)
		return -ENOMEM;		/* forgets kfree(first) */
	return 0;
}

static void __exit error_path_exit(void)
{
	kfree(second);
	kfree(first);
}

module_init(error_path_init);
module_exit(error_path_exit);
MODULE_LICENSE("GPL");
