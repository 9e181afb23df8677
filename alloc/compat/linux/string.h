/*
 * linux/string.h for slabfuzz's kernel-compat layer: the C library's
 * <string.h> (included here, so either include order works) plus what only
 * the kernel has: strscpy, memzero_explicit, str_has_prefix, and the
 * allocating kstrdup/kmemdup family (kalloc's).
 */
#ifndef _SLABFUZZ_LINUX_STRING_H
#define _SLABFUZZ_LINUX_STRING_H

#include <string.h>
/* the system's (uapi) <linux/string.h> of the same name, which the C
 * library's own headers include: shadowing it must not hide it */
#include_next <linux/string.h>

#include <kalloc/slab.h>
#include "linux/errno.h"
#include "linux/types.h"

/* Copies at most size - 1 bytes and NUL-terminates; the length, or -E2BIG
 * if src was cut (kmod/lib.c, out of line as in the kernel). */
ssize_t strscpy(char *dest, const char *src, size_t size);
ssize_t strscpy_pad(char *dest, const char *src, size_t size);

static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

/* The length of prefix if str starts with it, else 0. */
static inline size_t str_has_prefix(const char *str, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(str, prefix, len) == 0 ? len : 0;
}

static inline bool strstarts(const char *str, const char *prefix)
{
	return strncmp(str, prefix, strlen(prefix)) == 0;
}

#endif /* _SLABFUZZ_LINUX_STRING_H */
