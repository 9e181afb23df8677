/*
 * Code in the style of the kernel memory-management tutorials, unchanged:
 * allocate in init and print the address with %lx, kmalloc of
 * sizeof(char) * 100, a "mycache" of 20 bytes aligned to 8, kzalloc with
 * GFP_ATOMIC, vmalloc of 1 MiB, __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2)
 * and copy_to_user; everything freed in exit.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("tutorial");
MODULE_DESCRIPTION("memory allocation tutorial");

static char *kbuf;
static struct kmem_cache *my_cache;
static void *my_obj;
static int *counters;
static void *vbuf;
static unsigned long pages;
static char user_area[128];

static int __init mem_tutorial_init(void)
{
	kbuf = kmalloc(sizeof(char) * 100, GFP_KERNEL);
	if (!kbuf) {
		printk(KERN_ERR "kmalloc failed\n");
		return -ENOMEM;
	}
	printk(KERN_INFO "kmalloc: buffer at 0x%lx\n", (unsigned long)kbuf);

	my_cache = kmem_cache_create("mycache", 20, 8, SLAB_HWCACHE_ALIGN, NULL);
	if (!my_cache)
		goto fail_cache;
	my_obj = kmem_cache_alloc(my_cache, GFP_KERNEL);
	if (!my_obj)
		goto fail_obj;

	counters = kzalloc(16 * sizeof(int), GFP_ATOMIC);
	if (!counters)
		goto fail_counters;

	vbuf = vmalloc(1024 * 1024);
	if (!vbuf)
		goto fail_vmalloc;
	printk(KERN_INFO "vmalloc: 1 MiB at 0x%lx\n", (unsigned long)vbuf);

	pages = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!pages)
		goto fail_pages;
	printk(KERN_INFO "__get_free_pages: order 2 at 0x%lx\n", pages);

	snprintf(kbuf, 100, "hello from the kernel");
	if (copy_to_user((char __user *)user_area, kbuf, strlen(kbuf) + 1))
		goto fail_copy;
	pr_info("user buffer now holds: %s\n", user_area);
	return 0;

fail_copy:
	free_pages(pages, 2);
fail_pages:
	vfree(vbuf);
fail_vmalloc:
	kfree(counters);
fail_counters:
	kmem_cache_free(my_cache, my_obj);
fail_obj:
	kmem_cache_destroy(my_cache);
fail_cache:
	kfree(kbuf);
	return -ENOMEM;
}

static void __exit mem_tutorial_exit(void)
{
	free_pages(pages, 2);
	vfree(vbuf);
	kfree(counters);
	kmem_cache_free(my_cache, my_obj);
	kmem_cache_destroy(my_cache);
	kfree(kbuf);
	printk(KERN_INFO "memory tutorial unloaded\n");
}

module_init(mem_tutorial_init);
module_exit(mem_tutorial_exit);
