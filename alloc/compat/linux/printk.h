/*
 * linux/printk.h for slabfuzz's kernel-compat layer: printk with KERN_*
 * levels and the pr_* family. The output goes to the module runner
 * (alloc/compat/kmod/printk.c), which prints dmesg-style records and
 * implements the kernel's %p extensions (%px raw, %p and %pK hashed, %pS).
 * printk is a macro over _printk, as in the kernel.
 */
#ifndef _SLABFUZZ_LINUX_PRINTK_H
#define _SLABFUZZ_LINUX_PRINTK_H

#include <stdarg.h>
#include "linux/compiler.h"

#define KERN_SOH	"\001"
#define KERN_SOH_ASCII	'\001'
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_DEFAULT	""
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_EMERG		0
#define LOGLEVEL_ALERT		1
#define LOGLEVEL_CRIT		2
#define LOGLEVEL_ERR		3
#define LOGLEVEL_WARNING	4
#define LOGLEVEL_NOTICE		5
#define LOGLEVEL_INFO		6
#define LOGLEVEL_DEBUG		7

/* The level of a message that names none (CONFIG_MESSAGE_LOGLEVEL_DEFAULT). */
#define MESSAGE_LOGLEVEL_DEFAULT	4

int _printk(const char *fmt, ...) __printf(1, 2);
int _vprintk(const char *fmt, va_list args) __printf(1, 0);
/* macros over _printk/_vprintk: kalloc has printk/vprintk of its own */
#define vprintk(fmt, args)	_vprintk(fmt, args)
void dump_stack(void);

#define printk(fmt, ...)	_printk(fmt, ##__VA_ARGS__)

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* Type-checks the arguments and prints nothing. */
#define no_printk(fmt, ...)					\
({								\
	if (0)							\
		_printk(fmt, ##__VA_ARGS__);			\
	0;							\
})

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning		pr_warn
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)
/* pr_debug prints only where DEBUG is defined (no dynamic debug here) */
#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif
#define pr_devel		pr_debug

#define printk_once(fmt, ...)					\
({								\
	static bool __print_once;				\
	int __ret = 0;						\
	if (!__print_once) {					\
		__print_once = true;				\
		__ret = printk(fmt, ##__VA_ARGS__);		\
	}							\
	__ret;							\
})
#define pr_info_once(fmt, ...)	printk_once(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)	printk_once(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_once(fmt, ...)	printk_once(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)

enum {
	DUMP_PREFIX_NONE,
	DUMP_PREFIX_ADDRESS,
	DUMP_PREFIX_OFFSET
};

void print_hex_dump(const char *level, const char *prefix_str, int prefix_type,
		    int rowsize, int groupsize, const void *buf, size_t len,
		    bool ascii);

#endif /* _SLABFUZZ_LINUX_PRINTK_H */
