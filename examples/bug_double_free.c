/* Mistake: the exit path frees what the init's error path already freed. */
#include <linux/module.h>
#include <linux/slab.h>

static char *buf;

static int __init double_free_init(void)
{
	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kfree(buf);		/* done with it early ... */
	return 0;
}

static void __exit double_free_exit(void)
{
	kfree(buf);		/* ... and freed again */
}

module_init(double_free_init);
module_exit(double_free_exit);
MODULE_LICENSE("GPL");
