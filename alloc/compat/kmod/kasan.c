/*
 * kasan.c - a sanitizer's report of a stray access to kalloc's memory,
 * named as KASAN names it. Under ASan, kalloc poisons what a caller may not
 * touch (red zones, freed objects in the quarantine, free pages, vmalloc
 * guards), so a module's bad access stops at the faulting instruction with
 * ASan's "use-after-poison". From ASan's report callback this adds the
 * report KASAN would have printed (mm/kasan/report.c): the bug type from
 * what the address is (kalloc_describe_addr), the access, and where the
 * address lies relative to the nearest object; and a one-line title on
 * stderr for the run's summary. Accesses to memory that is not kalloc's
 * keep ASan's own report alone. Without ASan this file does nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kalloc/kalloc.h>
#include "linux/printk.h"
#include "kmod/kmod.h"

#if defined(__SANITIZE_ADDRESS__)
#define KMOD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMOD_ASAN 1
#endif
#endif

#ifdef KMOD_ASAN
#include <sanitizer/asan_interface.h>

static const char *kasan_file;

/* mm/kasan/report_generic.c get_bug_type(), from what the address is. */
static const char *bug_type(enum kalloc_addr_kind kind)
{
	switch (kind) {
	case KALLOC_ADDR_SLAB_LIVE:
	case KALLOC_ADDR_LARGE_KMALLOC:
		return "slab-out-of-bounds";
	case KALLOC_ADDR_SLAB_FREED:
		return "slab-use-after-free";
	case KALLOC_ADDR_PAGE_FREE:
		return "use-after-free";
	case KALLOC_ADDR_PAGE_LIVE:
		return "out-of-bounds";
	case KALLOC_ADDR_VMALLOC:
		return "vmalloc-out-of-bounds";
	default:
		return NULL;
	}
}

/* The first stack frame outside the sanitizer's own interceptors. */
static void first_frame(const char *report, char *fn, size_t len)
{
	const char *p = report;

	snprintf(fn, len, "?");
	while ((p = strstr(p, "    #")) != NULL) {
		const char *in = strstr(p, " in ");
		const char *nl = strchr(p, '\n');
		size_t n;

		if (!in || (nl && in > nl))
			break;
		in += 4;
		n = strcspn(in, " \n");
		p = nl ? nl : in + n;
		if (!strncmp(in, "__interceptor_", 14) || !strncmp(in, "___interceptor_", 15) ||
		    !strncmp(in, "__asan", 6) || !strncmp(in, "__sanitizer", 11))
			continue;
		snprintf(fn, len, "%.*s", (int)n, in);
		return;
	}
}

static void on_report(const char *report)
{
	const char *kind = strstr(report, "ERROR: AddressSanitizer: use-after-poison on address 0x");
	const char *acc = strstr(report, " of size ");
	struct kalloc_addr_info info;
	const char *type;
	unsigned long addr;
	unsigned int size = 0;
	bool write;
	char fn[256];
	long rel;

	if (!kind || !acc)
		return;
	addr = strtoul(kind + strlen("ERROR: AddressSanitizer: use-after-poison on address "), NULL, 16);
	write = !strncmp(acc - 5, "WRITE", 5);
	size = (unsigned int)strtoul(acc + strlen(" of size "), NULL, 10);
	type = bug_type(kalloc_describe_addr((const void *)addr, &info));
	if (!type)
		return;
	first_frame(report, fn, sizeof(fn));
	kmod_log_flush();
	pr_err("==================================================================\n");
	pr_err("BUG: KASAN: %s in %s\n", type, fn);
	pr_err("%s of size %u at addr %px by task insmod/1\n",
	       write ? "Write" : "Read", size, (void *)addr);
	if (info.object) {
		rel = (long)(addr - (unsigned long)info.object);
		if (info.cache)
			pr_err("The buggy address belongs to the object at %px\n which belongs to the cache %s of size %zu\n",
			       info.object, info.cache, info.object_size);
		else
			pr_err("The buggy address belongs to the physical page of a large kmalloc at %px\n",
			       info.object);
		if (rel < 0)
			pr_err("The buggy address is located %ld bytes to the left of\n", -rel);
		else if ((size_t)rel >= info.size)
			pr_err("The buggy address is located %zu bytes to the right of\n",
			       (size_t)rel - info.size);
		else
			pr_err("The buggy address is located %ld bytes inside of\n", rel);
		pr_err(" %s %zu-byte region [%px, %px)\n",
		       info.kind == KALLOC_ADDR_SLAB_FREED ? "freed" : "allocated",
		       info.size, info.object, (const char *)info.object + info.size);
	}
	pr_err("==================================================================\n");
	kmod_log_flush();
	fprintf(stderr, "kmod: %s: 1 report: BUG: KASAN: %s in %s\n",
		kasan_file ? kasan_file : "module", type, fn);
}

void kmod_kasan_init(const char *file)
{
	kasan_file = file;
	__asan_set_error_report_callback(on_report);
}
#else
void kmod_kasan_init(const char *file)
{
	(void)file;
}
#endif
