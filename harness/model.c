/*
 * The shadow model: object table and per-kind lists (slot references pick
 * from them), the interval index that proves no two live objects overlap,
 * the checks on every fresh allocation, the vmalloc hole test, findings and
 * the report handler. Patterns: pattern.c; zones, watermarks and what
 * reclaim could give back: zones.c.
 *
 * Everything here is reset per input at a cost proportional to what the
 * input used: ids are handed out from a bump counter, lists and the index
 * are truncated.
 */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

struct sf_model sf;


/* ------------------------------------------------------------------ */
/* Findings, the kernel log and the report handler                     */
/* ------------------------------------------------------------------ */

#define LOG_LINES	24
#define LOG_WIDTH	240
static char log_ring[LOG_LINES][LOG_WIDTH];
static unsigned int log_next;

/* Every kernel log line of every input lands here: a plain bounded copy. */
static void on_printk(const char *line, void *arg)
{
	(void)arg;
	sf_str_copy(log_ring[log_next % LOG_LINES], LOG_WIDTH, line);
	log_next++;
}

void sf_finding(const char *title, const char *fmt, ...)
{
	va_list ap;
	char opbuf[512] = "";

#ifdef SF_RECORD
	sfr_note_finding(title);
#endif
	fprintf(stderr, "==ERROR: slabfuzz: %s\n", title);
	if (fmt && *fmt) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (sf.op) {
		sf_format_op(sf.op, opbuf, sizeof(opbuf));
		fprintf(stderr, "at op %u: %s\n", sf.op_index, opbuf);
	} else if (sf.op_name) {
		fprintf(stderr, "at %s\n", sf.op_name);
	}
	if (log_next) {
		unsigned int n = log_next < LOG_LINES ? log_next : LOG_LINES;

		fprintf(stderr, "last kernel log lines:\n");
		for (unsigned int i = log_next - n; i < log_next; i++) {
			const char *l = log_ring[i % LOG_LINES];

			fprintf(stderr, "  %s%s", l,
				*l && l[strlen(l) - 1] == '\n' ? "" : "\n");
		}
	}
	fflush(stderr);
	abort();
}

void sf_model_fail(const char *check, const char *what, const char *fmt, ...)
{
	char title[256], details[1024] = "";
	va_list ap;

#ifdef SF_RECORD
	sfr_note_check(check, what);
#endif
	snprintf(title, sizeof(title), "model: %s%s%s at op %s", check,
		 what && *what ? " " : "", what ? what : "",
		 sf.op_name ? sf.op_name : "?");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(details, sizeof(details), fmt, ap);
		va_end(ap);
	}
	sf_finding(title, "%s", details);
}

static sf_report_hook_fn report_hook;
static void *report_hook_arg;

void sf_set_report_hook(sf_report_hook_fn fn, void *arg)
{
	report_hook = fn;
	report_hook_arg = arg;
}

static void on_report(const struct kalloc_report *r, void *arg)
{
	char title[256];

	(void)arg;
	sf_digest(0xbad0000u | r->bug);
	if (report_hook)
		report_hook(r->title ? r->title : "(untitled)", r->text ? r->text : "",
			    sf.in_misuse, report_hook_arg);
	if (sf.in_misuse) {
		if (sf.nr_reports < sizeof(sf.reports) / sizeof(sf.reports[0])) {
			sf.reports[sf.nr_reports].bug = r->bug;
			snprintf(sf.reports[sf.nr_reports].title,
				 sizeof(sf.reports[0].title), "%s",
				 r->title ? r->title : "?");
		}
		sf.nr_reports++;
		return;
	}
	snprintf(title, sizeof(title), "kalloc: %s", r->title ? r->title : "(untitled)");
#ifdef SF_RECORD
	sfr_note_report_addr(r->addr);
#endif
	sf_finding(title, "%s", r->text ? r->text : "");
}

void sf_install_handlers(void)
{
	kalloc_set_report_handler(on_report, NULL);
	kalloc_set_printk(on_printk, NULL);
}

/* ------------------------------------------------------------------ */
/* Objects and lists                                                   */
/* ------------------------------------------------------------------ */

/*
 * Everything the model knows about what lives in the machine: objects,
 * their lists and intervals, zombies, caches, the shrinker's pool and the
 * misuse record. After kalloc_reset() none of it exists. Allocates
 * nothing: the reset op runs this inside an input.
 */
void sf_model_forget_machine(void)
{
	for (uint32_t i = 0; i < sf.nr_used_ids; i++)
		sf.objs[i].live = false;
	sf.nr_used_ids = 0;
	sf.nr_free_ids = 0;
	for (unsigned int k = 0; k < SF_NR_KINDS; k++)
		sf.nlist[k] = 0;
	sf.nall = 0;
	memset(sf.pool_pages, 0, sizeof(sf.pool_pages));
	memset(sf.pool_blocks, 0, sizeof(sf.pool_blocks));
	memset(sf.pinned_pages, 0, sizeof(sf.pinned_pages));
	sf.nr_zombies = 0;
	memset(sf.caches, 0, sizeof(sf.caches));
	sf.ncache_list = 0;
	sf_handles_reset();
	sf.nivals = 0;
	sf.misuse_done = 0;
}

void sf_model_view_machine(const struct kalloc_config *k)
{
	void *s, *e;

	sf.kcfg = *k;
	sf_zones_compute(&sf.kcfg, &sf.zones);
	kalloc_linear_range(&s, &e);
	sf.lin_start = (uintptr_t)s;
	sf.lin_end = (uintptr_t)e;
	kalloc_vmalloc_range(&s, &e);
	sf.vm_start = (uintptr_t)s;
	sf.vm_end = (uintptr_t)e;
}

void sf_model_reset(void)
{
	for (unsigned int k = 0; k < SF_NR_KINDS; k++) {
		if (!sf.list[k]) {
			sf.list[k] = malloc(SF_MAX_OBJS * sizeof(uint32_t));
			if (!sf.list[k])
				abort();
		}
	}
	if (!sf.all) {
		sf.all = malloc(SF_MAX_OBJS * sizeof(uint32_t));
		if (!sf.all)
			abort();
	}
	/* first-use work happens here, never inside an input: an input's
	 * path must not depend on the inputs before it (AFL++ stability) */
	if (!sf.ivals) {
		sf.ivals_cap = SF_IVALS_PREALLOC;
		sf.ivals = malloc(sf.ivals_cap * sizeof(*sf.ivals));
		if (!sf.ivals)
			abort();
	}
	sf_pattern_init();
	sf_model_forget_machine();
	sf.caller_known = false;
	sf.next_seed = 1;
	sf.in_misuse = false;
	sf.nr_reports = 0;
	sf.digest = 0xcbf29ce484222325ull;
	sf.op = NULL;
	sf.op_name = "init";
	sf.op_index = 0;
	log_next = 0;
}

int sf_obj_alloc(enum sf_kind kind)
{
	uint32_t id;

	if (sf.nr_free_ids)
		id = sf.free_ids[--sf.nr_free_ids];
	else if (sf.nr_used_ids < SF_MAX_OBJS)
		id = sf.nr_used_ids++;
	else
		return -1;
	memset(&sf.objs[id], 0, sizeof(sf.objs[id]));
	sf.objs[id].kind = (uint8_t)kind;
	sf.objs[id].live = true;
	sf.objs[id].pos[0] = sf.objs[id].pos[1] = SF_NO_POS;
	sf_handle_stamp(id);
	return (int)id;
}

void sf_obj_link(uint32_t id)
{
	struct sf_obj *o = &sf.objs[id];

	o->pos[0] = sf.nlist[o->kind];
	sf.list[o->kind][sf.nlist[o->kind]++] = id;
	o->pos[1] = sf.nall;
	sf.all[sf.nall++] = id;
	sf_zone_account(id, 1);
}

/* Swap-remove: deterministic, O(1). */
static void list_remove(uint32_t *list, uint32_t *n, uint32_t pos, int which)
{
	uint32_t last = list[--*n];

	list[pos] = last;
	sf.objs[last].pos[which] = pos;
}

void sf_obj_unlink(uint32_t id)
{
	struct sf_obj *o = &sf.objs[id];

	if (o->pos[0] != SF_NO_POS)
		list_remove(sf.list[o->kind], &sf.nlist[o->kind], o->pos[0], 0);
	if (o->pos[1] != SF_NO_POS) {
		list_remove(sf.all, &sf.nall, o->pos[1], 1);
		sf_zone_account(id, -1);
	}
	o->pos[0] = o->pos[1] = SF_NO_POS;
}

void sf_obj_release(uint32_t id)
{
	sf.objs[id].live = false;
	sf.free_ids[sf.nr_free_ids++] = id;
}

/* ------------------------------------------------------------------ */
/* The interval index                                                  */
/* ------------------------------------------------------------------ */

/* First position whose start is >= addr. */
static size_t index_lower_bound(uintptr_t addr)
{
	size_t lo = 0, hi = sf.nivals;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sf.ivals[mid].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void overlap_fail(uint32_t id, uint32_t other, uintptr_t start, size_t len)
{
	const struct sf_obj *a = &sf.objs[id], *b = &sf.objs[other];
	char what[80];

	snprintf(what, sizeof(what), "%s with %s%s", a->label,
		 b->zombie ? "misuse victim " : "", b->label);
	sf_model_fail("overlap", what,
		      "new object [%p, %p) overlaps a live object at %p (size %zu)",
		      (void *)start, (void *)(start + len), b->ptr, b->size);
}

void sf_index_add(uint32_t id, uintptr_t start, size_t len)
{
	size_t pos;

	if (!len)
		return;
	pos = index_lower_bound(start);
	if (pos > 0 && sf.ivals[pos - 1].end > start)
		overlap_fail(id, sf.ivals[pos - 1].obj, start, len);
	if (pos < sf.nivals && sf.ivals[pos].start < start + len)
		overlap_fail(id, sf.ivals[pos].obj, start, len);
	if (sf.nivals == sf.ivals_cap) {
		size_t cap = sf.ivals_cap ? sf.ivals_cap * 2 : 1024;
		struct sf_ival *n = realloc(sf.ivals, cap * sizeof(*n));

		if (!n)
			abort();
		sf.ivals = n;
		sf.ivals_cap = cap;
	}
	memmove(&sf.ivals[pos + 1], &sf.ivals[pos],
		(sf.nivals - pos) * sizeof(sf.ivals[0]));
	sf.ivals[pos] = (struct sf_ival){ start, start + len, id };
	sf.nivals++;
}

void sf_index_del(uint32_t id, uintptr_t start)
{
	size_t pos = index_lower_bound(start);

	if (pos == sf.nivals || sf.ivals[pos].start != start ||
	    sf.ivals[pos].obj != id) {
		fprintf(stderr, "slabfuzz: internal: interval %p of object %u missing\n",
			(void *)start, id);
		abort();
	}
	memmove(&sf.ivals[pos], &sf.ivals[pos + 1],
		(sf.nivals - pos - 1) * sizeof(sf.ivals[0]));
	sf.nivals--;
}

/*
 * A vmalloc area occupies its virtual range plus the guard page after it,
 * and the linear-map ranges of its pages (runs of consecutive pfns): two
 * live objects sharing a physical page is an overlap too.
 */
static void vmalloc_intervals(uint32_t id, bool add)
{
	const struct sf_obj *o = &sf.objs[id];
	unsigned long nr = PAGE_ALIGN(o->size) >> PAGE_SHIFT;
	uintptr_t run = 0;
	size_t run_len = 0;

	if (add)
		sf_index_add(id, (uintptr_t)o->ptr, (nr + 1) * PAGE_SIZE);
	else
		sf_index_del(id, (uintptr_t)o->ptr);
	for (unsigned long i = 0; i < nr; i++) {
		const char *va = (const char *)o->ptr + i * PAGE_SIZE;
		struct page *pg = vmalloc_to_page(va);
		uintptr_t lin;

		if (!pg)
			sf_model_fail("unmapped page in", o->label,
				      "vmalloc_to_page(%p) is NULL (page %lu of %lu)",
				      (const void *)va, i, nr);
		lin = (uintptr_t)page_address(pg);
		if (add && (lin < sf.lin_start || lin >= sf.lin_end || PageBuddy(pg)))
			sf_model_fail("bad backing page in", o->label,
				      "page %lu of the area at %p: linear address %p%s",
				      i, o->ptr, (void *)lin,
				      PageBuddy(pg) ? " is on a buddy free list" : " outside the arena");
		if (run_len && lin == run + run_len) {
			run_len += PAGE_SIZE;
			continue;
		}
		if (run_len) {
			if (add)
				sf_index_add(id, run, run_len);
			else
				sf_index_del(id, run);
		}
		run = lin;
		run_len = PAGE_SIZE;
	}
	if (run_len) {
		if (add)
			sf_index_add(id, run, run_len);
		else
			sf_index_del(id, run);
	}
}

static bool obj_in_vmalloc(const struct sf_obj *o)
{
	return o->kind == SF_K_VMALLOC || (o->kind == SF_K_KV && o->vmapped);
}

void sf_index_add_obj(uint32_t id)
{
	const struct sf_obj *o = &sf.objs[id];

	if (!o->extent)
		return;
	if (obj_in_vmalloc(o))
		vmalloc_intervals(id, true);
	else
		sf_index_add(id, (uintptr_t)o->ptr, o->extent);
}

void sf_index_del_obj(uint32_t id)
{
	const struct sf_obj *o = &sf.objs[id];

	if (!o->extent)
		return;
	if (obj_in_vmalloc(o))
		vmalloc_intervals(id, false);
	else
		sf_index_del(id, (uintptr_t)o->ptr);
}

/* ------------------------------------------------------------------ */
/* Fresh allocations                                                   */
/* ------------------------------------------------------------------ */

int sf_obj_new(const struct sf_newobj *n)
{
	uintptr_t p = (uintptr_t)n->ptr;
	bool in_vm = n->kind == SF_K_VMALLOC ||
		     (n->kind == SF_K_KV && is_vmalloc_addr(n->ptr));
	struct sf_obj *o;
	int id;

	sf_digest_ptr(n->ptr);
	if (!sf.raw && n->extent) {
		uintptr_t lo = in_vm ? sf.vm_start : sf.lin_start;
		uintptr_t hi = in_vm ? sf.vm_end : sf.lin_end;
		uintptr_t base = in_vm ? sf.vm_start : sf.lin_start;

		if (p < lo || p >= hi || n->extent > hi - p)
			sf_model_fail("out of range", n->label,
				      "[%p, +%zu) is outside the %s range [%p, %p)",
				      n->ptr, n->extent, in_vm ? "vmalloc" : "linear",
				      (void *)lo, (void *)hi);
		if (n->align > 1 && (p - base) % n->align)
			sf_model_fail("misaligned", n->label,
				      "%p (offset %#lx in the %s range) is not aligned to %zu",
				      n->ptr, (unsigned long)(p - base),
				      in_vm ? "vmalloc" : "linear", n->align);
		if (!in_vm && n->max_zone >= 0 &&
		    (sf_zone_of(p) > n->max_zone ||
		     sf_zone_of(p + n->extent - 1) > n->max_zone))
			sf_model_fail("wrong zone", n->label,
				      "[%p, +%zu) lies in zone %s, allowed up to %s",
				      n->ptr, n->extent, zone_name(sf_zone_of(p)),
				      zone_name((enum zone_type)n->max_zone));
	}
	id = sf_obj_alloc(n->kind);
	if (id < 0)
		return -1;
	o = &sf.objs[id];
	o->ptr = n->ptr;
	o->page = n->page;
	o->size = n->size;
	o->extent = n->extent;
	o->order = n->order;
	o->cache = n->cache;
	o->large = n->large;
	o->vmapped = n->kind == SF_K_KV && in_vm;
	o->poisoned = n->poisoned;
	o->ctor = n->ctor;
	sf_str_copy(o->label, sizeof(o->label), n->label);
	sf_obj_link((uint32_t)id);
	if (sf.raw)
		return id;
	sf_index_add_obj((uint32_t)id);
	if (n->keep_len) {
		size_t bad = sf_pattern_check(n->ptr, n->keep_size, n->keep_len,
					      n->keep_seed);

		if (bad != SIZE_MAX)
			sf_model_fail("lost data in", n->label,
				      "object %p: byte %zu of the %zu that had to be kept is 0x%02x",
				      n->ptr, bad, n->keep_len, ((const uint8_t *)n->ptr)[bad]);
	}
	if (n->ctor && n->size) {
		size_t bad = sf_pattern_check(n->ptr, n->size, n->size,
					      sf_ctor_seed(n->cache));
		if (bad != SIZE_MAX)
			sf_model_fail("ctor not run in", n->label,
				      "object %p byte %zu is 0x%02x, not the constructor's pattern",
				      n->ptr, bad, ((const uint8_t *)n->ptr)[bad]);
	} else if (n->zero_from < n->size) {
		size_t bad = sf_zero_check((const char *)n->ptr + n->zero_from,
					   n->size - n->zero_from);

		if (bad != SIZE_MAX)
			sf_model_fail("not zeroed", n->label,
				      "object %p size %zu: byte %zu is 0x%02x",
				      n->ptr, n->size, n->zero_from + bad,
				      ((const uint8_t *)n->ptr)[n->zero_from + bad]);
	}
	sf_obj_write_pattern((uint32_t)id);
	if (o->vmapped || n->kind == SF_K_VMALLOC) {
		/* the same physical page at both addresses */
		size_t last = (o->size - 1) & PAGE_MASK;
		const uint8_t *lin = page_address(vmalloc_to_page((const char *)n->ptr + last));

		if (lin[0] != ((const uint8_t *)n->ptr)[last])
			sf_model_fail("alias mismatch in", n->label,
				      "byte at %p differs from its linear alias %p",
				      (const void *)((const char *)n->ptr + last), (const void *)lin);
	}
	return id;
}

void sf_obj_free_prepare(uint32_t id)
{
	struct sf_obj *o = &sf.objs[id];

	sf_digest_ptr(o->ptr);
	sf_obj_check_pattern(id, "at free");
	/* a kernel caller gives a ctor cache's object back constructed */
	if (o->ctor && o->size && !sf.raw)
		sf_pattern_fill(o->ptr, o->size, sf_ctor_seed(o->cache));
}

void sf_obj_forget(uint32_t id)
{
	struct sf_obj *o = &sf.objs[id];

	if (!sf.raw)
		sf_index_del_obj(id);
	sf_obj_unlink(id);
	if (o->kind == SF_K_CACHE && sf.caches[o->cache].nobjs)
		sf.caches[o->cache].nobjs--;
	sf_obj_release(id);
}

void sf_obj_make_zombie(uint32_t id)
{
	struct sf_obj *o = &sf.objs[id];

	sf_obj_unlink(id);
	o->zombie = true;
	sf.nr_zombies++;
}

/* ------------------------------------------------------------------ */
/* Slab orders and vmalloc holes (the zones and reclaim: zones.c)     */
/* ------------------------------------------------------------------ */

/*
 * An upper bound of the slab order of a cache (calculate_order never goes
 * beyond max(slub_max_order = 3, get_order(s->size))); s->size is bounded
 * generously for red zones, tracks and alignment padding.
 */
unsigned int sf_slab_order_bound(size_t object_size, unsigned int align)
{
	size_t bound = 3 * object_size + 2 * (size_t)align + 1024;
	int o = get_order(bound);

	return o < 3 ? 3 : (unsigned int)o;
}

/* The largest hole in the vmalloc range left by the model's areas. */
static size_t vmalloc_largest_hole(void)
{
	size_t pos = index_lower_bound(sf.vm_start), best = 0;
	uintptr_t cur = sf.vm_start;

	for (; pos < sf.nivals && sf.ivals[pos].start < sf.vm_end; pos++) {
		if (sf.ivals[pos].start - cur > best)
			best = sf.ivals[pos].start - cur;
		cur = sf.ivals[pos].end;
	}
	if (sf.vm_end - cur > best)
		best = sf.vm_end - cur;
	return best;
}

bool sf_vmalloc_must_succeed(size_t size, gfp_t gfp)
{
	unsigned long nr;
	gfp_t page_gfp = gfp;

	if (!size || size > (size_t)1 << 40)
		return false;
	nr = PAGE_ALIGN(size) >> PAGE_SHIFT;
	if (nr > totalram_pages() / 2)
		return false;
	/* the area, its guard page, and a page of slack */
	if (vmalloc_largest_hole() < (nr + 2) * PAGE_SIZE)
		return false;
	if (!(page_gfp & (__GFP_DMA | __GFP_DMA32)))
		page_gfp |= __GFP_HIGHMEM;
	return sf_must_succeed(page_gfp, 0, nr);
}

/* ------------------------------------------------------------------ */
/* Digest and slab_debug                                               */
/* ------------------------------------------------------------------ */

void sf_digest(uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		sf.digest ^= (v >> (8 * i)) & 0xff;
		sf.digest *= 0x100000001b3ull;
	}
}

/* Addresses as offsets into their range: the same run to run. */
void sf_digest_ptr(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (a >= sf.lin_start && a < sf.lin_end)
		sf_digest(1ull << 62 | (a - sf.lin_start));
	else if (a >= sf.vm_start && a < sf.vm_end)
		sf_digest(2ull << 62 | (a - sf.vm_start));
	else
		sf_digest(3ull << 62 | (a <= 4096 ? a : 4097));
}
