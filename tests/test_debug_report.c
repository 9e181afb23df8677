/*
 * The shape of SLUB debug reports: the BUG line between the rule lines,
 * the "[... overwritten] 0x...-0x... @offset=N. First byte 0x.. instead of
 * 0x.." line with the right numbers, the Allocated/Freed tracks, the Slab
 * and Object lines, the hexdump prefixes, and the FIX lines; titles without
 * addresses.
 */
#include "kdebug.h"

#define OBJ_SIZE 40

/* The lines of a report, split in place. */
struct lines {
	char *buf;
	char *line[256];
	int n;
};

static void split(struct lines *l, const char *text)
{
	char *save = NULL;

	l->buf = strdup(text);
	l->n = 0;
	for (char *s = strtok_r(l->buf, "\n", &save); s && l->n < 256;
	     s = strtok_r(NULL, "\n", &save))
		l->line[l->n++] = s;
}

/* Index of the first line at or after from that starts with prefix. */
static int find(const struct lines *l, int from, const char *prefix)
{
	for (int i = from; i < l->n; i++)
		if (!strncmp(l->line[i], prefix, strlen(prefix)))
			return i;
	return -1;
}

static bool has_address(const char *s)
{
	return strstr(s, "0x") != NULL;
}

KTEST(redzone_report_shape)
{
	dbg_init("FZPU");
	struct kmem_cache *s = kmem_cache_create("my_cache", OBJ_SIZE, 0, 0, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);
	uint8_t *base = (uint8_t *)slab_address(slab);
	unsigned long start = 0, end = 0, off = 0;
	unsigned int first = 0, expected = 0;
	char what[64];
	struct lines l;
	int i;

	poke(p + OBJ_SIZE + 2, 0x41);
	poke(p + OBJ_SIZE + 3, 0x42);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in my_cache");
	if (ktest_nr_reports != 1)
		return;
	CHECK(!has_address(ktest_reports[0].title));
	CHECK_STR(ktest_reports[0].cache, "my_cache");
	CHECK(ktest_reports[0].addr == p);

	split(&l, ktest_reports[0].text);
	CHECK(l.n > 8);
	CHECK_STR(l.line[0], "=============================================================================");
	CHECK_STR(l.line[1], "BUG my_cache (Not tainted): Right Redzone overwritten");
	CHECK_STR(l.line[2], "-----------------------------------------------------------------------------");

	/* [Right Redzone overwritten] 0xS-0xE @offset=N. First byte 0x41 instead of 0xcc */
	i = find(&l, 3, "[");
	CHECK(i == 3);
	CHECK_EQ(sscanf(l.line[i], "[%63[^]]] 0x%lx-0x%lx @offset=%lu. First byte 0x%x instead of 0x%x",
			what, &start, &end, &off, &first, &expected), 6);
	CHECK_STR(what, "Right Redzone overwritten");
	CHECK_EQ(start, (unsigned long)(p + OBJ_SIZE + 2));
	CHECK_EQ(end, (unsigned long)(p + OBJ_SIZE + 3));
	CHECK_EQ(off, (unsigned long)(p + OBJ_SIZE + 2 - base));
	CHECK_EQ(first, 0x41);
	CHECK_EQ(expected, SLUB_RED_ACTIVE);

	i = find(&l, i, "Allocated in ");
	CHECK(i > 0);
	if (i > 0) {
		CHECK_CONTAINS(l.line[i], " age=");
		CHECK_CONTAINS(l.line[i], " cpu=0 pid=1");
		/* the caller of kmem_cache_alloc(), by name where the
		 * symbolizer knows static functions (ASan builds) */
		if (KALLOC_KASAN)
			CHECK_CONTAINS(l.line[i], "Allocated in redzone_report_shape");
	}
	/* never freed: no Freed track */
	CHECK_EQ(find(&l, 0, "Freed in "), -1);

	i = find(&l, i, "Slab 0x");
	CHECK(i > 0);
	if (i > 0) {
		CHECK_CONTAINS(l.line[i], " objects=");
		CHECK_CONTAINS(l.line[i], " used=1 fp=0x");
		CHECK_CONTAINS(l.line[i], " flags=0x");
		/* %pGp: the hex value, then the names */
		CHECK_CONTAINS(l.line[i], "(slab|node=0|zone=");
	}
	i = find(&l, i, "Object 0x");
	CHECK(i > 0);
	if (i > 0) {
		char expect[64];

		snprintf(expect, sizeof(expect), " @offset=%lu fp=0x",
			 (unsigned long)(p - base));
		CHECK_CONTAINS(l.line[i], expect);
	}
	/* left red zone, object, right red zone, padding, in that order */
	i = find(&l, i, "Redzone  ");
	CHECK(i > 0);
	if (i > 0) {
		char expect[64];

		snprintf(expect, sizeof(expect), "Redzone  %016lx: cc cc cc cc cc cc cc cc ",
			 (unsigned long)(p - 8));
		CHECK(!strncmp(l.line[i], expect, strlen(expect)));
	}
	i = find(&l, i, "Object   ");
	CHECK(i > 0);
	if (i > 0)
		CHECK_CONTAINS(l.line[i], ": 6b 6b 6b 6b");
	i = find(&l, i, "Redzone  ");
	CHECK(i > 0);
	if (i > 0)
		CHECK_CONTAINS(l.line[i], ": cc cc 41 42 cc cc cc cc");
	i = find(&l, i, "Padding  ");
	CHECK(i > 0);
	if (i > 0)
		CHECK_CONTAINS(l.line[i], ": 5a 5a 5a 5a");

	i = find(&l, i, "FIX my_cache: Restoring Right Redzone 0x");
	CHECK(i > 0);
	if (i > 0) {
		char expect[128];

		snprintf(expect, sizeof(expect),
			 "FIX my_cache: Restoring Right Redzone 0x%016lx-0x%016lx=0xcc",
			 (unsigned long)(p + OBJ_SIZE + 2),
			 (unsigned long)(p + OBJ_SIZE + 3));
		CHECK_STR(l.line[i], expect);
	}
	i = find(&l, i, "FIX my_cache: Object at 0x");
	CHECK(i == l.n - 1);
	if (i > 0)
		CHECK_CONTAINS(l.line[i], " not freed");
	free(l.buf);
}

KTEST(two_findings_one_report)
{
	dbg_init("FZPU");
	struct kmem_cache *s = kmem_cache_create("my_cache", OBJ_SIZE, 0, 0, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct lines l;

	poke(p - 1, 0x00);
	poke(p + OBJ_SIZE, 0x00);
	kmem_cache_free(s, p);
	/* one event, one report; the first finding names it */
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in my_cache");
	if (ktest_nr_reports != 1)
		return;
	split(&l, ktest_reports[0].text);
	CHECK_STR(l.line[1], "BUG my_cache (Not tainted): Left Redzone overwritten");
	CHECK(find(&l, 0, "[Left Redzone overwritten]") > 0);
	CHECK(find(&l, 0, "[Right Redzone overwritten]") > 0);
	CHECK(find(&l, 0, "FIX my_cache: Restoring Left Redzone") > 0);
	CHECK(find(&l, 0, "FIX my_cache: Restoring Right Redzone") > 0);
	/* the trailer once */
	CHECK(find(&l, find(&l, 0, "Slab 0x") + 1, "Slab 0x") < 0);
	free(l.buf);
}

KTEST(double_free_report_has_both_tracks)
{
	dbg_init("FZPU");
	struct kmem_cache *s = kmem_cache_create("my_cache", OBJ_SIZE, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct lines l;
	int a, f;

	kalloc_set_task(77, "freer");
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "slab: double free in my_cache");
	if (ktest_nr_reports != 1)
		return;
	split(&l, ktest_reports[0].text);
	CHECK_STR(l.line[1], "BUG my_cache (Not tainted): Object already free");
	a = find(&l, 0, "Allocated in ");
	f = find(&l, 0, "Freed in ");
	CHECK(a > 0 && f > a);
	if (f > 0)
		CHECK_CONTAINS(l.line[f], " pid=77");
	CHECK(find(&l, 0, "FIX my_cache: Object at 0x") > f);
	free(l.buf);
}

KTEST(titles_name_no_addresses)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(30, GFP_KERNEL);
	uint8_t *q = kmalloc(30, GFP_KERNEL);

	poke(p + 30, 1);
	kfree(p);
	kfree(q);
	kfree(q);
	kfree(q + 4);
	CHECK_EQ(ktest_nr_reports, 3);
	for (int i = 0; i < ktest_nr_reports; i++) {
		CHECK(!has_address(ktest_reports[i].title));
		CHECK_CONTAINS(ktest_reports[i].title, "kmalloc-32");
	}
}

KTEST(reports_reach_the_log_with_the_default_handler)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(30, GFP_KERNEL);

	/* printk capture stays; reports go to the default handler, which
	 * prints them (continue_on_report is set) */
	kalloc_set_report_handler(NULL, NULL);
	poke(p + 31, 1);
	kfree(p);
	CHECK_EQ(kalloc_report_count(), 1);
	CHECK_CONTAINS(ktest_log, "BUG kmalloc-32 (Not tainted): kmalloc Redzone overwritten\n");
	CHECK_CONTAINS(ktest_log, "FIX kmalloc-32: Restoring kmalloc Redzone");
}
