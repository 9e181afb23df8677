/*
 * linux/bug.h for slabfuzz's kernel-compat layer: BUG, WARN and their
 * variants. BUG() prints the kernel's "kernel BUG at FILE:LINE!" oops and
 * stops the module (an allocator-report exit); WARN prints the kernel's
 * "WARNING: ... at FILE:LINE FUNC" record, counts as a finding and goes on.
 */
#ifndef _SLABFUZZ_LINUX_BUG_H
#define _SLABFUZZ_LINUX_BUG_H

#include "linux/compiler.h"
#include "linux/types.h"

void __kmod_bug(const char *file, int line, const char *func) __noreturn __cold;
void __kmod_warn(const char *file, int line, const char *func,
		 const char *fmt, ...) __cold __printf(4, 5);
void __kmod_warn_on(const char *file, int line, const char *func) __cold;

#define BUG()		__kmod_bug(__FILE__, __LINE__, __func__)
#define BUG_ON(cond)	do { if (unlikely(cond)) BUG(); } while (0)

#define WARN(cond, fmt, ...)					\
({								\
	bool __ret_warn = !!(cond);				\
	if (unlikely(__ret_warn))				\
		__kmod_warn(__FILE__, __LINE__, __func__,	\
			    fmt, ##__VA_ARGS__);		\
	unlikely(__ret_warn);					\
})
#define WARN_ON(cond)						\
({								\
	bool __ret_warn_on = !!(cond);				\
	if (unlikely(__ret_warn_on))				\
		__kmod_warn_on(__FILE__, __LINE__, __func__);	\
	unlikely(__ret_warn_on);				\
})

#define WARN_ONCE(cond, fmt, ...)				\
({								\
	static bool __warned;					\
	bool __ret_warn_once = !!(cond);			\
	if (unlikely(__ret_warn_once && !__warned)) {		\
		__warned = true;				\
		__kmod_warn(__FILE__, __LINE__, __func__,	\
			    fmt, ##__VA_ARGS__);		\
	}							\
	unlikely(__ret_warn_once);				\
})
#define WARN_ON_ONCE(cond)					\
({								\
	static bool __warned_on;				\
	bool __ret_warn_on_once = !!(cond);			\
	if (unlikely(__ret_warn_on_once && !__warned_on)) {	\
		__warned_on = true;				\
		__kmod_warn_on(__FILE__, __LINE__, __func__);	\
	}							\
	unlikely(__ret_warn_on_once);				\
})

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define BUILD_BUG()		BUILD_BUG_ON(1)

#endif /* _SLABFUZZ_LINUX_BUG_H */
