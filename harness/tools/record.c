/*
 * The recorder's core (see record.h): the variables that name pointers
 * in the emitted C, how a pointer, page or cache is spelled, the buffer
 * of the current op's statements, and what the model's checks turn into
 * at the op of a finding. The wrappers that feed it are record_calls.c.
 *
 * Every call the harness makes at top level (depth 0: not from inside an
 * allocator call, such as a constructor or a shrinker) becomes one
 * statement. Pointers the allocator returns are v[k]; a pointer handed back
 * is the variable it came from (plus an offset), so the emitted program
 * means the same on any run. Questions the harness asks (virt_to_cache,
 * page_count, ...) are kept only for the op of the finding, where they are
 * the model's evidence: a model check with no direct C form is emitted as
 * "the allocator gives the answers the model rejected" (every question and
 * every result of that op, compared with what it was).
 */
#include "tools/record.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tools/record_int.h"

struct sfr_state sfr;

/* ------------------------------------------------------------------ */
/* Variables                                                           */
/* ------------------------------------------------------------------ */

int sfr_var_new(enum sfr_vtype type, const void *val, size_t extent)
{
	struct sfr_var *v;

	if (sfr.nvars >= SFR_MAX_VARS)
		return SFR_MAX_VARS - 1;	/* reused slot: the program is huge */
	v = &sfr.vars[sfr.nvars];
	*v = (struct sfr_var){ .val = (uintptr_t)val, .extent = extent,
			       .type = (uint8_t)type, .live = val != NULL };
	return sfr.nvars++;
}

void sfr_var_set(int k, const void *val, size_t extent)
{
	sfr.vars[k].val = (uintptr_t)val;
	sfr.vars[k].extent = extent;
	sfr.vars[k].live = val != NULL;
}

static int find_exact(enum sfr_vtype type, uintptr_t p, bool live_only)
{
	for (int k = sfr.nvars - 1; k >= 0; k--)
		if (sfr.vars[k].type == type && sfr.vars[k].val == p &&
		    (!live_only || sfr.vars[k].live))
			return k;
	return -1;
}

int sfr_var_of(enum sfr_vtype type, const void *p)
{
	int k = find_exact(type, (uintptr_t)p, true);

	return k >= 0 ? k : find_exact(type, (uintptr_t)p, false);
}

void sfr_var_kill(enum sfr_vtype type, const void *p)
{
	int k = find_exact(type, (uintptr_t)p, true);

	if (k >= 0)
		sfr.vars[k].live = false;
}

static int find_containing(enum sfr_vtype type, uintptr_t p, bool live_only)
{
	for (int k = sfr.nvars - 1; k >= 0; k--) {
		const struct sfr_var *v = &sfr.vars[k];

		if (v->type == type && v->val && p > v->val && p - v->val < v->extent &&
		    (!live_only || v->live))
			return k;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Spelling pointers                                                   */
/* ------------------------------------------------------------------ */

/* How far outside an object a pointer is still spelled from it. */
#define SFR_NEAR	64

static char *ring_buf(void)
{
	static char ring[16][96];
	static unsigned int next;

	return ring[next++ % 16];
}

const char *sfr_ptr(const void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	char *b = ring_buf();
	void *ls, *le, *vs, *ve;
	int k;

	if (!ptr)
		return "NULL";
	if (ptr == ZERO_SIZE_PTR)
		return "ZERO_SIZE_PTR";
	if ((k = sfr_var_of(SFR_MEM, ptr)) >= 0) {
		snprintf(b, 96, "v[%d]", k);
		return b;
	}
	if ((k = find_containing(SFR_MEM, p, true)) >= 0 ||
	    (k = find_containing(SFR_MEM, p, false)) >= 0) {
		snprintf(b, 96, "((char *)v[%d] + %lu)", k,
			 (unsigned long)(p - sfr.vars[k].val));
		return b;
	}
	/* just past or just before an object: an out-of-bounds access */
	for (k = sfr.nvars - 1; k >= 0; k--) {
		const struct sfr_var *v = &sfr.vars[k];

		if (v->type != SFR_MEM || !v->val || !v->live)
			continue;
		if (p >= v->val + v->extent && p - v->val < v->extent + SFR_NEAR) {
			snprintf(b, 96, "((char *)v[%d] + %lu)", k, (unsigned long)(p - v->val));
			return b;
		}
		if (p < v->val && v->val - p <= SFR_NEAR) {
			snprintf(b, 96, "((char *)v[%d] - %lu)", k, (unsigned long)(v->val - p));
			return b;
		}
	}
	if (sfr.wild && p >= (uintptr_t)sfr.wild && p < (uintptr_t)sfr.wild + sfr.wild_len) {
		snprintf(b, 96, "(sfr_wild + %lu)", (unsigned long)(p - (uintptr_t)sfr.wild));
		return b;
	}
	kalloc_linear_range(&ls, &le);
	kalloc_vmalloc_range(&vs, &ve);
	if (p >= (uintptr_t)ls && p < (uintptr_t)le)
		snprintf(b, 96, "sfr_lin(%#lx)", (unsigned long)(p - (uintptr_t)ls));
	else if (p >= (uintptr_t)vs && p < (uintptr_t)ve)
		snprintf(b, 96, "sfr_vm(%#lx)", (unsigned long)(p - (uintptr_t)vs));
	else
		snprintf(b, 96, "(void *)%#lx /* host memory */", (unsigned long)p);
	return b;
}

const char *sfr_page(const struct page *pg)
{
	char *b = ring_buf();
	unsigned long pfn;
	int k;

	if (!pg)
		return "NULL";
	if ((k = sfr_var_of(SFR_PAGE, pg)) >= 0) {
		snprintf(b, 96, "v[%d]", k);
		return b;
	}
	pfn = page_to_pfn(pg);
	if (!pfn_valid(pfn) || pfn_to_page(pfn) != pg)
		return "NULL /* not a struct page */";
	for (k = sfr.nvars - 1; k >= 0; k--) {
		const struct sfr_var *v = &sfr.vars[k];
		unsigned long head;

		if (v->type != SFR_PAGE || !v->val)
			continue;
		head = page_to_pfn((const struct page *)v->val);
		if (pfn > head && pfn - head < v->extent) {
			snprintf(b, 96, "pfn_to_page(page_to_pfn(v[%d]) + %lu)", k, pfn - head);
			return b;
		}
	}
	snprintf(b, 96, "pfn_to_page(%lu)", pfn);
	return b;
}

const char *sfr_cache(const struct kmem_cache *s)
{
	static const gfp_t types[] = { GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE,
				       GFP_KERNEL | GFP_DMA, GFP_KERNEL_ACCOUNT };
	char *b = ring_buf();
	int k;

	if (!s)
		return "NULL";
	if ((k = sfr_var_of(SFR_CACHE, s)) >= 0) {
		snprintf(b, 96, "v[%d]", k);
		return b;
	}
	/* a kmalloc cache: the request that picks it */
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (size_t size = 8; size <= KMALLOC_MAX_CACHE_SIZE; size += 8)
			if (kmalloc_slab(size, types[t]) == s) {
				snprintf(b, 96, "kmalloc_slab(%zu, %#x)", size, types[t]);
				return b;
			}
	return "NULL /* a cache the program never made */";
}

/* The bytes a pointer returned by an allocation may be named inside. */
size_t sfr_extent(const void *p, size_t size)
{
	struct kmem_cache *s;

	if (!p || p == ZERO_SIZE_PTR)
		return 0;
	if (is_vmalloc_addr(p))
		return PAGE_ALIGN(size);
	s = virt_to_cache(p);
	if (s)
		return kmem_cache_size(s) > size ? kmem_cache_size(s) : size;
	return size > PAGE_SIZE ? PAGE_SIZE << get_order(size) : PAGE_SIZE;
}

/* ------------------------------------------------------------------ */
/* The current op's statements                                         */
/* ------------------------------------------------------------------ */

static void buf_add(bool question, const char *s)
{
	size_t n = strlen(s);

	if (sfr.oplen + n + 2 > sfr.opcap) {
		size_t cap = (sfr.opcap ? sfr.opcap * 2 : 1 << 16) + n;
		char *q = realloc(sfr.op, cap);

		if (!q)
			return;
		sfr.op = q;
		sfr.opcap = cap;
	}
	/* a question line is marked with \1 and dropped unless it is needed */
	if (question)
		sfr.op[sfr.oplen++] = '\1';
	memcpy(sfr.op + sfr.oplen, s, n);
	sfr.oplen += n;
	sfr.op[sfr.oplen++] = '\n';
	sfr.op[sfr.oplen] = 0;
}

void sfr_emitf(bool question, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	buf_add(question, line);
}

void sfr_answer(const char *fmt, ...)
{
	va_list ap;

	if (sfr.nanswers >= SFR_MAX_ANSWERS)
		return;
	va_start(ap, fmt);
	vsnprintf(sfr.answers[sfr.nanswers++], sizeof(sfr.answers[0]), fmt, ap);
	va_end(ap);
}

/* Write the buffered op out: its questions too when keep_questions. */
static void op_flush(bool keep_questions)
{
	char *line = sfr.op, *nl;

	if (!sfr.op || !sfr.out)
		return;
	for (; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (*line == '\1') {
			if (keep_questions)
				fprintf(sfr.out, "\t%.*s\n", (int)(nl ? nl - line - 1 : (long)strlen(line + 1)), line + 1);
			continue;
		}
		fprintf(sfr.out, "\t%.*s\n", (int)(nl ? nl - line : (long)strlen(line)), line);
	}
	sfr.oplen = 0;
	sfr.op[0] = 0;
	sfr.nanswers = 0;
	fflush(sfr.out);
}

/* The pool's contents as the model has them (its shrinker frees the last). */
static void pool_sync(void)
{
	uint32_t n = sf.nlist[SF_K_POOL];
	bool prefix = n <= sfr.npool;

	for (uint32_t i = 0; prefix && i < n; i++)
		prefix = sfr.pool[i] == sf.objs[sf.list[SF_K_POOL][i]].page;
	if (!prefix) {
		char line[1024];
		size_t len = (size_t)snprintf(line, sizeof(line), "sfr_pool_set(%u", n);

		for (uint32_t i = 0; i < n && len < sizeof(line) - 80; i++) {
			const struct sf_obj *o = &sf.objs[sf.list[SF_K_POOL][i]];

			len += (size_t)snprintf(line + len, sizeof(line) - len,
						", (struct page *)%s, %uu",
						sfr_page(o->page), o->order);
		}
		snprintf(line + len, sizeof(line) - len, ");");
		buf_add(false, line);
	}
	for (uint32_t i = 0; i < n && i < SFR_MAX_POOL; i++)
		sfr.pool[i] = sf.objs[sf.list[SF_K_POOL][i]].page;
	sfr.npool = n < SFR_MAX_POOL ? n : SFR_MAX_POOL;
}

/* Called at the start of every recorded event at depth 0: a new op? */
void sfr_sync(void)
{
	const char *name = sf.op_name ? sf.op_name : "setup";
	char text[512] = "";

	if (!sfr.out)
		return;
	if (sf.op != sfr.cur_op || name != sfr.cur_name ||
	    (sf.op && sf.op_index != sfr.cur_index)) {
		op_flush(false);
		sfr.nops_ptrs = 0;
		sfr.last_alloc_var = -1;
		sfr.cur_op = sf.op;
		sfr.cur_name = name;
		sfr.cur_index = sf.op_index;
		if (sf.op) {
			sf_format_op(sf.op, text, sizeof(text));
			sfr_emitf(false, "/* op %u: %s */", sf.op_index, text);
		} else {
			sfr_emitf(false, "/* %s */", name);
		}
		sfr_emitf(false, "sfr_op(\"%s\", %#x, %d);", name, sf.caller_gfp,
			  sf.caller_known);
		sfr.cur_gfp = sf.caller_gfp;
		sfr.cur_known = sf.caller_known;
	}
	/* the GFP the pool shrinker must see changes inside an op, too */
	if (sf.caller_gfp != sfr.cur_gfp || sf.caller_known != sfr.cur_known) {
		sfr_emitf(false, "sfr_caller(%#x, %d);", sf.caller_gfp, sf.caller_known);
		sfr.cur_gfp = sf.caller_gfp;
		sfr.cur_known = sf.caller_known;
	}
	pool_sync();
}

/* ------------------------------------------------------------------ */
/* Life cycle and notes                                                */
/* ------------------------------------------------------------------ */

void sfr_start(FILE *out)
{
	free(sfr.op);
	sfr = (struct sfr_state){ .out = out, .last_alloc_var = -1 };
}

bool sfr_active(void)
{
	return sfr.out != NULL;
}

void sfr_set_finding_hook(sfr_finding_fn fn, void *arg)
{
	sfr.hook = fn;
	sfr.hook_arg = arg;
}

size_t sfr_op_pointers(const void **out, size_t max)
{
	size_t n = 0;

	for (unsigned int i = sfr.nops_ptrs; i-- > 0 && n < max;)
		out[n++] = sfr.op_ptrs[i];
	return n;
}

void sfr_note_ptr(const void *p)
{
	if (p && p != ZERO_SIZE_PTR && sfr.nops_ptrs < SFR_MAX_OP_PTRS)
		sfr.op_ptrs[sfr.nops_ptrs++] = p;
}

void sfr_note_report_addr(const void *addr)
{
	sfr.report_addr = addr;
}

void sfr_note_fill(const void *p, size_t len, uint16_t seed)
{
	if (!sfr.out || sfr.depth)
		return;
	sfr_sync();
	sfr_emitf(false, "sfr_fill(%s, %zu, %u);", sfr_ptr(p), len, seed);
}

void sfr_note_pattern_check(const void *p, size_t len, size_t limit, uint16_t seed)
{
	sfr.pc_p = p;
	sfr.pc_len = len;
	sfr.pc_limit = limit;
	sfr.pc_seed = seed;
}

void sfr_note_zero_check(const void *p, size_t len)
{
	sfr.zc_p = p;
	sfr.zc_len = len;
}

void sfr_note_poke(const void *addr, const void *src, size_t n)
{
	char bytes[8 * 4 + 1] = "";
	const uint8_t *s = src;

	if (!sfr.out || sfr.depth)
		return;
	sfr_sync();
	for (size_t i = 0; i < n && i < 8; i++)
		snprintf(bytes + 4 * i, 5, "\\x%02x", s[i]);
	sfr_emitf(false, "sfr_poke(%s, \"%s\", %zu);", sfr_ptr(addr), bytes, n < 8 ? n : 8);
	sfr_note_ptr(addr);
}

void sfr_note_window_open(void)
{
	if (!sfr.out || sfr.depth)
		return;
	sfr_sync();
	sfr_emitf(false, "sfr_window_open();");
}

void sfr_note_window_close(unsigned int expected, const char *what, const char *label)
{
	if (!sfr.out || sfr.depth)
		return;
	sfr_sync();
	sfr_emitf(false, "sfr_window_close(%#x, \"%s\", \"%s\");", expected, what,
		  label ? label : "");
}

void sfr_note_wild(const void *buf, size_t len)
{
	sfr.wild = buf;
	sfr.wild_len = len;
}

/* What a model check is in C, at the op where it failed. */
void sfr_note_check(const char *check, const char *what)
{
	const char *w = what && *what ? what : NULL;
	char wq[64];

	if (!sfr.out || sfr.depth)
		return;	/* inside an allocator call: the C shrinker checks itself */
	/* checks the runtime makes itself (sfr_window_close, the shrinker) */
	if (!strncmp(check, "unreported ", 11) || !strncmp(check, "shrink", 6))
		return;
	sfr_sync();
	snprintf(wq, sizeof(wq), w ? "\"%s\"" : "NULL", w ? w : "");
	if (!strcmp(check, "spurious failure") && sfr.last_alloc_var >= 0) {
		sfr_emitf(false, "if (!%s)", sfr.last_alloc_expr);
	} else if ((!strcmp(check, "limit not enforced") ||
		    !strcmp(check, "overflow not caught") ||
		    !strcmp(check, "watermark not enforced")) && sfr.last_alloc_var >= 0) {
		sfr_emitf(false, "if (%s)", sfr.last_alloc_expr);
	} else if (!strcmp(check, "not ZERO_SIZE_PTR") && sfr.last_alloc_var >= 0) {
		sfr_emitf(false, "if (%s != ZERO_SIZE_PTR)", sfr.last_alloc_expr);
	} else if (!strcmp(check, "not zeroed") && sfr.zc_p) {
		sfr_emitf(false, "if (sfr_zero_check(%s, %zu) != SIZE_MAX)",
			  sfr_ptr(sfr.zc_p), sfr.zc_len);
	} else if ((!strcmp(check, "pattern damaged in") || !strcmp(check, "lost data in") ||
		    !strcmp(check, "ctor not run in")) && sfr.pc_p) {
		sfr_emitf(false, "if (sfr_pattern_check(%s, %zu, %zu, %u) != SIZE_MAX)",
			  sfr_ptr(sfr.pc_p), sfr.pc_len, sfr.pc_limit, sfr.pc_seed);
	} else if (!strcmp(check, "pages leaked") || !strcmp(check, "reset lost pages")) {
		sfr_emitf(false, "if (nr_free_pages() != sfr_init_free)");
	} else if (!sfr.nanswers) {
		sfr_emitf(false, "/* the model's check \"%s\" has no C form here: "
			  "this program makes the calls but does not check */", check);
		return;
	} else {
		/* the model's evidence: every answer of this op as it was */
		char line[8192];
		size_t len = (size_t)snprintf(line, sizeof(line), "if (1");

		for (unsigned int i = 0; i < sfr.nanswers && len < sizeof(line) - 200; i++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " &&\n\t    %s",
						sfr.answers[i]);
		snprintf(line + len, sizeof(line) - len, ")\t/* the answers the model rejected */");
		sfr_emitf(false, "%s", line);
		sfr.keep_questions = true;
	}
	sfr_emitf(false, "\tsfr_fail(\"%s\", %s);", check, wq);
}

void sfr_note_finding(const char *title)
{
	if (!sfr.out)
		return;
	if (!sfr.depth)
		sfr_sync();
	op_flush(sfr.keep_questions);
	fprintf(sfr.out, "/* SLABFUZZ-COUNTS: %d %lu */\n", sfr.nvars, sfr.ncalls);
	fprintf(sfr.out, "/* SLABFUZZ-FINDING: %s */\n", title);
	fflush(sfr.out);
	if (sfr.hook) {
		sfr_finding_fn fn = sfr.hook;

		sfr.hook = NULL;	/* once, even if drawing reports */
		fn(title, sfr.report_addr, sfr.hook_arg);
	}
}

void sfr_finish(void)
{
	if (!sfr.out)
		return;
	op_flush(false);
	fprintf(sfr.out, "/* SLABFUZZ-COUNTS: %d %lu */\n", sfr.nvars, sfr.ncalls);
	fflush(sfr.out);
}
