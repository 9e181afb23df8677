/* The module of issue 12, as written there. */
#include <linux/module.h>
#include <linux/slab.h>
static struct kmem_cache *c;
static char *q;
static int __init demo_init(void)
{
        c = kmem_cache_create("demo", 20, 8, SLAB_HWCACHE_ALIGN, NULL);
        void *p = kmem_cache_alloc(c, GFP_KERNEL);
        q = kmalloc(sizeof(char) * 100, GFP_KERNEL);
        if (!p || !q) return -ENOMEM;
        pr_info("ok %px\n", p);
        kmem_cache_free(c, p);
        return 0;
}
static void __exit demo_exit(void) { kfree(q); kmem_cache_destroy(c); printk(KERN_INFO "bye\n"); }
module_init(demo_init);
module_exit(demo_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("someone");
MODULE_DESCRIPTION("demo");
