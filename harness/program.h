/*
 * Programs of allocator operations: the one representation that every fuzz
 * target, the text form and the sfprog tool share.
 *
 * Bytes -> program (sf_decode) accepts every byte string; program -> bytes
 * (sf_encode) is its inverse on decoded programs; the text form (sf_print,
 * sf_parse) is a readable spelling of the same program. The byte layout is
 * documented in harness/FORMAT.md ("format version 2"); program_v1.c
 * decodes version 1 for `sfprog upgrade`.
 */
#ifndef SF_PROGRAM_H
#define SF_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <kalloc/gfp.h>

#define SF_FORMAT_VERSION	2
#define SF_PREFIX_LEN		3	/* configuration bytes before the ops */
#define SF_MAX_OPS		256	/* ops beyond this are ignored */
#define SF_MAX_OP_LEN		9	/* bytes of the longest op (krealloc_array) */
#define SF_MAX_ARGS		4

/* Opcodes, from the op table (optable.h): the byte value of an op is its
 * row number (mod SF_NR_OPS). */
enum sf_opcode {
#define SF_OP(code, ...) SF_OP_##code,
#include "optable.h"
#undef SF_OP
	SF_NR_OPS
};

/*
 * Op groups: what a target executes is a set of groups (struct
 * sf_profile), never a range of opcodes. MISUSE ops run as "write" in a
 * target that does not select MISUSE.
 */
enum sf_group {
	SF_G_KMALLOC,
	SF_G_SLAB,
	SF_G_PAGES,
	SF_G_VMALLOC,
	SF_G_COMMON,	/* write, set_cpu, reclaim, validate: every target */
	SF_G_MISUSE,
	SF_NR_GROUPS
};
#define SF_GROUP(g)	(1u << SF_G_##g)

/* Argument kinds; each has a fixed byte length in the encoding. */
enum sf_arg_kind {
	SF_ARG_NONE,
	SF_ARG_SIZE,	/* 3 bytes: size class + offset, or log-uniform raw */
	SF_ARG_GFP,	/* 1 byte: index into the GFP table */
	SF_ARG_SLOT,	/* 1 byte: the op that created the object (a handle) */
	SF_ARG_CACHE,	/* 1 byte: the kmem_cache_create op (a handle) */
	SF_ARG_COUNT,	/* 1 byte: 1..16 */
	SF_ARG_ORDER,	/* 1 byte: 0..MAX_PAGE_ORDER+1 */
	SF_ARG_ALIGN,	/* 1 byte: index into the alignment table */
	SF_ARG_CFLAGS,	/* 2 bytes: kmem_cache_create flags and ctor */
	SF_ARG_CPU,	/* 1 byte: taken mod ncpus at run time */
	SF_ARG_BYTE,	/* 1 byte: variant / offset selector */
	SF_NR_ARG_KINDS
};

/* The format's view of an op table row (optable.h). */
struct sf_op_desc {
	const char *name;
	uint8_t group;			/* enum sf_group */
	uint8_t nargs;
	uint8_t arg[SF_MAX_ARGS];	/* enum sf_arg_kind */
};

extern const struct sf_op_desc sf_ops[SF_NR_OPS];

static inline bool sf_op_is_misuse(unsigned int op)
{
	return op < SF_NR_OPS && sf_ops[op].group == SF_G_MISUSE;
}
/* The opcode of an op name, or -1. */
int sf_op_by_name(const char *name);

/*
 * Canonical decoded values: an op's args are stored as decoded values (a
 * size in bytes, a GFP table index, ...). A handle (SLOT, CACHE) holds the
 * index in the program of the op that created the object or cache, always
 * below the op's own index, or SF_REF_LAST: "the newest live one of the
 * kind the op needs". The bytes hold the distance back to that op, so a
 * spliced run of ops keeps its references.
 */
#define SF_REF_LAST		UINT64_MAX
struct sf_op {
	uint8_t code;			/* enum sf_opcode */
	uint64_t arg[SF_MAX_ARGS];
};

/* The configuration prefix, decoded. */
struct sf_config {
	uint8_t mem_idx;		/* arena size: sf_mem_sizes[] */
	uint8_t ncpus;			/* 1..4 */
	bool nomerge;			/* slab_nomerge */
	bool freelist_random;
	bool init_on_alloc;
	bool init_on_free;
	uint8_t debug_idx;		/* sf_debug_table[] */
	uint8_t quarantine_idx;		/* sf_quarantine_sizes[] */
	bool unhardened;		/* freelist hardening off */
	bool dma32;			/* a ZONE_DMA32 exists */
	uint8_t seed;			/* 0..127 */
	bool page_poison;		/* page_poison=1 */
};

struct sf_program {
	struct sf_config cfg;
	unsigned int nops;
	struct sf_op ops[SF_MAX_OPS];
};

/* Tables (FORMAT.md lists them; changing one is a new format version). */
#define SF_NR_MEM_SIZES		4
#define SF_NR_DEBUG		16
#define SF_NR_QUARANTINE	4
#define SF_NR_ALIGNS		8
#define SF_NR_ORDERS		12	/* 0..10 valid, 11 = MAX_PAGE_ORDER + 1 */

extern const size_t sf_mem_sizes[SF_NR_MEM_SIZES];
extern const char *const sf_debug_table[SF_NR_DEBUG];	/* NULL = off */
extern const size_t sf_quarantine_sizes[SF_NR_QUARANTINE];
extern const unsigned int sf_align_table[SF_NR_ALIGNS];

struct sf_gfp_entry {
	const char *name;
	gfp_t gfp;
};
extern const struct sf_gfp_entry sf_gfp_table[];
extern const unsigned int sf_nr_gfp;

/* The size classes: every kmalloc class, the page orders, the limits. */
extern const uint64_t sf_size_classes[];
extern const unsigned int sf_nr_size_classes;
#define SF_SIZE_RAW_SEL		0xa0	/* selectors from here: log-uniform raw */
#define SF_SIZE_RAW_EXPS	24	/* raw sizes 1 .. 2^24 - 1 */
#define SF_SIZE_KMALLOC_CLASSES	13	/* classes 1..13: 8 .. KMALLOC_MAX_CACHE_SIZE */
#define SF_SIZE_SMALL_EXPS	14	/* raw sizes below 2^14 */

/* kmem_cache_create flag bits of the SF_ARG_CFLAGS argument. */
struct sf_cflag {
	const char *name;
	unsigned int bit;		/* bit in the 16-bit argument */
	unsigned int slab_flag;		/* SLAB_* value, 0 for ctor */
};
extern const struct sf_cflag sf_cflags[];
extern const unsigned int sf_nr_cflags;
#define SF_CFLAG_CTOR		(1u << 8)
#define SF_CFLAGS_MASK		0x07ffu

/* Decoding and encoding. A reader reads zeros past the end of the input. */
struct sf_reader {
	const uint8_t *p;
	size_t len, pos;
};
uint8_t sf_read_byte(struct sf_reader *r);
/* Arguments whose bytes mean the same in formats 1 and 2 (all but SIZE
 * and the handles). */
uint64_t sf_decode_same_arg(struct sf_reader *r, enum sf_arg_kind kind);

void sf_decode_prefix(const uint8_t *data, size_t len, struct sf_config *cfg);
void sf_encode_prefix(const struct sf_config *cfg, uint8_t out[SF_PREFIX_LEN]);
void sf_decode(const uint8_t *data, size_t len, struct sf_program *prog);
/* Returns the number of bytes written (at most cap; sf_encoded_len() says
 * how many are needed). */
size_t sf_encode(const struct sf_program *prog, uint8_t *out, size_t cap);
size_t sf_encoded_len(const struct sf_program *prog);
bool sf_program_equal(const struct sf_program *a, const struct sf_program *b);
/* Can this value be encoded as a size argument? */
bool sf_size_encodable(uint64_t size);
/* The encodable size nearest to this one (itself when encodable). */
uint64_t sf_size_nearest(uint64_t size);
/* Is a handle argument valid at op index i of a program? */
static inline bool sf_ref_valid(uint64_t ref, unsigned int i)
{
	return ref == SF_REF_LAST || ref < i;
}

/*
 * Format version 1 (program_v1.c), for `sfprog upgrade`: sizes decode to
 * their v1 values (which v2 may not encode exactly), handles hold the raw
 * v1 slot byte ("live object number b mod count"); the executor resolves
 * them that way under sf_set_v1_handles(). Ops past SF_MAX_OPS are dropped.
 */
struct sf_v1_info {
	unsigned int ops;		/* ops in the v1 input */
	unsigned int dropped;		/* beyond SF_MAX_OPS */
};
void sf_decode_v1(const uint8_t *data, size_t len, struct sf_program *prog,
		  struct sf_v1_info *info);
/* What the executor picked for each op's handles under format-1 rules:
 * the creating op's index, or SF_V1_NONE. inexact counts picks that a
 * format-2 handle naming that op would not resolve to (an older object of
 * a bulk allocation). */
#define SF_V1_NONE	0xffffu
struct sf_v1_trace {
	uint16_t obj[SF_MAX_OPS];
	uint16_t cache[SF_MAX_OPS];
	unsigned int inexact;
};

/* Decoded value of a one-op argument from its bytes (for the dictionary). */
unsigned int sf_arg_len(enum sf_arg_kind kind);

/* Text form */
void sf_print(const struct sf_program *prog, FILE *out);
void sf_print_op(const struct sf_op *op, FILE *out);
/* Into a buffer; returns the length (snprintf semantics). */
int sf_format_op(const struct sf_op *op, char *buf, size_t len);
/*
 * Parse the text form. On error returns -1 and writes "line N: ..." into
 * err (errlen bytes); the program is then unspecified.
 */
int sf_parse(const char *text, struct sf_program *prog, char *err, size_t errlen);

/* A configuration with every field at its zero-byte value. */
void sf_config_default(struct sf_config *cfg);

#endif /* SF_PROGRAM_H */
