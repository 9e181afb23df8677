/*
 * The life cycle: defaults, init and its configuration checks (one bad
 * field at a time, each a one-line message and an errno, nothing left
 * half-built, a good init afterwards), reset, fini, the simulated CPUs and
 * task, the op clock, the seeded random numbers, printk, the report
 * handler and the report helpers.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "internal.h"

#define MiB (1UL << 20)
#define GiB (1UL << 30)

KTEST(defaults)
{
	struct kalloc_config d = kalloc_config_defaults();

	CHECK_EQ(d.mem_bytes, KALLOC_DEFAULT_MEM_BYTES);
	CHECK_EQ(d.dma_bytes, KALLOC_DEFAULT_DMA_BYTES);
	CHECK_EQ(d.dma32_bytes, 0);
	CHECK_EQ(d.ncpus, KALLOC_DEFAULT_NCPUS);
	CHECK_EQ(d.vmalloc_bytes, KALLOC_DEFAULT_VMALLOC_BYTES);
	CHECK(d.slab_debug == NULL);
	CHECK(!d.continue_on_report);
	CHECK(d.freelist_hardened && d.freelist_random);
	CHECK(!d.init_on_alloc && !d.init_on_free);
	CHECK_EQ(d.quarantine_bytes, 0);

	CHECK(kalloc_get_config() == NULL);
	CHECK_EQ(kalloc_init(NULL), 0);
	const struct kalloc_config *c = kalloc_get_config();
	CHECK(c != NULL);
	CHECK_EQ(c->mem_bytes, d.mem_bytes);
	CHECK_EQ(c->ncpus, d.ncpus);
	CHECK_EQ(totalram_pages(), d.mem_bytes / PAGE_SIZE);
	CHECK_EQ(num_possible_cpus(), 2);
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_fini();
	CHECK(kalloc_get_config() == NULL);
}

KTEST(zero_sizes_take_the_defaults)
{
	struct kalloc_config cfg = { .dma_bytes = 0 };

	CHECK_EQ(kalloc_init(&cfg), 0);
	CHECK_EQ(kalloc_get_config()->mem_bytes, KALLOC_DEFAULT_MEM_BYTES);
	CHECK_EQ(kalloc_get_config()->ncpus, KALLOC_DEFAULT_NCPUS);
	CHECK_EQ(kalloc_get_config()->vmalloc_bytes, KALLOC_DEFAULT_VMALLOC_BYTES);
	CHECK(!zone_present(ZONE_DMA));
}

KTEST(double_init_is_ebusy)
{
	ktest_init_default();
	CHECK_EQ(kalloc_init(NULL), -EBUSY);
	CHECK_STR(ktest_log, "kalloc: already initialised\n");
	CHECK(kalloc_get_config() != NULL);
	CHECK_EQ(nr_free_pages(), 4096);	/* the live machine is untouched */
}

static void bad_config(struct kalloc_config cfg, const char *message)
{
	ktest_capture_clear();
	CHECK_EQ(kalloc_init(&cfg), -EINVAL);
	CHECK_STR(ktest_log, message);
	CHECK(kalloc_get_config() == NULL);
	CHECK(arena.base == NULL && arena.mem_map == NULL);
	CHECK(alloc_page(GFP_KERNEL) == NULL);
}

KTEST(each_bad_field_is_rejected)
{
	struct kalloc_config d = kalloc_config_defaults(), c;

#define TRY(field, value, msg) do { c = d; c.field = (value); bad_config(c, msg); } while (0)
	TRY(mem_bytes, 16 * MiB + 100,
	    "kalloc: mem_bytes 16777316 is not a multiple of PAGE_SIZE\n");
	TRY(mem_bytes, MiB - PAGE_SIZE,
	    "kalloc: mem_bytes 1044480 is outside [1 MiB, 4 GiB]\n");
	TRY(mem_bytes, 4 * GiB + PAGE_SIZE,
	    "kalloc: mem_bytes 4294971392 is outside [1 MiB, 4 GiB]\n");
	TRY(dma_bytes, 100,
	    "kalloc: dma_bytes 100 is not a multiple of PAGE_SIZE\n");
	TRY(dma_bytes, 16 * MiB,
	    "kalloc: dma_bytes 16777216 must be below mem_bytes 16777216\n");
	TRY(dma32_bytes, 4 * MiB + 1,
	    "kalloc: dma32_bytes 4194305 is not a multiple of PAGE_SIZE\n");
	TRY(dma32_bytes, 1 * MiB,
	    "kalloc: dma32_bytes 1048576 must be 0 or in (dma_bytes 1048576, mem_bytes 16777216]\n");
	TRY(dma32_bytes, 32 * MiB,
	    "kalloc: dma32_bytes 33554432 must be 0 or in (dma_bytes 1048576, mem_bytes 16777216]\n");
	TRY(ncpus, KALLOC_MAX_CPUS + 1, "kalloc: ncpus 65 is outside [1, 64]\n");
	TRY(vmalloc_bytes, MiB / 2,
	    "kalloc: vmalloc_bytes 524288 must be a multiple of PAGE_SIZE and at least 1 MiB\n");
	TRY(vmalloc_bytes, 2 * MiB + 8,
	    "kalloc: vmalloc_bytes 2097160 must be a multiple of PAGE_SIZE and at least 1 MiB\n");
#undef TRY

	/* the edges that are fine */
	c = d;
	c.mem_bytes = MiB;
	c.dma_bytes = MiB - PAGE_SIZE;
	c.dma32_bytes = MiB;
	c.ncpus = KALLOC_MAX_CPUS;
	c.vmalloc_bytes = MiB;
	ktest_init(c);
	CHECK_EQ(zone_managed_pages(ZONE_DMA), 255);
	CHECK_EQ(zone_managed_pages(ZONE_DMA32), 1);
	CHECK(!zone_present(ZONE_NORMAL));
	CHECK_EQ(num_possible_cpus(), KALLOC_MAX_CPUS);
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_fini();

	/* and a later good init works */
	ktest_init_default();
	CHECK_EQ(nr_free_pages(), 4096);
}

/* A layer above the arena failing its init unwinds everything below it. */
KTEST(late_init_failure_unwinds)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	void *base;

	cfg.slab_debug = "F Z";	/* no command line could carry this */
	CHECK_EQ(kalloc_init(&cfg), -EINVAL);
	CHECK_CONTAINS(ktest_log, "kalloc: slab_debug: invalid byte 0x20 at offset 1\n");
	CHECK(kalloc_get_config() == NULL);
	CHECK(arena.base == NULL && arena.mem_map == NULL && arena.memfd == -1);
	CHECK_EQ(totalram_pages(), 0);
	/* the mappings were released: the next machine gets the same place */
	ktest_init_default();
	kalloc_linear_range(&base, NULL);
	CHECK(base == (void *)0x520000000000UL);
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(slab_debug_string_is_kept)
{
	char opt[8] = "F";
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = opt;
	ktest_init(cfg);
	opt[0] = 'Z';
	CHECK_STR(kalloc_get_config()->slab_debug, "F");
	CHECK(kalloc_get_config()->slab_debug != opt);
}

KTEST(reset_returns_to_post_init_state)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.seed = 1234;
	ktest_init(cfg);
	uint64_t r1 = kalloc_random(), r2 = kalloc_random();
	struct page *p = alloc_pages(GFP_KERNEL, 4);
	free_pages(4096, 0);	/* a report */
	kalloc_set_cpu(1);
	kalloc_set_task(99, "worker");
	CHECK(kalloc_op_count() > 0);
	CHECK_EQ(kalloc_report_count(), 1);
	kalloc_reset();
	CHECK_EQ(kalloc_op_count(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
	CHECK_EQ(smp_processor_id(), 0);
	CHECK_EQ(kg.pid, 1);
	CHECK_STR(kg.comm, "swapper/0");
	CHECK_EQ(kalloc_random(), r1);
	CHECK_EQ(kalloc_random(), r2);
	CHECK(page_is_free(p));
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(fini_and_calls_outside_a_machine)
{
	kalloc_reset();			/* nothing to reset */
	kalloc_fini();			/* nothing to tear down */
	CHECK_EQ(kalloc_validate(), 0);
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	CHECK_EQ(nr_free_pages(), 0);
	CHECK_EQ(num_possible_cpus(), 1);
	ktest_init_default();
	kalloc_fini();
	kalloc_fini();
	CHECK(kalloc_get_config() == NULL);
	ktest_init_default();
	CHECK_EQ(nr_free_pages(), 4096);
}

KTEST(cpus)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.ncpus = 4;
	ktest_init(cfg);
	CHECK_EQ(num_possible_cpus(), 4);
	CHECK_EQ(smp_processor_id(), 0);
	kalloc_set_cpu(3);
	CHECK_EQ(smp_processor_id(), 3);
	kalloc_set_cpu(4);	/* a caller error: warned and ignored */
	CHECK_EQ(smp_processor_id(), 3);
	CHECK_STR(ktest_log, "kalloc: kalloc_set_cpu(4): only 4 CPUs; ignored\n");
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(task_name)
{
	ktest_init_default();
	kalloc_set_task(7, "a-very-long-task-name");
	CHECK_EQ(kg.pid, 7);
	CHECK_STR(kg.comm, "a-very-long-tas");	/* TASK_COMM_LEN */
	kalloc_set_task(8, NULL);
	CHECK_STR(kg.comm, "");
}

KTEST(op_clock)
{
	ktest_init_default();
	CHECK_EQ(kalloc_op_count(), 0);
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_EQ(kalloc_op_count(), 1);
	__free_page(p);
	CHECK_EQ(kalloc_op_count(), 2);
}

KTEST(random_is_seeded)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	uint64_t a[4], b[4], c[4];

	cfg.seed = 42;
	ktest_init(cfg);
	for (int i = 0; i < 4; i++)
		a[i] = kalloc_random();
	kalloc_fini();
	ktest_init(cfg);
	for (int i = 0; i < 4; i++)
		b[i] = kalloc_random();
	kalloc_fini();
	cfg.seed = 43;
	ktest_init(cfg);
	for (int i = 0; i < 4; i++)
		c[i] = kalloc_random();
	CHECK(!memcmp(a, b, sizeof(a)));
	CHECK(memcmp(a, c, sizeof(a)) != 0);
	CHECK(a[0] != a[1]);
	/* splitmix64's first output for seed 42 */
	CHECK(a[0] == 0xbdd732262feb6e95ULL);
}

/* ------------------------------ printk ------------------------------ */

static char lines[8][128];
static int nlines;

static void line_sink(const char *line, void *arg)
{
	if (nlines < 8)
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
}

KTEST(printk_is_line_buffered)
{
	nlines = 0;
	kalloc_set_printk(line_sink, NULL);
	printk("partial ");
	CHECK_EQ(nlines, 0);
	printk("line %d\n", 1);
	CHECK_EQ(nlines, 1);
	CHECK_STR(lines[0], "partial line 1\n");
	printk("two\nlines\n");
	CHECK_EQ(nlines, 3);
	CHECK_STR(lines[1], "two\n");
	CHECK_STR(lines[2], "lines\n");
	printk("unfinished");
	kalloc_set_printk(NULL, NULL);	/* the old sink gets its line */
	CHECK_EQ(nlines, 4);
	CHECK_STR(lines[3], "unfinished\n");

	/* a line longer than the buffer is cut into pieces, not lost */
	char big[3000];
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	ktest_capture();
	printk("%s", big);
	CHECK_EQ(strlen(ktest_log), sizeof(big) - 1 + 2);
	/* pieces of 1022 bytes and a newline each, then the rest */
	CHECK(ktest_log[1022] == '\n' && ktest_log[2045] == '\n' &&
	      ktest_log[3000] == '\n');
	CHECK(strchr(ktest_log, '\n') == ktest_log + 1022);

	/* a built text goes in as it is, with the same line buffering */
	nlines = 0;
	kalloc_set_printk(line_sink, NULL);
	printk_text("first\nsecond %d ");
	printk("%s\n", "half");
	CHECK_EQ(nlines, 2);
	CHECK_STR(lines[0], "first\n");
	CHECK_STR(lines[1], "second %d half\n");
	kalloc_set_printk(NULL, NULL);
}

/* ------------------------------ reports ------------------------------ */

static int handler_calls;
static struct kalloc_report last;
static char last_title[160];

static void count_handler(const struct kalloc_report *r, void *arg)
{
	handler_calls++;
	last = *r;
	snprintf(last_title, sizeof(last_title), "%s", r->title);
	CHECK(arg == &handler_calls);
}

KTEST(report_handler_and_counts)
{
	ktest_init_default();
	kalloc_set_report_handler(count_handler, &handler_calls);
	handler_calls = 0;
	report_simple(KALLOC_BUG_VMALLOC, "c", (void *)0x10, "t: simple",
		      "body %d", 5);
	CHECK_EQ(handler_calls, 1);
	CHECK_EQ(last.bug, KALLOC_BUG_VMALLOC);
	CHECK_STR(last_title, "t: simple");
	CHECK(last.addr == (void *)0x10);
	CHECK_EQ(kalloc_report_count(), 1);
	CHECK_EQ(report_count_kind(KALLOC_BUG_VMALLOC), 1);
	CHECK_EQ(report_count_kind(KALLOC_BUG_LEAK), 0);
	CHECK_STR(ktest_log, "");	/* a custom handler prints nothing itself */

	/* the handler survives reset and fini */
	kalloc_reset();
	CHECK_EQ(kalloc_report_count(), 0);
	CHECK_EQ(report_count_kind(KALLOC_BUG_VMALLOC), 0);
	kalloc_fini();
	ktest_init_default();
	free_pages(8192, 1);
	CHECK_EQ(handler_calls, 2);
	CHECK_EQ(last.bug, KALLOC_BUG_INVALID_FREE);
	CHECK(last.cache == NULL);

	/* NULL restores the default: print, and go on under continue_on_report */
	kalloc_set_report_handler(NULL, NULL);
	report_simple(KALLOC_BUG_LEAK, NULL, NULL, "t", "default %s", "printed");
	CHECK_EQ(handler_calls, 2);
	CHECK_STR(ktest_log, "default printed\n");
	CHECK_EQ(kalloc_report_count(), 2);
}

KTEST(bug_names)
{
	static const char *const expect[] = {
		"none", "double-free", "invalid-free", "cache-mismatch",
		"redzone", "poison", "freeptr", "freelist", "padding",
		"bad-page", "leak", "vmalloc", "oom", "internal",
		"use-after-free",
	};
	CHECK_EQ(ARRAY_SIZE(expect), KALLOC_BUG__COUNT);
	for (int i = 0; i < KALLOC_BUG__COUNT; i++)
		CHECK_STR(kalloc_bug_name((enum kalloc_bug)i), expect[i]);
	CHECK_STR(kalloc_bug_name(KALLOC_BUG__COUNT), "unknown");
	CHECK_STR(kalloc_bug_name((enum kalloc_bug)-1), "unknown");
}

KTEST(report_building)
{
	struct report_buf rb;

	ktest_init_default();
	report_init(&rb);
	report_add(&rb, "BUG %s (Not tainted): %s\n", "kmalloc-64", "Poison overwritten");
	for (int i = 0; i < 100; i++)	/* grows */
		report_add(&rb, "line %03d\n", i);
	report_emit(&rb, KALLOC_BUG_POISON, "kmalloc-64", NULL,
		    "slab: Poison overwritten in %s", "kmalloc-64");
	CHECK(rb.text == NULL);	/* emit frees it */
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_STR(ktest_reports[0].title, "slab: Poison overwritten in kmalloc-64");
	CHECK_STR(ktest_reports[0].cache, "kmalloc-64");
	CHECK(!strncmp(ktest_reports[0].text, "BUG kmalloc-64 (Not tainted): Poison overwritten\nline 000\n", 58));
	CHECK_CONTAINS(ktest_reports[0].text, "line 099\n");

	/* invariant titles are free of numbers: one bucket per invariant */
	ktest_capture_clear();
	report_internal("slab: cache %s slab 0x%lx has inuse %d > %d", "kmalloc-8", 0x5200001000UL, 33, 32);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_INTERNAL);
	CHECK_STR(ktest_reports[0].title, "invariant: slab: cache kmalloc-8 slab N has inuse N > N");
	CHECK_STR(ktest_reports[0].text, "kalloc: invariant: slab: cache kmalloc-8 slab 0x5200001000 has inuse 33 > 32\n");
}

KTEST(hexdump_format)
{
	struct report_buf rb;
	unsigned char bytes[20];

	for (int i = 0; i < 20; i++)
		bytes[i] = (unsigned char)(i == 3 ? 'A' : i == 4 ? 0x7f : 0x6b + i % 2);
	report_init(&rb);
	report_hexdump(&rb, "Object   ", bytes, sizeof(bytes));
	char expect[512];
	snprintf(expect, sizeof(expect),
		 "Object   %016lx: 6b 6c 6b 41 7f 6c 6b 6c 6b 6c 6b 6c 6b 6c 6b 6c  klkA.lklklklklkl\n"
		 "Object   %016lx: 6b 6c 6b 6c                                      klkl\n",
		 (unsigned long)(uintptr_t)bytes, (unsigned long)(uintptr_t)(bytes + 16));
	CHECK_STR(rb.text, expect);
	free(rb.text);
}

static void fatal_report_child(void *arg)
{
	(void)arg;
	kalloc_init(NULL);
	report_simple(KALLOC_BUG_LEAK, NULL, NULL, "t", "this is fatal");
}

/* Without continue_on_report the default handler aborts. */
KTEST(default_handler_aborts_without_continue)
{
	char buf[256];
	int status = ktest_run_child(fatal_report_child, NULL, buf, sizeof(buf));

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_STR(buf, "this is fatal\n");
}

KTEST(validate_and_dumps_without_slab_or_vmalloc_findings)
{
	char buf[4096];
	FILE *f;

	ktest_init_default();
	CHECK_EQ(kalloc_validate(), 0);
	f = fmemopen(buf, sizeof(buf), "w");
	kalloc_slabinfo(f);
	fclose(f);
	CHECK(!strncmp(buf, "slabinfo - version: 2.1\n", 24));
	CHECK_CONTAINS(buf, "# name ");
}
