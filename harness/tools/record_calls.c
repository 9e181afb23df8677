/*
 * The recorder's wrappers: one per kalloc function the harness calls
 * (record_wrap.h renames the calls). Each makes the real call; at top
 * level it also writes the call down as a C statement, before making it,
 * so that a call during which the finding comes is in the program. Calls
 * with side effects are always written; questions (virt_to_cache,
 * page_count, ...) only count for the op of a finding (record.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "tools/record_int.h"

#define TOP()	(sfr.out && sfr.depth == 0)
#define CALL(stmt) do { sfr.depth++; stmt; sfr.depth--; } while (0)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static unsigned long slot(void)
{
	return sfr.ncalls++;
}

/* "v[k] = <call>;" for an allocation: the variable, value still unknown. */
static int alloc_begin(enum sfr_vtype type, const char *call)
{
	int k;

	if (!TOP())
		return -1;
	k = sfr_var_new(type, NULL, 0);
	sfr_emitf(false, "v[%d] = %s;", k, call);
	sfr.last_alloc_var = k;
	snprintf(sfr.last_alloc_expr, sizeof(sfr.last_alloc_expr), "v[%d]", k);
	return k;
}

/* An address as the reproducer names it: repro_runtime.c's sfr_off() turns
 * it back, so the two must encode alike (the runtime is embedded as text
 * in a standalone program and cannot share this code). */
static unsigned long range_off(const void *p)
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

static void alloc_end(int k, const void *r, size_t size)
{
	if (k < 0)
		return;
	sfr_var_set(k, r, sfr_extent(r, size));
	if (!r)
		sfr_answer("!v[%d]", k);
	else if (r == ZERO_SIZE_PTR)
		sfr_answer("v[%d] == ZERO_SIZE_PTR", k);
	else
		sfr_answer("sfr_off(v[%d]) == %#lxul", k, range_off(r));
	sfr_note_ptr(r);
}

static void pages_end(int k, const struct page *pg, unsigned int order)
{
	if (k < 0)
		return;
	sfr_var_set(k, pg, 1UL << order);
	if (pg) {
		sfr_answer("page_to_pfn(v[%d]) == %luul", k, page_to_pfn(pg));
		sfr_note_ptr(page_address(pg));
	} else {
		sfr_answer("!v[%d]", k);
	}
}

/* A statement with a scalar result: "r[c] = <call>;" and its answer. */
static long scalar_begin(const char *call)
{
	unsigned long c;

	if (!TOP())
		return -1;
	c = slot();
	sfr_emitf(false, "r[%lu] = (long)%s;", c, call);
	return (long)c;
}

static void scalar_end(long c, long value)
{
	if (c >= 0)
		sfr_answer("r[%ld] == %ldl", c, value);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	static char b[4][1024];
	static unsigned int n;
	char *s = b[n++ % 4];
	va_list ap;

	va_start(ap, f);
	vsnprintf(s, 1024, f, ap);
	va_end(ap);
	return s;
}

/* Questions: kept for the op of a finding only. */
static void q_scalar(const char *call, long value)
{
	unsigned long c;

	if (!TOP())
		return;
	c = slot();
	sfr_emitf(true, "r[%lu] = (long)%s;", c, call);
	sfr_answer("r[%lu] == %ldl", c, value);
}

static void q_ptr(enum sfr_vtype type, const char *call, const void *value)
{
	unsigned long c;
	int k;

	if (!TOP())
		return;
	c = slot();
	sfr_emitf(true, "q[%lu] = (void *)%s;", c, call);
	if (!value) {
		sfr_answer("!q[%lu]", c);
	} else if ((k = sfr_var_of(type, value)) >= 0) {
		sfr_answer("q[%lu] == v[%d]", c, k);
	} else if (type == SFR_PAGE) {
		sfr_answer("page_to_pfn(q[%lu]) == %luul", c, page_to_pfn(value));
	} else if (type == SFR_CACHE) {
		sfr_answer("!strcmp(kmem_cache_name(q[%lu]), \"%s\")", c,
			   kmem_cache_name(value));
	} else {
		sfr_answer("sfr_off(q[%lu]) == %#lxul", c, range_off(value));
	}
}

/* ------------------------------------------------------------------ */
/* kmalloc                                                             */
/* ------------------------------------------------------------------ */

void *sfr_kmalloc(size_t a, gfp_t b)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM, fmt("kmalloc(%zuul, %#x)", a, b))) : -1;

	CALL(r = kmalloc(a, b));
	alloc_end(k, r, a);
	return r;
}

void *sfr_kzalloc(size_t a, gfp_t b)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM, fmt("kzalloc(%zuul, %#x)", a, b))) : -1;

	CALL(r = kzalloc(a, b));
	alloc_end(k, r, a);
	return r;
}

void *sfr_kcalloc(size_t a, size_t b, gfp_t c)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM,
			 fmt("kcalloc(%zuul, %zuul, %#x)", a, b, c))) : -1;

	CALL(r = kcalloc(a, b, c));
	alloc_end(k, r, a * b);
	return r;
}

void *sfr_kmalloc_array(size_t a, size_t b, gfp_t c)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM,
			 fmt("kmalloc_array(%zuul, %zuul, %#x)", a, b, c))) : -1;

	CALL(r = kmalloc_array(a, b, c));
	alloc_end(k, r, a * b);
	return r;
}

void *sfr_krealloc(const void *a, size_t b, gfp_t c)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM,
			 fmt("krealloc(%s, %zuul, %#x)", sfr_ptr(a), b, c))) : -1;

	sfr_note_ptr(a);
	CALL(r = krealloc(a, b, c));
	if (k >= 0 && (r || !b))
		sfr_var_kill(SFR_MEM, a);
	alloc_end(k, r, b);
	return r;
}

void *sfr_krealloc_array(void *a, size_t b, size_t c, gfp_t d)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM,
			 fmt("krealloc_array(%s, %zuul, %zuul, %#x)", sfr_ptr(a), b, c, d))) : -1;

	sfr_note_ptr(a);
	CALL(r = krealloc_array(a, b, c, d));
	if (k >= 0 && (r || b == 0 || c == 0))
		sfr_var_kill(SFR_MEM, a);
	alloc_end(k, r, b * c);
	return r;
}

void *sfr_kmemdup(const void *a, size_t b, gfp_t c)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM,
			 fmt("kmemdup(%s, %zuul, %#x)", sfr_ptr(a), b, c))) : -1;

	sfr_note_ptr(a);
	CALL(r = kmemdup(a, b, c));
	alloc_end(k, r, b);
	return r;
}

static void free_stmt(const char *fn, const void *p)
{
	if (!TOP())
		return;
	sfr_sync();
	sfr_emitf(false, "%s(%s);", fn, sfr_ptr(p));
	sfr_note_ptr(p);
}

void sfr_kfree(const void *a)
{
	free_stmt("kfree", a);
	CALL(kfree(a));
	if (TOP())
		sfr_var_kill(SFR_MEM, a);
}

void sfr_kfree_sensitive(const void *a)
{
	free_stmt("kfree_sensitive", a);
	CALL(kfree_sensitive(a));
	if (TOP())
		sfr_var_kill(SFR_MEM, a);
}

size_t sfr_ksize(const void *a)
{
	size_t r;
	long c = TOP() ? (sfr_sync(), scalar_begin(fmt("ksize(%s)", sfr_ptr(a)))) : -1;

	sfr_note_ptr(a);
	CALL(r = ksize(a));
	scalar_end(c, (long)r);
	return r;
}

/* ------------------------------------------------------------------ */
/* kmem_cache                                                          */
/* ------------------------------------------------------------------ */

struct kmem_cache *sfr_kmem_cache_create(const char *a, unsigned int b, unsigned int c,
					 slab_flags_t d, void (*e)(void *))
{
	struct kmem_cache *r;
	unsigned int n = 0;
	int k = -1;

	if (TOP()) {
		char ctor[96] = "NULL";

		sfr_sync();
		if (e && sscanf(a, "sfcache%u", &n) == 1 && n < SF_MAX_CACHES)
			snprintf(ctor, sizeof(ctor), "sfr_ctor(%u, %u, %u)", n, b, sf_ctor_seed(n));
		k = alloc_begin(SFR_CACHE, fmt("kmem_cache_create(\"%s\", %u, %u, %#x, %s)",
					       a, b, c, d, ctor));
	}
	CALL(r = kmem_cache_create(a, b, c, d, e));
	if (k >= 0) {
		sfr_var_set(k, r, 0);
		sfr_answer(r ? "v[%d] != NULL" : "!v[%d]", k);
	}
	return r;
}

static void *cache_alloc(const char *fn, struct kmem_cache *a, gfp_t b, bool zero)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM,
			 fmt("%s(%s, %#x)", fn, sfr_cache(a), b))) : -1;

	CALL(r = zero ? kmem_cache_zalloc(a, b) : kmem_cache_alloc(a, b));
	alloc_end(k, r, a ? kmem_cache_size(a) : 0);
	return r;
}

void *sfr_kmem_cache_alloc(struct kmem_cache *a, gfp_t b)
{
	return cache_alloc("kmem_cache_alloc", a, b, false);
}

void *sfr_kmem_cache_zalloc(struct kmem_cache *a, gfp_t b)
{
	return cache_alloc("kmem_cache_zalloc", a, b, true);
}

void sfr_kmem_cache_free(struct kmem_cache *a, void *b)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "kmem_cache_free(%s, %s);", sfr_cache(a), sfr_ptr(b));
		sfr_note_ptr(b);
	}
	CALL(kmem_cache_free(a, b));
	if (TOP())
		sfr_var_kill(SFR_MEM, b);
}

int sfr_kmem_cache_alloc_bulk(struct kmem_cache *a, gfp_t b, size_t c, void **d)
{
	int r, k0 = -1;
	long s = -1;

	if (TOP() && c) {
		sfr_sync();
		k0 = sfr_var_new(SFR_MEM, NULL, 0);
		for (size_t i = 1; i < c; i++)
			sfr_var_new(SFR_MEM, NULL, 0);
		s = scalar_begin(fmt("kmem_cache_alloc_bulk(%s, %#x, %zu, &v[%d])",
				     sfr_cache(a), b, c, k0));
		sfr.last_alloc_var = k0;
		snprintf(sfr.last_alloc_expr, sizeof(sfr.last_alloc_expr), "r[%ld]", s);
	}
	CALL(r = kmem_cache_alloc_bulk(a, b, c, d));
	if (k0 >= 0) {
		for (int i = 0; i < r && (size_t)i < c; i++)
			alloc_end(k0 + i, d[i], kmem_cache_size(a));
		scalar_end(s, r);
	}
	return r;
}

void sfr_kmem_cache_free_bulk(struct kmem_cache *a, size_t b, void **c)
{
	if (TOP()) {
		char line[4096];
		size_t len;

		sfr_sync();
		if (!b) {
			sfr_emitf(false, "kmem_cache_free_bulk(%s, 0, NULL);", sfr_cache(a));
		} else {
			len = (size_t)snprintf(line, sizeof(line), "{ void *b[] = {");
			for (size_t i = 0; i < b && len < sizeof(line) - 100; i++) {
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s %s",
							i ? "," : "", sfr_ptr(c[i]));
				sfr_note_ptr(c[i]);
			}
			snprintf(line + len, sizeof(line) - len,
				 " }; kmem_cache_free_bulk(%s, %zu, b); }", sfr_cache(a), b);
			sfr_emitf(false, "%s", line);
		}
	}
	CALL(kmem_cache_free_bulk(a, b, c));
	if (TOP())
		for (size_t i = 0; i < b; i++)
			sfr_var_kill(SFR_MEM, c[i]);
}

int sfr_kmem_cache_shrink(struct kmem_cache *a)
{
	int r;
	long c = TOP() ? (sfr_sync(), scalar_begin(fmt("kmem_cache_shrink(%s)", sfr_cache(a)))) : -1;

	CALL(r = kmem_cache_shrink(a));
	scalar_end(c, r);
	return r;
}

void sfr_kmem_cache_destroy(struct kmem_cache *a)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "kmem_cache_destroy(%s);", sfr_cache(a));
	}
	CALL(kmem_cache_destroy(a));
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

struct page *sfr_alloc_pages(gfp_t a, unsigned int b)
{
	struct page *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_PAGE, fmt("alloc_pages(%#x, %u)", a, b))) : -1;

	CALL(r = alloc_pages(a, b));
	pages_end(k, r, b);
	return r;
}

void sfr___free_pages(struct page *a, unsigned int b)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "__free_pages(%s, %u);", sfr_page(a), b);
		if (a)
			sfr_note_ptr(page_address(a));
	}
	CALL(__free_pages(a, b));
	if (TOP())
		sfr_var_kill(SFR_PAGE, a);
}

void sfr_free_pages(unsigned long a, unsigned int b)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "free_pages((unsigned long)(uintptr_t)%s, %u);",
			  sfr_ptr((const void *)(uintptr_t)a), b);
		sfr_note_ptr((const void *)(uintptr_t)a);
	}
	CALL(free_pages(a, b));
}

void sfr_get_page(struct page *a)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "get_page(%s);", sfr_page(a));
	}
	CALL(get_page(a));
}

void sfr_put_page(struct page *a)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "put_page(%s);", sfr_page(a));
	}
	CALL(put_page(a));
}

/* ------------------------------------------------------------------ */
/* vmalloc and kvmalloc                                                */
/* ------------------------------------------------------------------ */

void *sfr_vmalloc(unsigned long a)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM, fmt("vmalloc(%luul)", a))) : -1;

	CALL(r = vmalloc(a));
	alloc_end(k, r, a);
	return r;
}

void *sfr_vzalloc(unsigned long a)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM, fmt("vzalloc(%luul)", a))) : -1;

	CALL(r = vzalloc(a));
	alloc_end(k, r, a);
	return r;
}

void sfr_vfree(const void *a)
{
	free_stmt("vfree", a);
	CALL(vfree(a));
	if (TOP())
		sfr_var_kill(SFR_MEM, a);
}

void *sfr_kvmalloc(size_t a, gfp_t b)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM, fmt("kvmalloc(%zuul, %#x)", a, b))) : -1;

	CALL(r = kvmalloc(a, b));
	alloc_end(k, r, a);
	return r;
}

void *sfr_kvzalloc(size_t a, gfp_t b)
{
	void *r;
	int k = TOP() ? (sfr_sync(), alloc_begin(SFR_MEM, fmt("kvzalloc(%zuul, %#x)", a, b))) : -1;

	CALL(r = kvzalloc(a, b));
	alloc_end(k, r, a);
	return r;
}

void sfr_kvfree(const void *a)
{
	free_stmt("kvfree", a);
	CALL(kvfree(a));
	if (TOP())
		sfr_var_kill(SFR_MEM, a);
}

/* ------------------------------------------------------------------ */
/* The machine                                                         */
/* ------------------------------------------------------------------ */

void sfr_kalloc_set_cpu(unsigned int a)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "kalloc_set_cpu(%u);", a);
	}
	CALL(kalloc_set_cpu(a));
}

unsigned long sfr_kalloc_reclaim(gfp_t a)
{
	unsigned long r;
	long c = TOP() ? (sfr_sync(), scalar_begin(fmt("kalloc_reclaim(%#x)", a))) : -1;

	CALL(r = kalloc_reclaim(a));
	scalar_end(c, (long)r);
	return r;
}

/* The harness judges a validation that finds problems but reports none;
 * inside a misuse window it only runs it (sfr_window_close judges). */
int sfr_kalloc_validate(void)
{
	int r;

	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, sf.in_misuse ? "kalloc_validate();" : "sfr_validate();");
	}
	CALL(r = kalloc_validate());
	return r;
}

int sfr_kalloc_validate_touched(void)
{
	int r;

	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, sf.in_misuse ? "kalloc_validate_touched();" :
						"sfr_validate_touched();");
	}
	CALL(r = kalloc_validate_touched());
	return r;
}

/* Only inside a misuse window, which judges what it reports. */
int sfr_kalloc_validate_range(const void *addr, size_t len)
{
	int r;

	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "kalloc_validate_range(%s, %zu);",
			  sfr_ptr(addr), len);
	}
	CALL(r = kalloc_validate_range(addr, len));
	return r;
}

void sfr_kalloc_reset(void)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "kalloc_reset();");
		sfr_emitf(false, "sfr_pool_set(0);");
		sfr.npool = 0;
	}
	CALL(kalloc_reset());
}

static void emit_config(const struct kalloc_config *c, const char *call)
{
	sfr_emitf(false, "{");
	sfr_emitf(false, "\tstruct kalloc_config cfg = kalloc_config_defaults();");
	sfr_emitf(false, "\tcfg.mem_bytes = %zuul;", c->mem_bytes);
	sfr_emitf(false, "\tcfg.dma_bytes = %zuul;", c->dma_bytes);
	sfr_emitf(false, "\tcfg.dma32_bytes = %zuul;", c->dma32_bytes);
	sfr_emitf(false, "\tcfg.ncpus = %u;", c->ncpus);
	sfr_emitf(false, "\tcfg.seed = %#llxull;", (unsigned long long)c->seed);
	if (c->slab_debug)
		sfr_emitf(false, "\tcfg.slab_debug = \"%s\";", c->slab_debug);
	else
		sfr_emitf(false, "\tcfg.slab_debug = NULL;");
	sfr_emitf(false, "\tcfg.continue_on_report = %s;", c->continue_on_report ? "true" : "false");
	sfr_emitf(false, "\tcfg.slab_nomerge = %s;", c->slab_nomerge ? "true" : "false");
	sfr_emitf(false, "\tcfg.freelist_random = %s;", c->freelist_random ? "true" : "false");
	sfr_emitf(false, "\tcfg.freelist_hardened = %s;", c->freelist_hardened ? "true" : "false");
	sfr_emitf(false, "\tcfg.init_on_alloc = %s;", c->init_on_alloc ? "true" : "false");
	sfr_emitf(false, "\tcfg.init_on_free = %s;", c->init_on_free ? "true" : "false");
	sfr_emitf(false, "\tcfg.page_poison = %s;", c->page_poison ? "true" : "false");
	sfr_emitf(false, "\tcfg.quarantine_bytes = %zuul;", c->quarantine_bytes);
	sfr_emitf(false, "\tcfg.vmalloc_bytes = %zuul;", c->vmalloc_bytes);
	sfr_emitf(false, "\tsfr_machine(%s(&cfg));", call);
	sfr_emitf(false, "}");
}

int sfr_kalloc_init(const struct kalloc_config *a)
{
	int r;

	if (TOP() && a) {
		sfr_sync();
		emit_config(a, "kalloc_init");
	}
	CALL(r = kalloc_init(a));
	return r;
}

int sfr_kalloc_reset_config(const struct kalloc_config *a)
{
	int r;

	if (TOP() && a) {
		sfr_sync();
		emit_config(a, "kalloc_reset_config");
	}
	CALL(r = kalloc_reset_config(a));
	return r;
}

int sfr_kalloc_switch(const struct kalloc_config *a)
{
	int r;

	if (TOP() && a) {
		sfr_sync();
		emit_config(a, "kalloc_switch");
	}
	CALL(r = kalloc_switch(a));
	return r;
}

int sfr_register_shrinker(struct shrinker *a, const char *b)
{
	int r;

	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "sfr_pool_register();");
	}
	CALL(r = register_shrinker(a, b));
	return r;
}

void sfr_unregister_shrinker(struct shrinker *a)
{
	if (TOP()) {
		sfr_sync();
		sfr_emitf(false, "sfr_pool_unregister();");
	}
	CALL(unregister_shrinker(a));
}

/* ------------------------------------------------------------------ */
/* Questions                                                           */
/* ------------------------------------------------------------------ */

#define Q_SCALAR(ret, name, T, spell)					\
	ret sfr_##name(T a)						\
	{								\
		ret r = name(a);					\
		if (TOP()) {						\
			sfr_sync();					\
			q_scalar(fmt(#name "(%s)", spell(a)), (long)r);	\
		}							\
		return r;						\
	}

#define Q_PTR(ret, name, T, spell, type)				\
	ret sfr_##name(T a)						\
	{								\
		ret r = name(a);					\
		if (TOP()) {						\
			sfr_sync();					\
			q_ptr(type, fmt(#name "(%s)", spell(a)), r);	\
		}							\
		return r;						\
	}

static const char *spell_ulong(unsigned long x)
{
	return fmt("%luul", x);
}

Q_PTR(struct kmem_cache *, virt_to_cache, const void *, sfr_ptr, SFR_CACHE)
Q_SCALAR(unsigned int, kmem_cache_size, struct kmem_cache *, sfr_cache)
Q_SCALAR(size_t, kmalloc_size_roundup, size_t, spell_ulong)
Q_SCALAR(int, page_count, const struct page *, sfr_page)
Q_SCALAR(bool, PageHead, const struct page *, sfr_page)
Q_SCALAR(bool, PageTail, const struct page *, sfr_page)
Q_SCALAR(bool, PageCompound, const struct page *, sfr_page)
Q_SCALAR(bool, PageBuddy, const struct page *, sfr_page)
Q_SCALAR(bool, PageSlab, const struct page *, sfr_page)
Q_SCALAR(unsigned int, compound_order, const struct page *, sfr_page)
Q_PTR(struct page *, compound_head, const struct page *, sfr_page, SFR_PAGE)
Q_SCALAR(unsigned long, page_to_pfn, const struct page *, sfr_page)
Q_PTR(struct page *, pfn_to_page, unsigned long, spell_ulong, SFR_PAGE)
Q_PTR(void *, page_address, const struct page *, sfr_page, SFR_MEM)
Q_PTR(struct page *, virt_to_page, const void *, sfr_ptr, SFR_PAGE)
Q_PTR(struct page *, vmalloc_to_page, const void *, sfr_ptr, SFR_PAGE)
Q_SCALAR(bool, is_vmalloc_addr, const void *, sfr_ptr)

struct kmem_cache *sfr_kmalloc_slab(size_t a, gfp_t b)
{
	struct kmem_cache *r = kmalloc_slab(a, b);

	if (TOP()) {
		sfr_sync();
		q_ptr(SFR_CACHE, fmt("kmalloc_slab(%zuul, %#x)", a, b), r);
	}
	return r;
}
