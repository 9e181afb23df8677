/*
 * ---- slabfuzz reproducer runtime -------------------------------------
 * What the harness's model would check, in plain C over the public kalloc
 * API: allocator reports outside a misuse window are findings; a misuse
 * window must see a report of an expected kind and no other; a validation
 * that finds problems must report them; the pool shrinker the harness
 * registers (pages it gives back under reclaim, last in first out) must
 * see the caller's GFP; objects carry byte patterns. The program below
 * the runtime makes the recorded calls in order; the op that failed ends
 * with the check that failed there.
 * ----------------------------------------------------------------------
 */
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-variable"
static void *v[SFR_NV + 1];		/* pointers the allocator returned */
static long r[SFR_NC + 1];		/* scalar results */
static void *q[SFR_NC + 1];		/* answers to questions */
static unsigned long sfr_init_free;	/* nr_free_pages() after init */
static const char *sfr_op_name = "setup";
static gfp_t sfr_caller_gfp;
static int sfr_caller_known;
static unsigned char sfr_wild[2 * 4096] __attribute__((aligned(4096)));

#define SFR_LOG_LINES 24
static char sfr_log[SFR_LOG_LINES][240];
static unsigned int sfr_log_next;

static void sfr_on_printk(const char *line, void *arg)
{
	(void)arg;
	snprintf(sfr_log[sfr_log_next++ % SFR_LOG_LINES], sizeof(sfr_log[0]), "%s", line);
}

/* The finding: its title on stdout, the kernel log on stderr, exit 1. */
static void sfr_finding(const char *title)
{
	unsigned int n = sfr_log_next < SFR_LOG_LINES ? sfr_log_next : SFR_LOG_LINES;

	fprintf(stderr, "==ERROR: slabfuzz: %s\nat op %s\n", title, sfr_op_name);
	if (n)
		fprintf(stderr, "last kernel log lines:\n");
	for (unsigned int i = sfr_log_next - n; i < sfr_log_next; i++) {
		const char *l = sfr_log[i % SFR_LOG_LINES];

		fprintf(stderr, "  %s%s", l, *l && l[strlen(l) - 1] == '\n' ? "" : "\n");
	}
	printf("%s\n", title);
	fflush(stdout);
	fflush(stderr);
	exit(1);
}

/* "model: <check> <what> at op <op>", as the harness titles it. */
static void sfr_fail(const char *check, const char *what)
{
	char title[256];

	snprintf(title, sizeof(title), "model: %s%s%s at op %s", check,
		 what && *what ? " " : "", what ? what : "", sfr_op_name);
	sfr_finding(title);
}

/* The GFP of the request being served, which the pool shrinker must see
 * in its shrink_control (caller_known 0: outside any request). */
static void sfr_caller(gfp_t caller_gfp, int caller_known)
{
	sfr_caller_gfp = caller_gfp;
	sfr_caller_known = caller_known;
}

static void sfr_op(const char *name, gfp_t caller_gfp, int caller_known)
{
	sfr_op_name = name;
	sfr_caller(caller_gfp, caller_known);
}

/* ---- reports and misuse windows ---- */

static int sfr_in_misuse;
static unsigned int sfr_nr_reports;
static struct { enum kalloc_bug bug; char title[128]; } sfr_reports[32];

static void sfr_on_report(const struct kalloc_report *rep, void *arg)
{
	char title[256];

	(void)arg;
	if (sfr_in_misuse) {
		if (sfr_nr_reports < 32) {
			sfr_reports[sfr_nr_reports].bug = rep->bug;
			snprintf(sfr_reports[sfr_nr_reports].title,
				 sizeof(sfr_reports[0].title), "%s",
				 rep->title ? rep->title : "?");
		}
		sfr_nr_reports++;
		return;
	}
	if (rep->text)
		fprintf(stderr, "%s", rep->text);
	snprintf(title, sizeof(title), "kalloc: %s", rep->title ? rep->title : "(untitled)");
	sfr_finding(title);
}

static void sfr_window_open(void)
{
	sfr_in_misuse = 1;
	sfr_nr_reports = 0;
}

/* After the misuse and kalloc_validate(): judge the reports. */
static void sfr_window_close(unsigned int expected, const char *what, const char *label)
{
	unsigned int n = sfr_nr_reports < 32 ? sfr_nr_reports : 32;
	int seen = 0;
	char buf[200];

	sfr_in_misuse = 0;
	for (unsigned int i = 0; i < n; i++) {
		if (expected & (1u << sfr_reports[i].bug)) {
			seen = 1;
			continue;
		}
		snprintf(buf, sizeof(buf), "kalloc: %s", sfr_reports[i].title);
		sfr_finding(buf);
	}
	if (!seen) {
		snprintf(buf, sizeof(buf), "unreported %s in", what);
		sfr_fail(buf, label);
	}
}

static void sfr_validate_touched(void)
{
	unsigned long before = kalloc_report_count();

	if (kalloc_validate_touched() && kalloc_report_count() == before)
		sfr_finding("kalloc: validate failed without a report");
}

static void sfr_validate(void)
{
	unsigned long before = kalloc_report_count();

	if (kalloc_validate() && kalloc_report_count() == before)
		sfr_finding("kalloc: validate failed without a report");
}

/* kalloc_init() and kalloc_reset_config() give 0, kalloc_switch() how
 * the machine came: an error is negative */
static void sfr_machine(int err)
{
	if (err < 0) {
		fprintf(stderr, "kalloc: machine set-up = %d\n", err);
		printf("kalloc: init failed\n");
		exit(1);
	}
	sfr_init_free = nr_free_pages();
}

/* ---- addresses ---- */

static void *sfr_lin(unsigned long off)
{
	void *start, *end;

	kalloc_linear_range(&start, &end);
	return (char *)start + off;
}

static void *sfr_vm(unsigned long off)
{
	void *start, *end;

	kalloc_vmalloc_range(&start, &end);
	return (char *)start + off;
}

/* An address as an offset in the linear map, or (1 << 62) + one in the
 * vmalloc range: the same on every run of the same program. */
static unsigned long sfr_off(const void *p)
{
	void *ls, *le, *vs, *ve;

	kalloc_linear_range(&ls, &le);
	kalloc_vmalloc_range(&vs, &ve);
	if ((const char *)p >= (char *)ls && (const char *)p < (char *)le)
		return (unsigned long)((const char *)p - (char *)ls);
	if ((const char *)p >= (char *)vs && (const char *)p < (char *)ve)
		return (1UL << 62) + (unsigned long)((const char *)p - (char *)vs);
	return (unsigned long)(uintptr_t)p;
}

/* ---- byte patterns (whole objects up to 16 KiB, else the first and
 * last page and 64 bytes of every 16th page between) ---- */

static unsigned char sfr_pat(unsigned int seed, size_t i)
{
	uint32_t x = (uint32_t)(seed * 2654435761u) ^ (uint32_t)(i * 40503u) ^ (uint32_t)(i >> 12);

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (unsigned char)(x % 255 + 1);
}

static int sfr_sampled(size_t len, size_t i)
{
	return len <= 16384 || i < 4096 || i >= len - 4096 || i % (16 * 4096) < 64;
}

static void sfr_fill(void *p, size_t len, unsigned int seed)
{
	unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (sfr_sampled(len, i))
			b[i] = sfr_pat(seed, i);
}

static size_t sfr_pattern_check(const void *p, size_t len, size_t limit, unsigned int seed)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len && i < limit; i++)
		if (sfr_sampled(len, i) && b[i] != sfr_pat(seed, i))
			return i;
	return SIZE_MAX;
}

static size_t sfr_zero_check(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if ((len <= 65536 || i < 4096 || i >= len - 4096 || i % (16 * 4096) < 64) && b[i])
			return i;
	return SIZE_MAX;
}

/* The misuse writes go around AddressSanitizer, as the harness's do. */
__attribute__((no_sanitize("address"), noinline))
static void sfr_poke(void *addr, const char *src, size_t n)
{
	volatile unsigned char *d = addr;

	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)src[i];
}

/* ---- constructors: each cache slot writes its own pattern ---- */

static size_t sfr_ctor_size[16];
static unsigned int sfr_ctor_seed[16];
#define SFR_CTOR(n) static void sfr_ctor##n(void *o) { sfr_fill(o, sfr_ctor_size[n], sfr_ctor_seed[n]); }
SFR_CTOR(0) SFR_CTOR(1) SFR_CTOR(2) SFR_CTOR(3) SFR_CTOR(4) SFR_CTOR(5)
SFR_CTOR(6) SFR_CTOR(7) SFR_CTOR(8) SFR_CTOR(9) SFR_CTOR(10) SFR_CTOR(11)
SFR_CTOR(12) SFR_CTOR(13) SFR_CTOR(14) SFR_CTOR(15)
static void (*const sfr_ctors[16])(void *) = {
	sfr_ctor0, sfr_ctor1, sfr_ctor2, sfr_ctor3, sfr_ctor4, sfr_ctor5,
	sfr_ctor6, sfr_ctor7, sfr_ctor8, sfr_ctor9, sfr_ctor10, sfr_ctor11,
	sfr_ctor12, sfr_ctor13, sfr_ctor14, sfr_ctor15,
};

static void (*sfr_ctor(unsigned int n, size_t size, unsigned int seed))(void *)
{
	sfr_ctor_size[n & 15] = size;
	sfr_ctor_seed[n & 15] = seed;
	return sfr_ctors[n & 15];
}

/* ---- the pool: pages a shrinker gives back, the last one first ---- */

static struct { struct page *page; unsigned int order; } sfr_pool[4096];
static unsigned int sfr_npool;

static void sfr_pool_set(unsigned int n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (sfr_npool = 0; sfr_npool < n && sfr_npool < 4096; sfr_npool++) {
		sfr_pool[sfr_npool].page = va_arg(ap, struct page *);
		sfr_pool[sfr_npool].order = va_arg(ap, unsigned int);
	}
	va_end(ap);
}

static void sfr_pool_check(const struct shrink_control *sc)
{
	if (!(sc->gfp_mask & __GFP_DIRECT_RECLAIM) ||
	    (sfr_caller_known && !(sfr_caller_gfp & __GFP_DIRECT_RECLAIM)))
		sfr_fail("shrinker called for a GFP mask that forbids reclaim", NULL);
	if (sfr_caller_known &&
	    ((sc->gfp_mask ^ sfr_caller_gfp) & (__GFP_IO | __GFP_FS | __GFP_DIRECT_RECLAIM)))
		sfr_fail("shrink_control without the caller's GFP", NULL);
}

static unsigned long sfr_pool_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	sfr_pool_check(sc);
	return sfr_npool ? sfr_npool : SHRINK_EMPTY;
}

static unsigned long sfr_pool_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = 0;

	(void)s;
	sfr_pool_check(sc);
	while (freed < sc->nr_to_scan && sfr_npool) {
		sfr_npool--;
		__free_pages(sfr_pool[sfr_npool].page, sfr_pool[sfr_npool].order);
		freed++;
	}
	return freed ? freed : SHRINK_STOP;
}

static struct shrinker sfr_pool_shrinker = {
	.count_objects = sfr_pool_count,
	.scan_objects = sfr_pool_scan,
	.batch = 8,
	.seeks = 2,
};

static void sfr_pool_register(void)
{
	if (register_shrinker(&sfr_pool_shrinker, "sf_pool"))
		sfr_finding("kalloc: register_shrinker failed");
}

static void sfr_pool_unregister(void)
{
	unregister_shrinker(&sfr_pool_shrinker);
}
/* ---- end of the runtime ---- */
