/*
 * kmod/kmod.h - the module runner's private contract: the kernel log
 * (printk.c), symbols and the kmemleak-style report (leak.c), and the
 * state of the run that main.c drives. The compat headers (linux/NAME.h)
 * declare what modules call; this header is what the runner's files share.
 */
#ifndef SLABFUZZ_KMOD_H
#define SLABFUZZ_KMOD_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

/* printk.c: the log. Records print as "<level>[seconds.micros] text". */
void kmod_log_init(unsigned long long seed);
void kmod_log_line(int level, const char *text);	/* one whole record */
void kmod_log_flush(void);				/* end an open record */
/* The kernel's vsnprintf, %p extensions included. */
int kmod_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* The kernel's %pS: "func+0x1c/0x40", "func (file.c:12)" or the address. */
void kmod_symbol(char *buf, size_t len, unsigned long addr);
/* Findings outside the allocator's reports: WARN and BUG. */
extern unsigned long kmod_warnings;

/* leak.c: kmemleak's report of what is still allocated; returns the count
 * of leaked allocations (0: none). The baseline is what the machine holds
 * before the module runs. */
void kmod_leak_baseline(void);
unsigned long kmod_leak_report(void);

/* kasan.c: name a sanitizer's report of a stray access as KASAN would. */
void kmod_kasan_init(const char *file);

#endif /* SLABFUZZ_KMOD_H */
