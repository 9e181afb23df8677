/*
 * The kernel log and findings.
 *
 * printk() is line-buffered: complete lines go to the printk sink (stderr
 * unless kalloc_set_printk() installed another). A report is built with
 * report_add()/report_hexdump() into a report_buf whose text is already in
 * the kernel's format; report_emit() wraps it in a struct kalloc_report,
 * counts it and hands it to the report handler. The default handler prints
 * and aborts, as a kernel BUG would, unless cfg.continue_on_report.
 *
 * Also here: format_gfp(), the kernel's %pGg, and __ratelimit().
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"

/* ------------------------------------------------------------------ */
/* printk                                                              */
/* ------------------------------------------------------------------ */

static kalloc_printk_fn printk_sink;
static void *printk_arg;

/* A partial line waiting for its newline. */
static char printk_line[1024];
static size_t printk_len;

static void printk_flush_line(void)
{
	printk_line[printk_len] = '\0';
	if (printk_sink)
		printk_sink(printk_line, printk_arg);
	else
		fputs(printk_line, stderr);
	printk_len = 0;
}

/* Up to each newline at a time; an over-long line is cut, never lost. */
static void printk_put(const char *s, size_t n)
{
	while (n) {
		size_t room = sizeof(printk_line) - 2 - printk_len;
		size_t take = n < room ? n : room;
		const char *nl = memchr(s, '\n', take);

		if (nl)
			take = (size_t)(nl - s) + 1;
		memcpy(printk_line + printk_len, s, take);
		printk_len += take;
		s += take;
		n -= take;
		if (!nl && printk_len == sizeof(printk_line) - 2)
			printk_line[printk_len++] = '\n';
		if (printk_line[printk_len - 1] == '\n')
			printk_flush_line();
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char small[512];
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof(small)) {
		printk_put(small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);

		if (big) {
			vsnprintf(big, (size_t)n + 1, fmt, ap2);
			printk_put(big, (size_t)n);
			free(big);
		}
	}
	va_end(ap2);
}

void printk_text(const char *text)
{
	printk_put(text, strlen(text));
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Bumped at every machine init and reset: every state's interval ends. */
static unsigned long ratelimit_interval = 1;

void ratelimit_new_interval(void)
{
	ratelimit_interval++;
}

int __ratelimit(struct ratelimit_state *rs)
{
	if (rs->interval != ratelimit_interval) {
		rs->interval = ratelimit_interval;
		rs->printed = 0;
	}
	if (rs->printed >= rs->burst)
		return 0;
	rs->printed++;
	return 1;
}

void kalloc_set_printk(kalloc_printk_fn fn, void *arg)
{
	/* a line half-written to the old sink finishes there */
	if (printk_len)
		printk_put("\n", 1);
	printk_sink = fn;
	printk_arg = arg;
}

/* ------------------------------------------------------------------ */
/* Report text                                                         */
/* ------------------------------------------------------------------ */

void report_init(struct report_buf *rb)
{
	rb->text = NULL;
	rb->len = 0;
	rb->cap = 0;
}

/* Room for n more bytes and the NUL; false if there is no host memory. */
static bool report_reserve(struct report_buf *rb, size_t n)
{
	size_t cap = rb->cap ? rb->cap : 256;
	char *p;

	if (rb->len + n + 1 <= rb->cap)
		return true;
	while (rb->len + n + 1 > cap)
		cap *= 2;
	p = realloc(rb->text, cap);
	if (!p)
		return false;	/* a report cut short beats no report */
	rb->text = p;
	rb->cap = cap;
	return true;
}

/*
 * Formatted straight into the free space, and again only when it did not
 * fit: a report is built from many short pieces (a Mem-Info dump is about
 * forty), and sizing each first formatted it twice.
 */
static void report_vadd(struct report_buf *rb, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	if (!report_reserve(rb, 0))
		return;
	room = rb->cap - rb->len;
	va_copy(ap2, ap);
	n = vsnprintf(rb->text + rb->len, room, fmt, ap2);
	va_end(ap2);
	if (n <= 0) {
		rb->text[rb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		if (!report_reserve(rb, (size_t)n)) {
			rb->text[rb->len] = '\0';	/* what fitted is dropped */
			return;
		}
		vsnprintf(rb->text + rb->len, rb->cap - rb->len, fmt, ap);
	}
	rb->len += (size_t)n;
}

void report_puts(struct report_buf *rb, const char *s)
{
	size_t n = strlen(s);

	if (!report_reserve(rb, n))
		return;
	memcpy(rb->text + rb->len, s, n + 1);
	rb->len += n;
}

void report_add(struct report_buf *rb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vadd(rb, fmt, ap);
	va_end(ap);
}

/*
 * Reads the bytes to dump without ASan checks: dumps show red zones and
 * freed objects, which the debug layer keeps poisoned in the shadow.
 */
__attribute__((no_sanitize("address")))
static unsigned char hexdump_byte(const unsigned char *p)
{
	return *(const volatile unsigned char *)p;
}

/*
 * As print_hex_dump(KERN_ERR, prefix, DUMP_PREFIX_ADDRESS, 16, 1, addr,
 * len, true): 16 bytes a row, then the ASCII column at offset 49.
 */
void report_hexdump(struct report_buf *rb, const char *prefix,
		    const void *addr, size_t len)
{
	static const char hexdig[] = "0123456789abcdef";
	const unsigned char *p = addr;
	size_t plen = strlen(prefix);

	/* formatted by hand: debug reports dump whole objects, often */
	for (size_t row = 0; row < len; row += 16) {
		size_t n = len - row < 16 ? len - row : 16;
		/* prefix, 16 address digits, ": ", 49 hex columns, ASCII, \n */
		size_t width = plen + 16 + 2 + 49 + n + 1;
		unsigned long a = (unsigned long)(uintptr_t)(p + row);
		char *line;

		if (!report_reserve(rb, width))
			return;
		line = rb->text + rb->len;
		memcpy(line, prefix, plen);
		line += plen;
		for (int d = 15; d >= 0; d--, a >>= 4)
			line[d] = hexdig[a & 15];
		line[16] = ':';
		line[17] = ' ';
		line += 18;
		memset(line, ' ', 49);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = hexdump_byte(p + row + i);

			line[3 * i] = hexdig[c >> 4];
			line[3 * i + 1] = hexdig[c & 15];
			line[49 + i] = (c < 0x80 && isprint(c)) ? (char)c : '.';
		}
		line[49 + n] = '\n';
		rb->len += width;
		rb->text[rb->len] = '\0';
	}
}

/* ------------------------------------------------------------------ */
/* Emitting reports                                                    */
/* ------------------------------------------------------------------ */

static kalloc_report_fn report_handler;
static void *report_handler_arg;
static unsigned long report_total;
static unsigned long report_by_kind[KALLOC_BUG__COUNT];

void kalloc_set_report_handler(kalloc_report_fn fn, void *arg)
{
	report_handler = fn;
	report_handler_arg = arg;
}

unsigned long kalloc_report_count(void)
{
	return report_total;
}

/* Reports of one kind since init or reset (for tests and oracles). */
unsigned long report_count_kind(enum kalloc_bug bug)
{
	return (unsigned)bug < KALLOC_BUG__COUNT ? report_by_kind[bug] : 0;
}

void report_counts_reset(void)
{
	report_total = 0;
	memset(report_by_kind, 0, sizeof(report_by_kind));
}

const char *kalloc_bug_name(enum kalloc_bug bug)
{
	static const char *const names[KALLOC_BUG__COUNT] = {
		[KALLOC_BUG_NONE] = "none",
		[KALLOC_BUG_DOUBLE_FREE] = "double-free",
		[KALLOC_BUG_INVALID_FREE] = "invalid-free",
		[KALLOC_BUG_CACHE_MISMATCH] = "cache-mismatch",
		[KALLOC_BUG_REDZONE] = "redzone",
		[KALLOC_BUG_POISON] = "poison",
		[KALLOC_BUG_FREEPTR] = "freeptr",
		[KALLOC_BUG_FREELIST] = "freelist",
		[KALLOC_BUG_PADDING] = "padding",
		[KALLOC_BUG_BAD_PAGE] = "bad-page",
		[KALLOC_BUG_LEAK] = "leak",
		[KALLOC_BUG_VMALLOC] = "vmalloc",
		[KALLOC_BUG_OOM] = "oom",
		[KALLOC_BUG_INTERNAL] = "internal",
		[KALLOC_BUG_USE_AFTER_FREE] = "use-after-free",
	};

	if ((unsigned)bug >= KALLOC_BUG__COUNT)
		return "unknown";
	return names[bug];
}

static void report_vemit(struct report_buf *rb, enum kalloc_bug bug,
			 const char *cache, const void *addr,
			 const char *title_fmt, va_list ap)
{
	char title[256];
	struct kalloc_report r;

	vsnprintf(title, sizeof(title), title_fmt, ap);
	r.bug = bug;
	r.title = title;
	r.cache = cache;
	r.addr = addr;
	r.text = rb->text ? rb->text : "";

	report_total++;
	if ((unsigned)bug < KALLOC_BUG__COUNT)
		report_by_kind[bug]++;

	if (report_handler) {
		report_handler(&r, report_handler_arg);
	} else {
		printk_text(r.text);
		/* a kernel BUG stops the machine; so does the default */
		if (!kg.initialised || !kg.cfg.continue_on_report)
			abort();
	}
	free(rb->text);
	report_init(rb);
}

void report_emit(struct report_buf *rb, enum kalloc_bug bug, const char *cache,
		 const void *addr, const char *title_fmt, ...)
{
	va_list ap;

	va_start(ap, title_fmt);
	report_vemit(rb, bug, cache, addr, title_fmt, ap);
	va_end(ap);
}

void report_simple(enum kalloc_bug bug, const char *cache, const void *addr,
		   const char *title, const char *body_fmt, ...)
{
	struct report_buf rb;
	va_list ap;

	report_init(&rb);
	va_start(ap, body_fmt);
	report_vadd(&rb, body_fmt, ap);
	va_end(ap);
	if (!rb.len || rb.text[rb.len - 1] != '\n')
		report_add(&rb, "\n");
	report_emit(&rb, bug, cache, addr, "%s", title);
}

/*
 * The title of an invariant report is its message with every number
 * replaced by "N", so that one broken invariant is one crash bucket
 * whatever pfn or address it was found at. Numbers inside names
 * (kmalloc-8, dma-kmalloc-1k) stay.
 */
static void scrub_numbers(char *dst, size_t cap, const char *src)
{
	size_t d = 0;

	while (*src && d + 2 < cap) {
		if (src[0] == '0' && (src[1] == 'x' || src[1] == 'X') &&
		    isxdigit((unsigned char)src[2])) {
			src += 2;
			while (isxdigit((unsigned char)*src))
				src++;
			dst[d++] = 'N';
		} else if (isdigit((unsigned char)*src) &&
			   (d == 0 || (!isalnum((unsigned char)dst[d - 1]) &&
				       !strchr("-_.", dst[d - 1])))) {
			while (isalnum((unsigned char)*src))
				src++;
			dst[d++] = 'N';
		} else {
			dst[d++] = *src++;
		}
	}
	dst[d] = '\0';
}

void report_internal(const char *fmt, ...)
{
	char msg[512], title[512];
	struct report_buf rb;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	scrub_numbers(title, sizeof(title), msg);

	report_init(&rb);
	report_add(&rb, "kalloc: invariant: %s\n", msg);
	report_emit(&rb, KALLOC_BUG_INTERNAL, NULL, NULL,
		    "invariant: %s", title);
}

/* ------------------------------------------------------------------ */
/* %pGg                                                                */
/* ------------------------------------------------------------------ */

/* Not in gfp.h: only the flag-name table needs them. */
#define GFP_TRANSHUGE_LIGHT \
	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & \
	 ~__GFP_RECLAIM)
#define GFP_TRANSHUGE	(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

#define GFPNAME(f)	{ f, #f }

/*
 * The kernel's gfpflag_names (include/trace/events/mmflags.h, current
 * layout): composite masks with most bits first, then every single flag in
 * bit order. Matching masks are printed and removed; leftovers print in hex.
 */
static const struct {
	gfp_t mask;
	const char *name;
} gfpflag_names[] = {
	GFPNAME(GFP_TRANSHUGE),
	GFPNAME(GFP_TRANSHUGE_LIGHT),
	GFPNAME(GFP_HIGHUSER_MOVABLE),
	GFPNAME(GFP_HIGHUSER),
	GFPNAME(GFP_USER),
	GFPNAME(GFP_KERNEL_ACCOUNT),
	GFPNAME(GFP_KERNEL),
	GFPNAME(GFP_NOFS),
	GFPNAME(GFP_ATOMIC),
	GFPNAME(GFP_NOIO),
	GFPNAME(GFP_NOWAIT),
	GFPNAME(GFP_DMA),
	GFPNAME(GFP_DMA32),
	GFPNAME(__GFP_RECLAIM),
	GFPNAME(__GFP_DMA),
	GFPNAME(__GFP_HIGHMEM),
	GFPNAME(__GFP_DMA32),
	GFPNAME(__GFP_MOVABLE),
	GFPNAME(__GFP_RECLAIMABLE),
	GFPNAME(__GFP_HIGH),
	GFPNAME(__GFP_IO),
	GFPNAME(__GFP_FS),
	GFPNAME(__GFP_ZERO),
	GFPNAME(__GFP_DIRECT_RECLAIM),
	GFPNAME(__GFP_KSWAPD_RECLAIM),
	GFPNAME(__GFP_WRITE),
	GFPNAME(__GFP_NOWARN),
	GFPNAME(__GFP_RETRY_MAYFAIL),
	GFPNAME(__GFP_NOFAIL),
	GFPNAME(__GFP_NORETRY),
	GFPNAME(__GFP_MEMALLOC),
	GFPNAME(__GFP_COMP),
	GFPNAME(__GFP_NOMEMALLOC),
	GFPNAME(__GFP_HARDWALL),
	GFPNAME(__GFP_THISNODE),
	GFPNAME(__GFP_ACCOUNT),
};

void format_gfp(char *buf, size_t len, gfp_t gfp)
{
	size_t n = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names) && gfp; i++) {
		gfp_t mask = gfpflag_names[i].mask;

		if ((gfp & mask) != mask)
			continue;
		gfp &= ~mask;
		n += (size_t)snprintf(n < len ? buf + n : NULL,
				      n < len ? len - n : 0, "%s%s",
				      gfpflag_names[i].name, gfp ? "|" : "");
	}
	if (gfp && n < len)
		snprintf(buf + n, len - n, "%#x", gfp);
}
