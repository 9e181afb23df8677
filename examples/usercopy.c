/* copy_to_user/copy_from_user over plain memory, as a read() would. */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

static char user_buf[64];	/* stands for a user's buffer */

static int __init usercopy_init(void)
{
	char *kbuf = kmalloc(32, GFP_KERNEL);
	unsigned long left;
	int ret = 0;

	if (!kbuf)
		return -ENOMEM;
	strscpy(kbuf, "from the kernel", 32);
	left = copy_to_user((char __user *)user_buf, kbuf, 16);
	if (left) {
		ret = -EFAULT;
		goto out;
	}
	memset(kbuf, 0, 32);
	if (copy_from_user(kbuf, (const char __user *)user_buf, 16)) {
		ret = -EFAULT;
		goto out;
	}
	/* a kernel address is no user address: nothing is copied */
	left = copy_to_user((char __user *)kbuf, user_buf, 8);
	pr_info("copied \"%s\" out and back; to a kernel address: %lu of 8 bytes left\n",
		kbuf, left);
out:
	kfree(kbuf);
	return ret;
}

static void __exit usercopy_exit(void)
{
}

module_init(usercopy_init);
module_exit(usercopy_exit);
MODULE_LICENSE("GPL");
