/*
 * page_report.c - what the buddy allocator says about itself and its callers.
 *
 * "Bad page state" reports (mm/page_alloc.c bad_page() with mm/debug.c
 * dump_page()), the page poisoning report (check_poison_mem()), the page
 * allocation failure warning (warn_alloc() with show_free_areas()), the
 * __GFP_NOFAIL out-of-memory report and /proc/buddyinfo. Kept apart from
 * page_alloc.c so that none of it sits on the allocation fast path, and
 * below it: this file reads the zones and calls no other page/ file.
 */

#include <stdlib.h>
#include <string.h>

#include "page/buddy.h"

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_buddy] = "buddy",
	[PG_head] = "head",
	[PG_tail] = "tail",
	[PG_slab] = "slab",
	[PG_reserved] = "reserved",
	[PG_vmalloc] = "vmalloc",
	[PG_large_kmalloc] = "large_kmalloc",
	[PG_quarantine] = "quarantine",
};

/* %pGp: the flag names, then the node and zone fields. */
void format_page_flags(char *buf, size_t len, const struct page *page)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int b = 0; b < __NR_PAGEFLAGS && n < len; b++)
		if (page_test(page, (enum pageflags)b))
			n += (size_t)snprintf(buf + n, len - n, "%s|",
					      pageflag_names[b]);
	if (n < len)
		snprintf(buf + n, len - n, "node=0|zone=%u", page->zone);
}

static void dump_page(struct report_buf *rb, const struct page *page,
		      const char *reason)
{
	const struct page *head = compound_head(page);
	char flags[160];

	report_add(rb, "page:%016lx refcount:%d mapcount:%d mapping:0000000000000000 index:0x0 pfn:0x%lx\n",
		   (unsigned long)(uintptr_t)page, page->_refcount,
		   page->_mapcount + 1, page_to_pfn(page));
	if (PageHead(head))
		report_add(rb, "head:%016lx order:%u entire_mapcount:0 nr_pages_mapped:0 pincount:0\n",
			   (unsigned long)(uintptr_t)head, head->order);
	format_page_flags(flags, sizeof(flags), page);
	report_add(rb, "flags: 0x%lx(%s)\n", page->flags, flags);
	report_add(rb, "page dumped because: %s\n", reason);
}

static void report_task(struct report_buf *rb)
{
	report_add(rb, "CPU: %u PID: %d Comm: %s\n", kg.cpu, kg.pid, kg.comm);
}

void bad_page(struct page *page, enum kalloc_bug bug, const char *title,
	      const char *reason_fmt, ...)
{
	struct report_buf rb;
	char reason[256];
	va_list ap;

	va_start(ap, reason_fmt);
	vsnprintf(reason, sizeof(reason), reason_fmt, ap);
	va_end(ap);

	report_init(&rb);
	report_add(&rb, "BUG: Bad page state in process %s  pfn:%05lx\n",
		   kg.comm, page_to_pfn(page));
	dump_page(&rb, page, reason);
	report_task(&rb);
	report_emit(&rb, bug, NULL, page_address(page), "%s", title);
}

static bool single_bit_flip(uint8_t a, uint8_t b)
{
	uint8_t error = a ^ b;

	return error && !(error & (error - 1));
}

/*
 * mm/page_poison.c check_poison_mem(): the frame of a free page was written
 * while it was free. The dump runs from the first to the last byte that is
 * not the fill, then the page. The kernel ratelimits; a fuzz log wants
 * every one (a report per corrupted page).
 */
void page_poison_corrupt(struct page *page, const uint8_t *bad, uint8_t have)
{
	const uint8_t *mem = (const uint8_t *)page_address(page);
	const uint8_t *end = mem + PAGE_SIZE - 1;
	bool one_bit;
	struct report_buf rb;

	while (end > bad && kasan_read_byte_nocheck(end) == have)
		end--;
	one_bit = bad == end && single_bit_flip(kasan_read_byte_nocheck(bad), have);
	report_init(&rb);
	report_add(&rb, "pagealloc: %s\n",
		   one_bit ? "single bit error" : "memory corruption");
	report_hexdump(&rb, "", bad, (size_t)(end - bad) + 1);
	report_task(&rb);
	dump_page(&rb, page, "pagealloc: corrupted page details");
	report_emit(&rb, KALLOC_BUG_POISON, NULL, bad, "pagealloc: %s",
		    one_bit ? "single bit error" : "memory corruption");
}

/*
 * A pointer that is no page of the arena: a wild address given to
 * free_pages() (the kernel's VM_BUG_ON(!virt_addr_valid(addr))), or a
 * struct page pointer that is not in mem_map.
 */
void bad_page_address(const void *addr, unsigned int order, const char *func)
{
	bool is_page = strcmp(func, "free_pages") != 0;
	bool is_get = strcmp(func, "get_page") == 0;
	struct report_buf rb;

	report_init(&rb);
	report_add(&rb, "BUG: Bad page state in process %s  addr:%016lx\n",
		   kg.comm, (unsigned long)(uintptr_t)addr);
	if (is_page)
		report_add(&rb, "%s(%016lx, %u): not a struct page of mem_map [%016lx-%016lx)\n",
			   func, (unsigned long)(uintptr_t)addr, order,
			   (unsigned long)(uintptr_t)arena.mem_map,
			   (unsigned long)(uintptr_t)(arena.mem_map + arena.nr_pages));
	else
		report_add(&rb, "%s(0x%lx, %u): VM_BUG_ON(!virt_addr_valid(addr)): outside the linear map [%016lx-%016lx)\n",
			   func, (unsigned long)(uintptr_t)addr, order,
			   (unsigned long)(uintptr_t)arena.base,
			   (unsigned long)(uintptr_t)(arena.base + arena.bytes));
	report_task(&rb);
	if (is_get)
		report_emit(&rb, KALLOC_BUG_BAD_PAGE, NULL, addr,
			    "page: get_page of non-arena page");
	else
		report_emit(&rb, KALLOC_BUG_INVALID_FREE, NULL, addr,
			    "page: invalid free of non-arena address");
}

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

/*
 * The Mem-Info lines are formatted by hand: a warn_alloc() prints them on
 * every failed allocation up to its ratelimit, twenty numbers a zone, and
 * formatting the whole dump was 7% of fuzz_buddy under ASan (the zone
 * summaries through report_add() were still 3% once the free-area lines
 * were done by hand).
 */
static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	*p = '\0';
	return p;
}

static char *put_ulong(char *p, unsigned long v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	*p = '\0';
	return p;
}

static void show_free_areas_rb(struct report_buf *rb)
{
	report_add(rb, "Mem-Info:\n");
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &zones[t];

		if (!z->managed_pages)
			continue;
		/* "Node 0 %s free:%lukB boost:0kB min:%lukB low:%lukB
		 * high:%lukB reserved_highatomic:0KB present:%lukB
		 * managed:%lukB", then "lowmem_reserve[]:" and " %lu" a zone */
		char line[256 + MAX_NR_ZONES * 24], *p = line;

		p = put_str(p, "Node 0 ");
		p = put_str(p, zone_name((enum zone_type)t));
		p = put_str(p, " free:");
		p = put_ulong(p, K(z->free_pages));
		p = put_str(p, "kB boost:0kB min:");
		p = put_ulong(p, K(z->_watermark[WMARK_MIN]));
		p = put_str(p, "kB low:");
		p = put_ulong(p, K(z->_watermark[WMARK_LOW]));
		p = put_str(p, "kB high:");
		p = put_ulong(p, K(z->_watermark[WMARK_HIGH]));
		p = put_str(p, "kB reserved_highatomic:0KB present:");
		p = put_ulong(p, K(z->managed_pages));
		p = put_str(p, "kB managed:");
		p = put_ulong(p, K(z->managed_pages));
		p = put_str(p, "kB\nlowmem_reserve[]:");
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			p = put_str(p, " ");
			p = put_ulong(p, z->lowmem_reserve[j]);
		}
		put_str(p, "\n");
		report_puts(rb, line);
	}
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &zones[t];
		unsigned long total = 0;
		/* "Node 0 <zone>: " and per order "<n>*<size>kB ", "= <total>kB" */
		char line[32 + NR_PAGE_ORDERS * 48 + 32], *p = line;

		if (!z->managed_pages)
			continue;
		p = put_str(p, "Node 0 ");
		p = put_str(p, zone_name((enum zone_type)t));
		p = put_str(p, ": ");
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			p = put_ulong(p, z->free_area[o].nr_free);
			*p++ = '*';
			p = put_ulong(p, K(1UL) << o);
			p = put_str(p, "kB ");
			total += z->free_area[o].nr_free << o;
		}
		p = put_str(p, "= ");
		p = put_ulong(p, K(total));
		put_str(p, "kB\n");
		report_puts(rb, line);
	}
}

void show_free_areas(void)
{
	struct report_buf rb;

	report_init(&rb);
	show_free_areas_rb(&rb);
	if (rb.text)
		printk_text(rb.text);
	free(rb.text);
}

/*
 * mm/page_alloc.c warn_alloc(): the page allocator's and vmalloc's failure
 * warning, "<comm>: <what failed>, mode:%#x(%pGg), nodemask=(null)", then
 * the dump_stack() header and show_mem(). One ratelimit state for all its
 * callers, nopage_rs, with the kernel's default burst.
 */
void warn_alloc(gfp_t gfp, const char *fmt, ...)
{
	static __machine_state DEFINE_RATELIMIT_STATE(nopage_rs, DEFAULT_RATELIMIT_BURST);
	char msg[160], names[256];
	va_list ap;

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&nopage_rs))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	format_gfp(names, sizeof(names), gfp);
	printk("%s: %s, mode:%#x(%s), nodemask=(null)\n", kg.comm, msg, gfp,
	       names);
	printk("CPU: %u PID: %d Comm: %s\n", kg.cpu, kg.pid, kg.comm);
	show_free_areas();
}

/*
 * __GFP_NOFAIL could not be met and nothing more can be reclaimed. The
 * kernel would loop in the OOM killer; with nothing to kill, this is its
 * "no killable processes" panic. It aborts even under continue_on_report:
 * the caller was promised memory and cannot handle NULL.
 */
__noreturn void out_of_memory(gfp_t gfp, unsigned int order)
{
	struct report_buf rb;
	char names[256];

	format_gfp(names, sizeof(names), gfp);
	report_init(&rb);
	report_add(&rb, "%s invoked oom-killer: gfp_mask=0x%x(%s), order=%u, oom_score_adj=0\n",
		   kg.comm, gfp, names, order);
	report_task(&rb);
	show_free_areas_rb(&rb);
	report_add(&rb, "Out of memory and no killable processes...\n");
	report_add(&rb, "Kernel panic - not syncing: System is deadlocked on memory\n");
	report_emit(&rb, KALLOC_BUG_OOM, NULL, NULL,
		    "page: Out of memory (__GFP_NOFAIL order:%u)", order);
	abort();
}

void kalloc_buddyinfo(FILE *out)
{
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &zones[t];

		if (!z->managed_pages)
			continue;
		fprintf(out, "Node 0, zone %8s ", zone_name((enum zone_type)t));
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			fprintf(out, "%6lu ", z->free_area[o].nr_free);
		fprintf(out, "\n");
	}
}
