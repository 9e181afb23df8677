/*
 * linux/uaccess.h for slabfuzz's kernel-compat layer: copies between
 * "user" and kernel memory. User memory is plain process memory; what is
 * no user address (NULL's page, the allocator's own linear map and vmalloc
 * range, which are kernel memory) fails access_ok() as the kernel's does,
 * and nothing is copied. The copies return the bytes not copied.
 */
#ifndef _SLABFUZZ_LINUX_UACCESS_H
#define _SLABFUZZ_LINUX_UACCESS_H

#include <string.h>
#include "linux/compiler.h"
#include "linux/errno.h"
#include "linux/types.h"

/* Is [addr, addr + size) user memory? (kalloc's ranges are not) */
bool __kmod_access_ok(const void __user *addr, unsigned long size);
#define access_ok(addr, size)	__kmod_access_ok((const void *)(addr), (size))

static inline unsigned long __must_check
copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	memcpy((void *)to, from, n);
	return 0;
}

static inline unsigned long __must_check
copy_from_user(void *to, const void __user *from, unsigned long n)
{
	if (!access_ok(from, n)) {
		memset(to, 0, n);	/* the kernel zeroes what it could not copy */
		return n;
	}
	memcpy(to, (const void *)from, n);
	return 0;
}

static inline unsigned long __must_check clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	memset((void *)to, 0, n);
	return 0;
}

/* get_user/put_user: one value of the pointer's type; 0 or -EFAULT */
#define put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __pu_val = (x);				\
	copy_to_user((ptr), &__pu_val, sizeof(*(ptr))) ? -EFAULT : 0;	\
})
#define get_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __gu_val;					\
	int __gu_err = copy_from_user(&__gu_val, (ptr), sizeof(*(ptr))) ? \
		       -EFAULT : 0;					\
	(x) = __gu_err ? (__typeof__(*(ptr)))0 : __gu_val;		\
	__gu_err;							\
})

#endif /* _SLABFUZZ_LINUX_UACCESS_H */
