/* Mistake: exit forgets one of the two buffers init allocated. */
#include <linux/module.h>
#include <linux/slab.h>

static char *a, *b;

static int __init leak_init(void)
{
	a = kmalloc(32, GFP_KERNEL);
	b = kzalloc(100, GFP_KERNEL);
	if (!a || !b) {
		kfree(a);
		kfree(b);
		return -ENOMEM;
	}
	strscpy(b, "still here", 100);
	return 0;
}

static void __exit leak_exit(void)
{
	kfree(a);		/* b is forgotten */
}

module_init(leak_init);
module_exit(leak_exit);
MODULE_LICENSE("GPL");
