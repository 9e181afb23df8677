/*
 * The op-stream decoder and encoder (format version 2, harness/FORMAT.md):
 * the configuration prefix, the format's columns of the op table, the
 * size-class / GFP / alignment tables and the byte layout of every
 * argument kind. Version 1 is decoded by program_v1.c.
 *
 * Decoding never fails: bytes past the end read as zero, any opcode byte is
 * taken mod SF_NR_OPS and every argument byte maps onto a valid value, so a
 * fuzzer's mutation always yields a runnable program.
 */
#include "program.h"

#include <string.h>

#include <kalloc/mm.h>
#include <kalloc/slab.h>

/* The format's columns of the op table: name, group, argument kinds. */
#define SF__NARGS_(_0, _1, _2, _3, _4, n, ...) n
#define SF__NARGS(...)		SF__NARGS_(_0, ##__VA_ARGS__, 4, 3, 2, 1, 0)
#define SF__ARGS0()		{ 0 }
#define SF__ARGS1(a)		{ SF_ARG_##a }
#define SF__ARGS2(a, b)		{ SF_ARG_##a, SF_ARG_##b }
#define SF__ARGS3(a, b, c)	{ SF_ARG_##a, SF_ARG_##b, SF_ARG_##c }
#define SF__ARGS4(a, b, c, d)	{ SF_ARG_##a, SF_ARG_##b, SF_ARG_##c, SF_ARG_##d }
#define SF__CAT_(a, b)		a##b
#define SF__CAT(a, b)		SF__CAT_(a, b)
#define SF__ARGS(...)		SF__CAT(SF__ARGS, SF__NARGS(__VA_ARGS__))(__VA_ARGS__)

const struct sf_op_desc sf_ops[SF_NR_OPS] = {
#define SF_OP(code, nm, grp, alloc, exec, ...)				\
	[SF_OP_##code] = {						\
		.name = nm,						\
		.group = SF_G_##grp,					\
		.nargs = SF__NARGS(__VA_ARGS__),			\
		.arg = SF__ARGS(__VA_ARGS__),				\
	},
#include "optable.h"
#undef SF_OP
};

int sf_op_by_name(const char *name)
{
	for (unsigned int code = 0; code < SF_NR_OPS; code++)
		if (!strcmp(name, sf_ops[code].name))
			return (int)code;
	return -1;
}

const size_t sf_mem_sizes[SF_NR_MEM_SIZES] = {
	4u << 20, 8u << 20, 16u << 20, 32u << 20,
};

/*
 * slab_debug= strings in the kernel's syntax. Entry 0 is "no slab_debug
 * parameter". The per-cache entries name kmalloc caches because those exist
 * in every run.
 */
const char *const sf_debug_table[SF_NR_DEBUG] = {
	NULL, "-", "F", "Z", "P", "U", "FZ", "ZP", "FZP", "FZPU",
	"FZ,kmalloc-64",
	"P,kmalloc-128,kmalloc-192",
	"FZPU,kmalloc-96;Z,kmalloc-256",
	"ZPU,kmalloc-8,kmalloc-16",
	"FZPUO",
	"PU",
};

const size_t sf_quarantine_sizes[SF_NR_QUARANTINE] = {
	0, 64u << 10, 256u << 10, 1u << 20,
};

const unsigned int sf_align_table[SF_NR_ALIGNS] = {
	0, 4, 8, 16, 32, 64, 128, 256,
};

/*
 * Realistic GFP combinations. __GFP_NOFAIL appears once; the executor drops
 * it unless the model proves the request can be served, because a NOFAIL
 * request that cannot be served aborts by design.
 */
const struct sf_gfp_entry sf_gfp_table[] = {
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "GFP_NOIO", GFP_NOIO },
	{ "GFP_NOFS", GFP_NOFS },
	{ "GFP_KERNEL|__GFP_ZERO", GFP_KERNEL | __GFP_ZERO },
	{ "GFP_KERNEL|GFP_DMA", GFP_KERNEL | GFP_DMA },
	{ "GFP_KERNEL|GFP_DMA32", GFP_KERNEL | GFP_DMA32 },
	{ "GFP_KERNEL|__GFP_RECLAIMABLE", GFP_KERNEL | __GFP_RECLAIMABLE },
	{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT },
	{ "GFP_KERNEL|__GFP_NORETRY", GFP_KERNEL | __GFP_NORETRY },
	{ "GFP_KERNEL|__GFP_NOWARN", GFP_KERNEL | __GFP_NOWARN },
	{ "GFP_KERNEL|__GFP_COMP", GFP_KERNEL | __GFP_COMP },
	{ "GFP_ATOMIC|__GFP_ZERO", GFP_ATOMIC | __GFP_ZERO },
	{ "GFP_NOWAIT|__GFP_ZERO", GFP_NOWAIT | __GFP_ZERO },
	{ "GFP_KERNEL|__GFP_RETRY_MAYFAIL", GFP_KERNEL | __GFP_RETRY_MAYFAIL },
	{ "GFP_ATOMIC|GFP_DMA", GFP_ATOMIC | GFP_DMA },
	{ "GFP_USER", GFP_USER },
	{ "GFP_HIGHUSER", GFP_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
	{ "GFP_KERNEL|__GFP_ZERO|__GFP_COMP", GFP_KERNEL | __GFP_ZERO | __GFP_COMP },
	{ "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN", GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN },
	{ "GFP_KERNEL_ACCOUNT|__GFP_ZERO", GFP_KERNEL_ACCOUNT | __GFP_ZERO },
	{ "GFP_ATOMIC|__GFP_NOWARN", GFP_ATOMIC | __GFP_NOWARN },
	{ "GFP_KERNEL|__GFP_NOFAIL", GFP_KERNEL | __GFP_NOFAIL },
	{ "GFP_DMA", GFP_DMA },
	{ "GFP_KERNEL|GFP_DMA|__GFP_ZERO", GFP_KERNEL | GFP_DMA | __GFP_ZERO },
	{ "GFP_NOIO|__GFP_ZERO", GFP_NOIO | __GFP_ZERO },
	{ "GFP_ATOMIC|__GFP_COMP", GFP_ATOMIC | __GFP_COMP },
	{ "GFP_KERNEL|__GFP_RECLAIMABLE|__GFP_ZERO", GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_ZERO },
	{ "GFP_KERNEL|__GFP_MEMALLOC", GFP_KERNEL | __GFP_MEMALLOC },
	{ "GFP_KERNEL|__GFP_HIGH", GFP_KERNEL | __GFP_HIGH },
};
const unsigned int sf_nr_gfp = sizeof(sf_gfp_table) / sizeof(sf_gfp_table[0]);

#define KB(x) ((uint64_t)(x) << 10)
#define MB(x) ((uint64_t)(x) << 20)
/*
 * The size classes (selector s < SF_SIZE_RAW_SEL, see decode_size, plus a
 * signed offset byte): 0, every kmalloc class, the page orders up
 * to MAX_PAGE_ORDER (KMALLOC_MAX_SIZE), the arena sizes, and the integer
 * limits that overflow checks turn on.
 */
const uint64_t sf_size_classes[] = {
	0,
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048,
	4096, 8192,		/* PAGE_SIZE, KMALLOC_MAX_CACHE_SIZE */
	KB(16), KB(32), KB(64), KB(128), KB(256), KB(512), MB(1), MB(2),
	MB(4),			/* order MAX_PAGE_ORDER, KMALLOC_MAX_SIZE */
	MB(8), MB(16), MB(32),
	0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull,
	UINT64_MAX / 2, UINT64_MAX / 2 + 1, UINT64_MAX - 4095, UINT64_MAX,
};
const unsigned int sf_nr_size_classes = sizeof(sf_size_classes) / sizeof(sf_size_classes[0]);
_Static_assert(sizeof(sf_size_classes) / sizeof(sf_size_classes[0]) <= SF_SIZE_RAW_SEL,
	       "every class needs a selector");
_Static_assert(SF_SIZE_RAW_SEL + SF_SIZE_RAW_EXPS <= 256, "a selector per exponent");

const struct sf_cflag sf_cflags[] = {
	{ "SLAB_HWCACHE_ALIGN", 1u << 0, SLAB_HWCACHE_ALIGN },
	{ "SLAB_CACHE_DMA", 1u << 1, SLAB_CACHE_DMA },
	{ "SLAB_RECLAIM_ACCOUNT", 1u << 2, SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_ACCOUNT", 1u << 3, SLAB_ACCOUNT },
	{ "SLAB_NO_MERGE", 1u << 4, SLAB_NO_MERGE },
	{ "SLAB_RED_ZONE", 1u << 5, SLAB_RED_ZONE },
	{ "SLAB_POISON", 1u << 6, SLAB_POISON },
	{ "SLAB_STORE_USER", 1u << 7, SLAB_STORE_USER },
	{ "ctor", SF_CFLAG_CTOR, 0 },
	{ "SLAB_CACHE_DMA32", 1u << 9, SLAB_CACHE_DMA32 },
	{ "SLAB_CONSISTENCY_CHECKS", 1u << 10, SLAB_CONSISTENCY_CHECKS },
};
const unsigned int sf_nr_cflags = sizeof(sf_cflags) / sizeof(sf_cflags[0]);

unsigned int sf_arg_len(enum sf_arg_kind kind)
{
	switch (kind) {
	case SF_ARG_NONE:
		return 0;
	case SF_ARG_SIZE:
		return 3;
	case SF_ARG_CFLAGS:
		return 2;
	default:
		return 1;
	}
}

void sf_config_default(struct sf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ncpus = 1;
}

/* A cursor that reads zeros past the end of the input. */
uint8_t sf_read_byte(struct sf_reader *r)
{
	return r->pos < r->len ? r->p[r->pos++] : (r->pos++, 0);
}
static void decode_config(struct sf_reader *r, struct sf_config *c)
{
	uint8_t b0 = sf_read_byte(r), b1 = sf_read_byte(r), b2 = sf_read_byte(r);

	c->mem_idx = b0 & 3;
	c->ncpus = ((b0 >> 2) & 3) + 1;
	c->nomerge = (b0 >> 4) & 1;
	c->freelist_random = (b0 >> 5) & 1;
	c->init_on_alloc = (b0 >> 6) & 1;
	c->init_on_free = (b0 >> 7) & 1;
	c->debug_idx = b1 & 15;
	c->quarantine_idx = (b1 >> 4) & 3;
	c->unhardened = (b1 >> 6) & 1;
	c->dma32 = (b1 >> 7) & 1;
	c->seed = b2 & 0x7f;
	c->page_poison = b2 >> 7;
}

/* class + offset, saturating at 0 and UINT64_MAX */
static uint64_t class_plus(unsigned int idx, int off)
{
	uint64_t c = sf_size_classes[idx];

	if (off < 0)
		return c < (uint64_t)-off ? 0 : c - (uint64_t)-off;
	return c > UINT64_MAX - (uint64_t)off ? UINT64_MAX : c + (uint64_t)off;
}

/* 2^e plus the 16-bit mantissa m scaled into [0, 2^e) */
static uint64_t raw_size(unsigned int e, unsigned int m)
{
	uint64_t base = (uint64_t)1 << e;

	return base + (e < 16 ? m >> (16 - e) : (uint64_t)m << (e - 16));
}

/*
 * Selectors past the canonical ones weigh random bytes towards what slab
 * caches serve: class selectors 34..159 are the kmalloc classes again, and
 * raw selectors 184..255 the exponents below 2^14. An odd third byte
 * shrinks a class offset to -8..7. Canonical bytes (the lowest selector,
 * a zero third byte) never use either.
 */
static uint64_t decode_size(struct sf_reader *r)
{
	uint8_t s = sf_read_byte(r), a = sf_read_byte(r), b = sf_read_byte(r);
	unsigned int e;

	if (s < SF_SIZE_RAW_SEL) {
		unsigned int idx = s < sf_nr_size_classes ? s
				   : 1 + (s - sf_nr_size_classes) % SF_SIZE_KMALLOC_CLASSES;
		int off = (int8_t)a;

		return class_plus(idx, b & 1 ? off / 16 : off);
	}
	e = s - SF_SIZE_RAW_SEL;
	if (e >= SF_SIZE_RAW_EXPS)
		e = (e - SF_SIZE_RAW_EXPS) % SF_SIZE_SMALL_EXPS;
	return raw_size(e, a | (unsigned int)b << 8);
}

/* A handle byte: the distance back to the creating op; 0 (or too far) is
 * "the newest live one". */
static uint64_t decode_ref(uint8_t b, unsigned int index)
{
	return b && b <= index ? index - b : SF_REF_LAST;
}

/* The argument kinds whose bytes mean the same in formats 1 and 2. */
uint64_t sf_decode_same_arg(struct sf_reader *r, enum sf_arg_kind kind)
{
	uint8_t b;

	switch (kind) {
	case SF_ARG_GFP:
		return sf_read_byte(r) % sf_nr_gfp;
	case SF_ARG_COUNT:
		return sf_read_byte(r) % 16 + 1;
	case SF_ARG_ORDER:
		return sf_read_byte(r) % SF_NR_ORDERS;
	case SF_ARG_ALIGN:
		return sf_read_byte(r) % SF_NR_ALIGNS;
	case SF_ARG_CFLAGS:
		b = sf_read_byte(r);
		return ((uint64_t)sf_read_byte(r) << 8 | b) & SF_CFLAGS_MASK;
	case SF_ARG_NONE:
		return 0;
	default:	/* CPU, BYTE: the raw byte */
		return sf_read_byte(r);
	}
}

static uint64_t decode_arg(struct sf_reader *r, enum sf_arg_kind kind, unsigned int index)
{
	switch (kind) {
	case SF_ARG_SIZE:
		return decode_size(r);
	case SF_ARG_SLOT:
	case SF_ARG_CACHE:
		return decode_ref(sf_read_byte(r), index);
	default:
		return sf_decode_same_arg(r, kind);
	}
}

void sf_decode_prefix(const uint8_t *data, size_t len, struct sf_config *cfg)
{
	struct sf_reader r = { data, len, 0 };

	decode_config(&r, cfg);
}

void sf_decode(const uint8_t *data, size_t len, struct sf_program *prog)
{
	struct sf_reader r = { data, len, 0 };

	decode_config(&r, &prog->cfg);
	prog->nops = 0;
	while (r.pos < len && prog->nops < SF_MAX_OPS) {
		struct sf_op *op = &prog->ops[prog->nops++];
		const struct sf_op_desc *d;

		memset(op, 0, sizeof(*op));
		op->code = sf_read_byte(&r) % SF_NR_OPS;
		d = &sf_ops[op->code];
		for (unsigned int i = 0; i < d->nargs; i++)
			op->arg[i] = decode_arg(&r, d->arg[i], prog->nops - 1);
	}
}

/* Encoding */

struct writer {
	uint8_t *p;
	size_t cap, pos;
};

static void wr(struct writer *w, uint8_t b)
{
	if (w->pos < w->cap)
		w->p[w->pos] = b;
	w->pos++;
}

/* The canonical class form of a size: the class nearest to it within the
 * offset's reach, the lowest index on a tie; false if there is none. */
static bool size_class_form(uint64_t size, unsigned int *idx, int *off)
{
	uint64_t best = UINT64_MAX;

	for (unsigned int i = 0; i < sf_nr_size_classes; i++) {
		uint64_t c = sf_size_classes[i], d = size > c ? size - c : c - size;

		if (d <= (size > c ? 127u : 128u) && d < best) {
			best = d;
			*idx = i;
			*off = size > c ? (int)d : -(int)d;
		}
	}
	return best != UINT64_MAX;
}

/* The raw form: exponent and mantissa, if the size has one exactly. */
static bool size_raw_form(uint64_t size, unsigned int *e, unsigned int *m)
{
	uint64_t rest;

	if (!size || size >> SF_SIZE_RAW_EXPS)
		return false;
	*e = 63u - (unsigned int)__builtin_clzll(size);
	rest = size - ((uint64_t)1 << *e);
	if (*e < 16) {
		*m = (unsigned int)(rest << (16 - *e));
		return true;
	}
	if (rest & (((uint64_t)1 << (*e - 16)) - 1))
		return false;
	*m = (unsigned int)(rest >> (*e - 16));
	return true;
}

bool sf_size_encodable(uint64_t size)
{
	unsigned int i, e, m;
	int off;

	return size_class_form(size, &i, &off) || size_raw_form(size, &e, &m);
}

uint64_t sf_size_nearest(uint64_t size)
{
	unsigned int e;

	if (sf_size_encodable(size))
		return size;
	/* not encodable: above 2^16 and off every class; round the raw
	 * mantissa to its step */
	if (!(size >> SF_SIZE_RAW_EXPS)) {
		uint64_t step, lo;

		e = 63u - (unsigned int)__builtin_clzll(size);
		step = (uint64_t)1 << (e - 16);
		lo = size & ~(step - 1);
		return size - lo < step / 2 || ((lo + step) >> SF_SIZE_RAW_EXPS) ? lo : lo + step;
	}
	/* beyond the raw range: the nearest class edge */
	{
		uint64_t best = 0, bestd = UINT64_MAX;

		for (unsigned int i = 0; i < sf_nr_size_classes; i++) {
			uint64_t c = sf_size_classes[i];
			uint64_t v = size > c ? (c > UINT64_MAX - 127 ? UINT64_MAX : c + 127)
					      : (c < 128 ? 0 : c - 128);
			uint64_t d = size > v ? size - v : v - size;

			if (d < bestd) {
				bestd = d;
				best = v;
			}
		}
		return best;
	}
}

static void encode_size(struct writer *w, uint64_t size)
{
	unsigned int idx, e, m;
	int off;

	if (size_class_form(size, &idx, &off)) {
		wr(w, (uint8_t)idx);
		wr(w, (uint8_t)(int8_t)off);
		wr(w, 0);
		return;
	}
	/* sf_parse and sf_decode only make encodable sizes */
	if (!size_raw_form(sf_size_nearest(size), &e, &m))
		e = m = 0;
	wr(w, (uint8_t)(SF_SIZE_RAW_SEL + e));
	wr(w, m & 0xff);
	wr(w, (m >> 8) & 0xff);
}

static void encode_arg(struct writer *w, enum sf_arg_kind kind, uint64_t v,
		       unsigned int index)
{
	switch (kind) {
	case SF_ARG_SIZE:
		encode_size(w, v);
		break;
	case SF_ARG_SLOT:
	case SF_ARG_CACHE:
		wr(w, sf_ref_valid(v, index) && v != SF_REF_LAST ? (uint8_t)(index - v) : 0);
		break;
	case SF_ARG_COUNT:
		wr(w, (uint8_t)(v - 1));
		break;
	case SF_ARG_CFLAGS:
		wr(w, v & 0xff);
		wr(w, (v >> 8) & 0xff);
		break;
	case SF_ARG_NONE:
		break;
	default:
		wr(w, (uint8_t)v);
		break;
	}
}

static void encode_config(struct writer *w, const struct sf_config *c)
{
	wr(w, (uint8_t)((c->mem_idx & 3) | ((c->ncpus - 1) & 3) << 2 |
			c->nomerge << 4 | c->freelist_random << 5 |
			c->init_on_alloc << 6 | c->init_on_free << 7));
	wr(w, (uint8_t)((c->debug_idx & 15) | (c->quarantine_idx & 3) << 4 |
			c->unhardened << 6 | c->dma32 << 7));
	wr(w, (uint8_t)((c->seed & 0x7f) | c->page_poison << 7));
}

void sf_encode_prefix(const struct sf_config *cfg, uint8_t out[SF_PREFIX_LEN])
{
	struct writer w = { out, SF_PREFIX_LEN, 0 };

	encode_config(&w, cfg);
}

size_t sf_encode(const struct sf_program *prog, uint8_t *out, size_t cap)
{
	struct writer w = { out, cap, 0 };

	encode_config(&w, &prog->cfg);
	for (unsigned int i = 0; i < prog->nops; i++) {
		const struct sf_op *op = &prog->ops[i];
		const struct sf_op_desc *d = &sf_ops[op->code];

		wr(&w, op->code);
		for (unsigned int a = 0; a < d->nargs; a++)
			encode_arg(&w, d->arg[a], op->arg[a], i);
	}
	return w.pos < cap ? w.pos : cap;
}

size_t sf_encoded_len(const struct sf_program *prog)
{
	size_t n = SF_PREFIX_LEN;

	for (unsigned int i = 0; i < prog->nops; i++) {
		const struct sf_op_desc *d = &sf_ops[prog->ops[i].code];

		n++;
		for (unsigned int a = 0; a < d->nargs; a++)
			n += sf_arg_len(d->arg[a]);
	}
	return n;
}

bool sf_program_equal(const struct sf_program *a, const struct sf_program *b)
{
	const struct sf_config *x = &a->cfg, *y = &b->cfg;

	if (x->mem_idx != y->mem_idx || x->ncpus != y->ncpus ||
	    x->nomerge != y->nomerge || x->freelist_random != y->freelist_random ||
	    x->init_on_alloc != y->init_on_alloc ||
	    x->init_on_free != y->init_on_free || x->debug_idx != y->debug_idx ||
	    x->quarantine_idx != y->quarantine_idx ||
	    x->unhardened != y->unhardened || x->dma32 != y->dma32 ||
	    x->seed != y->seed || x->page_poison != y->page_poison ||
	    a->nops != b->nops)
		return false;
	for (unsigned int i = 0; i < a->nops; i++) {
		const struct sf_op *p = &a->ops[i], *q = &b->ops[i];

		if (p->code != q->code)
			return false;
		for (unsigned int k = 0; k < sf_ops[p->code].nargs; k++)
			if (p->arg[k] != q->arg[k])
				return false;
	}
	return true;
}
