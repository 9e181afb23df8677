/*
 * linux/kernel.h for slabfuzz's kernel-compat layer: the helpers most kernel
 * code takes for granted (min/max/clamp, ARRAY_SIZE, ALIGN, container_of,
 * the *_MAX limits, kstrto*), plus printk, BUG/WARN and ERR_PTR, which the
 * kernel's kernel.h also brings in.
 */
#ifndef _SLABFUZZ_LINUX_KERNEL_H
#define _SLABFUZZ_LINUX_KERNEL_H

/* the system's (uapi) <linux/kernel.h> of the same name, which the C
 * library's own headers include: shadowing it must not hide it */
#include_next <linux/kernel.h>

#include <limits.h>
/* snprintf, sprintf, sscanf: the C library's (no %p extensions there) */
#include <stdio.h>
#include <stdlib.h>

#include "linux/bug.h"
#include "linux/compiler.h"
#include "linux/err.h"
#include "linux/errno.h"
#include "linux/log2.h"
#include "linux/printk.h"
#include "linux/string.h"
#include "linux/types.h"

#define U8_MAX		((u8)~0U)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define U16_MAX		((u16)~0U)
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define U32_MAX		((u32)~0U)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))
#endif

#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define __ALIGN_KERNEL(x, a)	__ALIGN_KERNEL_MASK(x, (__typeof__(x))(a) - 1)
#ifndef ALIGN
#define ALIGN(x, a)		__ALIGN_KERNEL((x), (a))
#endif
#ifndef ALIGN_DOWN
#define ALIGN_DOWN(x, a)	__ALIGN_KERNEL((x) - ((a) - 1), (a))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define PTR_ALIGN_DOWN(p, a)	((__typeof__(p))ALIGN_DOWN((unsigned long)(p), (a)))
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#endif
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* include/linux/minmax.h: each argument evaluated once */
#define __cmp_once(op, x, y)					\
({								\
	__typeof__(x) __x = (x);				\
	__typeof__(y) __y = (y);				\
	__x op __y ? __x : __y;					\
})
#define min(x, y)		__cmp_once(<, x, y)
#define max(x, y)		__cmp_once(>, x, y)
#define min3(x, y, z)		min((__typeof__(x))min(x, y), z)
#define max3(x, y, z)		max((__typeof__(x))max(x, y), z)
#define min_t(type, x, y)	__cmp_once(<, (type)(x), (type)(y))
#define max_t(type, x, y)	__cmp_once(>, (type)(x), (type)(y))
#define umin(x, y)		min_t(unsigned long long, x, y)
#define umax(x, y)		max_t(unsigned long long, x, y)
#define clamp(val, lo, hi)	min((__typeof__(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(__typeof__(val), val, lo, hi)
#define swap(a, b)						\
	do { __typeof__(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

/* No preemption, no other CPUs: sleeping and scheduling are no-ops. */
#define might_sleep()		do { } while (0)
#define cond_resched()		({ 0; })

int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtobool(const char *s, bool *res);

#endif /* _SLABFUZZ_LINUX_KERNEL_H */
