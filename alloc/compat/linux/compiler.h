/*
 * linux/compiler.h for slabfuzz's kernel-compat layer: the annotations and
 * helpers kernel code uses (sparse address spaces, attributes, READ_ONCE).
 * glibc's <sys/cdefs.h> defines some of the same names: each is defined only
 * where it is not already, so either include order works.
 */
#ifndef _SLABFUZZ_LINUX_COMPILER_H
#define _SLABFUZZ_LINUX_COMPILER_H

/* sparse annotations: nothing to the compiler */
#define __user
#define __kernel
#define __iomem
#define __force
#define __rcu
#define __percpu
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline		__attribute__((__noinline__))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((__unused__))
#endif
#ifndef __always_unused
#define __always_unused		__attribute__((__unused__))
#endif
#ifndef __used
#define __used			__attribute__((__used__))
#endif
#ifndef __must_check
#define __must_check		__attribute__((__warn_unused_result__))
#endif
#ifndef __packed
#define __packed		__attribute__((__packed__))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute__((__aligned__(x)))
#endif
#ifndef __weak
#define __weak			__attribute__((__weak__))
#endif
#ifndef __cold
#define __cold			__attribute__((__cold__))
#endif
#ifndef __printf
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#endif
#ifndef __noreturn
#define __noreturn		__attribute__((__noreturn__))
#endif
#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif

#define barrier()		__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#endif /* _SLABFUZZ_LINUX_COMPILER_H */
