/*
 * Format version 1, decode only: what `sfprog upgrade` reads. Version 1
 * had the same configuration prefix and the first 42 rows of the op table
 * with the same argument kinds; it differed in three ways:
 *
 * - sizes: a selector s < 128 indexed an 80-entry boundary table, 128..223
 *   gave a 16-bit raw value, 224..255 ((s - 223) << 16) + 16 bits;
 * - handles: the raw byte, resolved at run time as live object (or cache)
 *   number b mod count of the kind the op needs;
 * - up to 4096 ops.
 *
 * Its machines always ran with page poisoning, and its seed byte was all
 * seed: the upgrade turns page_poison on and keeps the seed's low 7 bits.
 *
 * Version 1 had 42 ops (opcode b mod 42). Three misuse ops were appended
 * while version 1 was still current, so canonical files of that time may
 * hold opcodes 42..44: a byte below SF_NR_OPS is that op, any other is
 * taken mod 42 as version 1 did.
 *
 * The decoded program keeps v1 sizes exactly (v2 may not encode them all:
 * the upgrade rounds those) and the raw handle bytes, which only the
 * executor can turn into creating ops (sf_set_v1_handles in run.h).
 */
#include "program.h"

#include <string.h>

#define V1_NR_OPS	42
#define V1_MAX_OPS	4096

#define KB(x) ((uint64_t)(x) << 10)
#define MB(x) ((uint64_t)(x) << 20)
static const uint64_t v1_sizes[] = {
	0, 1, 2, 4,
	7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33,
	63, 64, 65, 95, 96, 97, 127, 128, 129,
	191, 192, 193, 255, 256, 257, 511, 512, 513,
	1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097,
	8191, 8192, 8193,
	40, 72, 100, 136, 200, 1000, 3000, 5000, 6000,
	KB(12), KB(16), KB(20), KB(32), KB(64), KB(128), KB(256), KB(512),
	MB(1), MB(2),
	MB(4) - 1, MB(4), MB(4) + 1,
	MB(8), MB(16), MB(32),
	0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull,
	UINT64_MAX / 2, UINT64_MAX / 2 + 1,
	UINT64_MAX - 4095, UINT64_MAX - 1, UINT64_MAX,
};
#define V1_NR_SIZES	(sizeof(v1_sizes) / sizeof(v1_sizes[0]))
_Static_assert(V1_NR_SIZES == 80, "the v1 size table had 80 entries");
_Static_assert(V1_NR_OPS <= SF_NR_OPS, "v1 ops are the table's first rows");

static uint64_t v1_size(struct sf_reader *r)
{
	uint8_t s = sf_read_byte(r), lo = sf_read_byte(r), hi = sf_read_byte(r);
	uint64_t v = (uint64_t)lo | (uint64_t)hi << 8;

	if (s < 128)
		return v1_sizes[s % V1_NR_SIZES];
	if (s < 224)
		return v;
	return ((uint64_t)(s - 223) << 16) | v;
}

static uint64_t v1_arg(struct sf_reader *r, enum sf_arg_kind kind)
{
	switch (kind) {
	case SF_ARG_SIZE:
		return v1_size(r);
	case SF_ARG_SLOT:
	case SF_ARG_CACHE:	/* the raw byte */
		return sf_read_byte(r);
	default:
		return sf_decode_same_arg(r, kind);
	}
}

void sf_decode_v1(const uint8_t *data, size_t len, struct sf_program *prog,
		  struct sf_v1_info *info)
{
	struct sf_reader r = { data, len, SF_PREFIX_LEN };
	struct sf_op scratch;

	sf_decode_prefix(data, len, &prog->cfg);
	/* version 1 always poisoned free pages; its seed's top bit is lost */
	prog->cfg.page_poison = true;
	prog->nops = 0;
	memset(info, 0, sizeof(*info));
	while (r.pos < len && info->ops < V1_MAX_OPS) {
		struct sf_op *op = prog->nops < SF_MAX_OPS ? &prog->ops[prog->nops++] : &scratch;
		const struct sf_op_desc *d;

		memset(op, 0, sizeof(*op));
		op->code = sf_read_byte(&r);
		if (op->code >= SF_NR_OPS)
			op->code %= V1_NR_OPS;
		d = &sf_ops[op->code];
		for (unsigned int i = 0; i < d->nargs; i++)
			op->arg[i] = v1_arg(&r, d->arg[i]);
		info->ops++;
	}
	info->dropped = info->ops - prog->nops;
}
