/* Mistake: a write through a pointer after kfree(). */
#include <linux/module.h>
#include <linux/slab.h>

struct item {
	int id;
	char name[28];
};

static int __init uaf_init(void)
{
	struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);

	if (!it)
		return -ENOMEM;
	it->id = 1;
	kfree(it);
	it->id = 2;		/* use after free */
	return 0;
}

static void __exit uaf_exit(void)
{
}

module_init(uaf_init);
module_exit(uaf_exit);
MODULE_LICENSE("GPL");
