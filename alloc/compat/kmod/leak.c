/*
 * leak.c - what the module left allocated after its exit, reported as
 * kmemleak reports an unreferenced object (mm/kmemleak.c, verbose mode:
 * each line a KERN_WARNING record with the "kmemleak: " prefix). Once the
 * module is gone nothing can reference its memory, so everything it still
 * holds is unreferenced: no scan is needed. What the machine held before
 * the module ran (the baseline) is not the module's and is left out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kalloc/kalloc.h>
#include "linux/printk.h"
#include "kmod/kmod.h"

/* INITIAL_JIFFIES at HZ=250: the jiffies the kernel starts counting from */
#define INITIAL_JIFFIES	4294892296UL
#define HEX_MAX_BYTES	32	/* kmemleak's HEX_MAX_LINES * HEX_ROW_SIZE */

static struct {
	const void **addr;
	size_t n, cap;
} baseline;

static void baseline_add(const struct kalloc_object *o, void *arg)
{
	(void)arg;
	if (baseline.n == baseline.cap) {
		size_t cap = baseline.cap ? 2 * baseline.cap : 64;
		const void **a = realloc(baseline.addr, cap * sizeof(*a));

		if (!a)
			return;	/* a shorter baseline only reports more */
		baseline.addr = a;
		baseline.cap = cap;
	}
	baseline.addr[baseline.n++] = o->addr;
}

void kmod_leak_baseline(void)
{
	baseline.n = 0;
	kalloc_for_each_allocated(baseline_add, NULL);
}

static bool in_baseline(const void *addr)
{
	/* both walks run in address order, but a linear look is enough for
	 * the few dozen objects a machine holds at boot */
	for (size_t i = 0; i < baseline.n; i++)
		if (baseline.addr[i] == addr)
			return true;
	return false;
}

/* The kernel's crc32 (little-endian, 0xedb88320), over the backtrace. */
static uint32_t crc32_le(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return crc;
}

static void report_one(const struct kalloc_object *o, void *arg)
{
	unsigned long *leaks = arg;
	size_t dump = o->size < HEX_MAX_BYTES ? o->size : HEX_MAX_BYTES;

	if (in_baseline(o->addr))
		return;
	++*leaks;
	pr_warn("kmemleak: unreferenced object 0x%px (size %zu):\n", o->addr, o->size);
	pr_warn("kmemleak:   comm \"%s\", pid %d, jiffies %lu\n",
		o->caller ? (o->pid == 2 ? "rmmod" : "insmod") : "insmod",
		o->caller ? o->pid : 1, INITIAL_JIFFIES + o->when);
	pr_warn("kmemleak:   hex dump (first %zu bytes):\n", dump);
	print_hex_dump(KERN_WARNING, "kmemleak:     ", DUMP_PREFIX_NONE, 16, 1,
		       o->addr, dump, true);
	if (o->caller) {
		pr_warn("kmemleak:   backtrace (crc %x):\n",
			crc32_le(0, &o->caller, sizeof(o->caller)));
		pr_warn("kmemleak:     [<%pK>] %pS\n", (void *)o->caller,
			(void *)o->caller);
	} else {
		pr_warn("kmemleak:   backtrace (crc 0):\n");
		pr_warn("kmemleak:     (no allocation track: %s)\n",
			o->kind == KALLOC_OBJ_SLAB ? "slab_debug U is off for this cache" :
			"pages and large kmallocs record no caller");
	}
}

unsigned long kmod_leak_report(void)
{
	unsigned long leaks = 0;

	kalloc_for_each_allocated(report_one, &leaks);
	if (leaks)
		pr_info("kmemleak: %lu new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n",
			leaks);
	free(baseline.addr);
	memset(&baseline, 0, sizeof(baseline));
	return leaks;
}
