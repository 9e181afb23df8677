/*
 * The op-stream decoder and encoder (format version 1, harness/FORMAT.md):
 * the configuration prefix, the op table, the size / GFP / alignment tables
 * and the byte layout of every argument kind.
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
/* The boundaries that find bugs; selector bytes 0..127 index it mod its length. */
const uint64_t sf_size_table[] = {
	0, 1, 2, 4,
	7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33,
	63, 64, 65, 95, 96, 97, 127, 128, 129,
	191, 192, 193, 255, 256, 257, 511, 512, 513,
	1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097,
	8191, 8192, 8193,	/* KMALLOC_MAX_CACHE_SIZE and +-1 */
	40, 72, 100, 136, 200, 1000, 3000, 5000, 6000,
	KB(12), KB(16), KB(20), KB(32), KB(64), KB(128), KB(256), KB(512),
	MB(1), MB(2),
	MB(4) - 1, MB(4), MB(4) + 1,	/* KMALLOC_MAX_SIZE and +-1 */
	MB(8), MB(16), MB(32),
	0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull,
	UINT64_MAX / 2, UINT64_MAX / 2 + 1,
	UINT64_MAX - 4095, UINT64_MAX - 1, UINT64_MAX,
};
const unsigned int sf_nr_sizes = sizeof(sf_size_table) / sizeof(sf_size_table[0]);

#define SF_SIZE_RAW_SMALL	128	/* selector 128..223: 16-bit raw value */
#define SF_SIZE_RAW_LARGE	224	/* selector 224..255: (s-223)<<16 | v */
#define SF_SIZE_RAW_LIMIT	((uint64_t)33 << 16)

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
struct reader {
	const uint8_t *p;
	size_t len, pos;
};

static uint8_t rd(struct reader *r)
{
	return r->pos < r->len ? r->p[r->pos++] : (r->pos++, 0);
}

static void decode_config(struct reader *r, struct sf_config *c)
{
	uint8_t b0 = rd(r), b1 = rd(r), b2 = rd(r);

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
	c->seed = b2;
}

static uint64_t decode_size(struct reader *r)
{
	uint8_t s = rd(r), lo = rd(r), hi = rd(r);
	uint64_t v = (uint64_t)lo | (uint64_t)hi << 8;

	if (s < SF_SIZE_RAW_SMALL)
		return sf_size_table[s % sf_nr_sizes];
	if (s < SF_SIZE_RAW_LARGE)
		return v;
	return ((uint64_t)(s - SF_SIZE_RAW_LARGE + 1) << 16) | v;
}

static uint64_t decode_arg(struct reader *r, enum sf_arg_kind kind)
{
	uint8_t b;

	switch (kind) {
	case SF_ARG_SIZE:
		return decode_size(r);
	case SF_ARG_GFP:
		return rd(r) % sf_nr_gfp;
	case SF_ARG_COUNT:
		return rd(r) % 16 + 1;
	case SF_ARG_ORDER:
		return rd(r) % SF_NR_ORDERS;
	case SF_ARG_ALIGN:
		return rd(r) % SF_NR_ALIGNS;
	case SF_ARG_CFLAGS:
		b = rd(r);
		return ((uint64_t)rd(r) << 8 | b) & SF_CFLAGS_MASK;
	case SF_ARG_NONE:
		return 0;
	default:	/* SLOT, CACHE, CPU, BYTE: the raw byte */
		return rd(r);
	}
}

void sf_decode(const uint8_t *data, size_t len, struct sf_program *prog)
{
	struct reader r = { data, len, 0 };

	decode_config(&r, &prog->cfg);
	prog->nops = 0;
	while (r.pos < len && prog->nops < SF_MAX_OPS) {
		struct sf_op *op = &prog->ops[prog->nops++];
		const struct sf_op_desc *d;

		memset(op, 0, sizeof(*op));
		op->code = rd(&r) % SF_NR_OPS;
		d = &sf_ops[op->code];
		for (unsigned int i = 0; i < d->nargs; i++)
			op->arg[i] = decode_arg(&r, d->arg[i]);
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

static int size_table_index(uint64_t size)
{
	for (unsigned int i = 0; i < sf_nr_sizes; i++)
		if (sf_size_table[i] == size)
			return (int)i;
	return -1;
}

bool sf_size_encodable(uint64_t size)
{
	return size < SF_SIZE_RAW_LIMIT || size_table_index(size) >= 0;
}

static void encode_size(struct writer *w, uint64_t size)
{
	int i = size_table_index(size);

	if (i >= 0) {
		wr(w, (uint8_t)i);
		wr(w, 0);
		wr(w, 0);
	} else if (size < 0x10000) {
		wr(w, SF_SIZE_RAW_SMALL);
		wr(w, size & 0xff);
		wr(w, (size >> 8) & 0xff);
	} else {
		/* Unencodable sizes never reach here from sf_parse or
		 * sf_decode; clamp rather than write garbage. */
		if (size >= SF_SIZE_RAW_LIMIT)
			size = SF_SIZE_RAW_LIMIT - 1;
		wr(w, (uint8_t)(SF_SIZE_RAW_LARGE - 1 + (size >> 16)));
		wr(w, size & 0xff);
		wr(w, (size >> 8) & 0xff);
	}
}

static void encode_arg(struct writer *w, enum sf_arg_kind kind, uint64_t v)
{
	switch (kind) {
	case SF_ARG_SIZE:
		encode_size(w, v);
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
	wr(w, c->seed);
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
			encode_arg(&w, d->arg[a], op->arg[a]);
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
	    x->seed != y->seed || a->nops != b->nops)
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
