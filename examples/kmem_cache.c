/* A kmem_cache life cycle: "mycache" of 20 bytes aligned to 8. */
#include <linux/module.h>
#include <linux/slab.h>

static struct kmem_cache *mycache;
static void *obj[4];

static int __init kmem_cache_init_demo(void)
{
	mycache = kmem_cache_create("mycache", 20, 8, SLAB_HWCACHE_ALIGN, NULL);
	if (!mycache)
		return -ENOMEM;
	for (int i = 0; i < 4; i++) {
		obj[i] = kmem_cache_alloc(mycache, GFP_KERNEL);
		if (!obj[i])
			goto fail;
	}
	pr_info("mycache: object size %u, first object %p\n",
		kmem_cache_size(mycache), obj[0]);
	return 0;
fail:
	for (int i = 0; i < 4; i++)
		if (obj[i])
			kmem_cache_free(mycache, obj[i]);
	kmem_cache_destroy(mycache);
	return -ENOMEM;
}

static void __exit kmem_cache_exit_demo(void)
{
	for (int i = 0; i < 4; i++)
		kmem_cache_free(mycache, obj[i]);
	kmem_cache_destroy(mycache);
}

module_init(kmem_cache_init_demo);
module_exit(kmem_cache_exit_demo);
MODULE_LICENSE("GPL");
