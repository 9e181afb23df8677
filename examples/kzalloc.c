/* kzalloc with GFP_ATOMIC: the memory comes back zeroed. */
#include <linux/module.h>
#include <linux/slab.h>

struct point {
	int x, y;
};

static struct point *pt;

static int __init kzalloc_init(void)
{
	pt = kzalloc(sizeof(*pt), GFP_ATOMIC);
	if (!pt)
		return -ENOMEM;
	if (WARN_ON(pt->x || pt->y))
		return -EINVAL;
	pr_info("zeroed point at %px\n", pt);
	return 0;
}

static void __exit kzalloc_exit(void)
{
	kfree(pt);
}

module_init(kzalloc_init);
module_exit(kzalloc_exit);
MODULE_LICENSE("GPL");
