/*
 * printk.c - the kernel log of a module run: _printk/vprintk with KERN_*
 * levels and KERN_CONT, the kernel's vsnprintf %p extensions, print_hex_dump,
 * BUG and WARN, and the sink for the allocator's own printk lines.
 *
 * Records print as /dev/kmsg's raw form does (`dmesg -r`):
 * "<6>[    0.000012] text". Timestamps are deterministic: a virtual clock that
 * advances one microsecond per record and one per allocator operation
 * (kalloc_op_count()), never the host's clock, so that two runs of one
 * module print the same log.
 *
 * %p and %pK print a hashed pointer, as the kernel does since 4.15 (with
 * kptr_restrict=0): 32 bits of a keyed hash, zero-padded to 16 digits; the
 * key comes from the run's seed. %px prints the address, %pS/%ps the
 * symbol, %pa a phys_addr_t. NULL and ERR_PTR values print raw, as in the
 * kernel. As the kernel's vsnprintf, every alphanumeric character after %p
 * belongs to the extension.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kalloc/kalloc.h>
#include "linux/bug.h"
#include "linux/err.h"
#include "linux/printk.h"
#include "kmod/kmod.h"

/* The sanitizers' symbolizer, present when the module is linked with
 * them even if this runtime was built without (weak: NULL otherwise). */
extern void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out,
				     size_t out_size) __attribute__((weak));

unsigned long kmod_warnings;

/* ------------------------------------------------------------------ */
/* Records and the clock                                               */
/* ------------------------------------------------------------------ */

static struct {
	unsigned long long key;		/* %p hash key, from the seed */
	unsigned long long usec;	/* the virtual clock */
	unsigned long last_ops;		/* kalloc_op_count() at the last record */
	char open[1024];		/* a record waiting for its newline */
	size_t open_len;
	int open_level;
	bool is_open;
} klog;

void kmod_log_init(unsigned long long seed)
{
	memset(&klog, 0, sizeof(klog));
	klog.key = seed * 0x9e3779b97f4a7c15ULL + 0x6a09e667f3bcc909ULL;
}

void kmod_log_line(int level, const char *text)
{
	unsigned long ops = kalloc_op_count();

	if (ops > klog.last_ops)
		klog.usec += ops - klog.last_ops;
	klog.last_ops = ops;
	klog.usec++;
	printf("<%d>[%5llu.%06llu] %s\n", level, klog.usec / 1000000,
	       klog.usec % 1000000, text);
	fflush(stdout);
}

void kmod_log_flush(void)
{
	if (!klog.is_open)
		return;
	klog.open[klog.open_len] = '\0';
	kmod_log_line(klog.open_level, klog.open);
	klog.is_open = false;
	klog.open_len = 0;
}

/* Append text to the open record, emitting a record at every newline. */
static void log_append(int level, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		if (!klog.is_open) {
			klog.is_open = true;
			klog.open_level = level;
			klog.open_len = 0;
		}
		if (n > sizeof(klog.open) - 1 - klog.open_len)
			n = sizeof(klog.open) - 1 - klog.open_len;
		memcpy(klog.open + klog.open_len, text, n);
		klog.open_len += n;
		if (!nl)
			break;
		kmod_log_flush();
		text = nl + 1;
	}
}

int _vprintk(const char *fmt, va_list args)
{
	char buf[1024];
	int level = MESSAGE_LOGLEVEL_DEFAULT;
	bool cont = false;
	int n;

	while (fmt[0] == KERN_SOH_ASCII && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		else if (fmt[1] == 'c')
			cont = true;
		fmt += 2;
	}
	n = kmod_vsnprintf(buf, sizeof(buf), fmt, args);
	if (cont && klog.is_open) {
		log_append(klog.open_level, buf);
		return n;
	}
	kmod_log_flush();
	log_append(level, buf);
	return n;
}

int _printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------------ */
/* vsnprintf with the kernel's %p                                      */
/* ------------------------------------------------------------------ */

struct out {
	char *buf;
	size_t size, len;
};

static void out_str(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = s[i];
}

/* A keyed 64-bit mix (splitmix64's finaliser), in place of siphash. */
static unsigned long ptr_hash(const void *ptr)
{
	unsigned long long z = (unsigned long long)(uintptr_t)ptr ^ klog.key;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned long)(z & 0xffffffffUL);
}

void kmod_symbol(char *buf, size_t len, unsigned long addr)
{
	Dl_info info;

	if (dladdr((void *)addr, &info) && info.dli_sname && info.dli_saddr) {
		snprintf(buf, len, "%s+0x%lx", info.dli_sname,
			 addr - (unsigned long)info.dli_saddr);
		return;
	}
	if (__sanitizer_symbolize_pc) {
		char fn[128], file[256], line[16];

		__sanitizer_symbolize_pc((void *)addr, "%f", fn, sizeof(fn));
		__sanitizer_symbolize_pc((void *)addr, "%s", file, sizeof(file));
		__sanitizer_symbolize_pc((void *)addr, "%l", line, sizeof(line));
		if (fn[0] && strcmp(fn, "<null>") && strcmp(fn, "??")) {
			const char *base = strrchr(file, '/');

			if (file[0] && strcmp(file, "<null>") && line[0] != '0')
				snprintf(buf, len, "%s (%s:%s)", fn,
					 base ? base + 1 : file, line);
			else
				snprintf(buf, len, "%s", fn);
			return;
		}
	}
	snprintf(buf, len, "0x%lx", addr);
}

/* One %p conversion: ext points after the 'p'. Returns what it used. */
static size_t format_pointer(struct out *o, const char *ext, const void *ptr,
			     int width, bool has_width)
{
	char tmp[256];
	size_t used = 0;

	while (isalnum((unsigned char)ext[used]))
		used++;
	switch (ext[0]) {
	case 'S':
	case 's':
	case 'B':
		kmod_symbol(tmp, sizeof(tmp), (unsigned long)ptr);
		if (ext[0] == 's') {
			char *plus = strchr(tmp, '+');

			if (plus)
				*plus = '\0';
		}
		break;
	case 'a':
		snprintf(tmp, sizeof(tmp), "0x%016llx",
			 (unsigned long long)*(const phys_addr_t *)ptr);
		break;
	case 'x':
		snprintf(tmp, sizeof(tmp), "%0*lx", has_width ? width : 16,
			 (unsigned long)ptr);
		break;
	default:	/* %p, %pK and extensions not modelled: hashed */
		if (IS_ERR_OR_NULL(ptr))
			snprintf(tmp, sizeof(tmp), "%0*lx", has_width ? width : 16,
				 (unsigned long)ptr);
		else
			snprintf(tmp, sizeof(tmp), "%0*lx", has_width ? width : 16,
				 ptr_hash(ptr));
	}
	out_str(o, tmp, strlen(tmp));
	return used;
}

int kmod_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		char spec[32], tmp[512];
		const char *start = fmt;
		int width = 0, prec = -1, n = 0;
		bool has_width = false;
		int lng = 0;	/* 1 l, 2 ll, 3 z/t/j, -1 h, -2 hh */

		if (*fmt != '%') {
			const char *pct = strchr(fmt, '%');
			size_t len = pct ? (size_t)(pct - fmt) : strlen(fmt);

			out_str(&o, fmt, len);
			fmt += len;
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			out_str(&o, "%", 1);
			fmt++;
			continue;
		}
		while (*fmt && strchr("-+ #0", *fmt))
			fmt++;
		if (*fmt == '*') {
			width = va_arg(args, int);
			has_width = true;
			fmt++;
		} else {
			while (isdigit((unsigned char)*fmt)) {
				width = width * 10 + (*fmt++ - '0');
				has_width = true;
			}
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(args, int);
				fmt++;
			} else {
				while (isdigit((unsigned char)*fmt))
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'h')
				lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 3;
			else if (*fmt == 'L' || *fmt == 'q')
				lng = 2;
			else
				break;
		}
		if (!*fmt)
			break;
		if (*fmt == 'p') {
			fmt++;
			fmt += format_pointer(&o, fmt, va_arg(args, void *),
					      width, has_width);
			continue;
		}
		/* everything else: the C library, one conversion at a time,
		 * with '*' already resolved */
		{
			size_t k = 0;

			for (const char *c = start; c <= fmt && k + 12 < sizeof(spec); c++) {
				if (*c == '*') {
					int v = (c > start && c[-1] == '.') ? prec : width;

					k += (size_t)snprintf(spec + k, sizeof(spec) - k, "%d", v);
				} else {
					spec[k++] = *c;
				}
			}
			spec[k] = '\0';
		}
		switch (*fmt) {
		case 'd': case 'i':
			if (lng == 2)
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, long long));
			else if (lng == 1 || lng == 3)
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, long));
			else
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, int));
			break;
		case 'u': case 'x': case 'X': case 'o':
			if (lng == 2)
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, unsigned long long));
			else if (lng == 1 || lng == 3)
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, unsigned long));
			else
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, unsigned int));
			break;
		case 'c':
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, int));
			break;
		case 's': {
			const char *s = va_arg(args, const char *);

			n = snprintf(tmp, sizeof(tmp), spec, s ? s : "(null)");
			break;
		}
		case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
		case 'a': case 'A':
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(args, double));
			break;
		case 'n':	/* the kernel ignores %n */
			(void)va_arg(args, void *);
			n = 0;
			break;
		default:	/* not a conversion: print it as written */
			n = (int)(fmt + 1 - start);
			memcpy(tmp, start, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
		}
		if (n > 0)
			out_str(&o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
		fmt++;
	}
	va_end(args);
	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return (int)o.len;
}

/* ------------------------------------------------------------------ */
/* print_hex_dump, dump_stack, BUG, WARN                               */
/* ------------------------------------------------------------------ */

/* The level (KERN_*) in front of a format: printk reads it from there. */
static const char *level_fmt(char *buf, const char *level, const char *fmt)
{
	snprintf(buf, 32, "%s%s", level, fmt);
	return buf;
}

void print_hex_dump(const char *level, const char *prefix_str, int prefix_type,
		    int rowsize, int groupsize, const void *buf, size_t len,
		    bool ascii)
{
	const unsigned char *p = buf;

	(void)groupsize;	/* bytes, one at a time (groupsize 1) */
	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (size_t off = 0; off < len; off += (size_t)rowsize) {
		size_t n = len - off < (size_t)rowsize ? len - off : (size_t)rowsize;
		char line[256], fmt[32];
		int k = 0;

		for (size_t i = 0; i < n; i++)
			k += snprintf(line + k, sizeof(line) - (size_t)k, "%s%02x",
				      i ? " " : "", p[off + i]);
		if (ascii) {
			/* the kernel's ascii column: rowsize * 3 + 1 */
			while (k < rowsize * 3 + 1)
				line[k++] = ' ';
			for (size_t i = 0; i < n; i++)
				line[k++] = isprint(p[off + i]) ? (char)p[off + i] : '.';
			line[k] = '\0';
		}
		if (prefix_type == DUMP_PREFIX_ADDRESS)
			_printk(level_fmt(fmt, level, "%s%px: %s\n"),
				prefix_str, p + off, line);
		else if (prefix_type == DUMP_PREFIX_OFFSET)
			_printk(level_fmt(fmt, level, "%s%.8zx: %s\n"),
				prefix_str, off, line);
		else
			_printk(level_fmt(fmt, level, "%s%s\n"), prefix_str, line);
	}
}

void dump_stack(void)
{
	printk(KERN_DEFAULT "CPU: %u PID: %d Comm: insmod Not tainted\n",
	       smp_processor_id(), 1);
	printk(KERN_DEFAULT "Call Trace:\n");
	printk(KERN_DEFAULT " <TASK>\n");
	printk(KERN_DEFAULT " %pS\n", __builtin_return_address(0));
	printk(KERN_DEFAULT " </TASK>\n");
}

void __kmod_warn_on(const char *file, int line, const char *func)
{
	kmod_warnings++;
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	printk(KERN_WARNING "WARNING: CPU: %u PID: 1 at %s:%d %s\n",
	       smp_processor_id(), file, line, func);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
}

void __kmod_warn(const char *file, int line, const char *func,
		 const char *fmt, ...)
{
	va_list ap;

	kmod_warnings++;
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk(KERN_WARNING "WARNING: CPU: %u PID: 1 at %s:%d %s\n",
	       smp_processor_id(), file, line, func);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
}

void __kmod_bug(const char *file, int line, const char *func)
{
	printk(KERN_CRIT "kernel BUG at %s:%d!\n", file, line);
	printk(KERN_EMERG "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
	printk(KERN_EMERG "RIP: 0010:%s\n", func);
	kmod_log_flush();
	fprintf(stderr, "kmod: kernel BUG at %s:%d in %s\n", file, line, func);
	exit(1);
}
