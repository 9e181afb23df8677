/*
 * lib.c - small kernel library functions modules call: strscpy(),
 * kstrto*() (as in lib/kstrtox.c: the whole string must be a number, one
 * trailing newline allowed; -EINVAL or -ERANGE otherwise) and the
 * access_ok() behind copy_to_user/copy_from_user.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <kalloc/kalloc.h>
#include "linux/kernel.h"
#include "linux/string.h"
#include "linux/uaccess.h"

ssize_t strscpy(char *dest, const char *src, size_t size)
{
	size_t len;

	if (size == 0)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dest, src, size - 1);
		dest[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return (ssize_t)len;
}

ssize_t strscpy_pad(char *dest, const char *src, size_t size)
{
	ssize_t n = strscpy(dest, src, size);

	if (n >= 0 && (size_t)n + 1 < size)
		memset(dest + n + 1, 0, size - (size_t)n - 1);
	return n;
}

static int parse_end(const char *s, const char *end)
{
	if (end == s)
		return -EINVAL;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	char *end;
	unsigned long long v;
	int err;

	if (*s == '+')
		s++;
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, (int)base);
	err = parse_end(s, end);
	if (err)
		return err;
	if (errno == ERANGE)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	bool neg = *s == '-';
	int err = kstrtoull(s + neg, base, &v);

	if (err)
		return err;
	if (neg ? v > (unsigned long long)LLONG_MAX + 1 : v > LLONG_MAX)
		return -ERANGE;
	*res = neg ? (long long)(0 - v) : (long long)v;
	return 0;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (!err)
		*res = (long)v;
	return err;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (!err)
		*res = (unsigned long)v;
	return err;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

/* lib/kstrtox.c kstrtobool(): y/Y/1/on and n/N/0/off */
int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}

static bool overlaps(uintptr_t a, uintptr_t b, void *start, void *end)
{
	return a < (uintptr_t)end && b > (uintptr_t)start;
}

bool __kmod_access_ok(const void __user *addr, unsigned long size)
{
	uintptr_t a = (uintptr_t)addr, b;
	void *start, *end;

	if (__builtin_add_overflow(a, size, &b) || a < PAGE_SIZE)
		return false;
	kalloc_linear_range(&start, &end);
	if (overlaps(a, b, start, end))
		return false;
	kalloc_vmalloc_range(&start, &end);
	return !overlaps(a, b, start, end);
}
