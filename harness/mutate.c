/*
 * Structure-aware mutation: decode, edit the program, re-encode.
 *
 * The operators and their weights follow syzkaller's prog/mutation.go
 * (splice 200, insert 100, mutate an argument 100, remove 10), with
 * duplicate and swap at 50 each and a configuration change at 10:
 *
 * - splice: a run of ops from a recent input (or, in crossover, the other
 *   input) goes in at a random point;
 * - insert: a valid op of the target's groups with fresh arguments, its
 *   handles naming earlier ops that made objects of the kinds it takes;
 * - argument: one argument moves to a boundary value (a size class and
 *   its neighbours, order 0 / MAX_PAGE_ORDER / MAX_PAGE_ORDER + 1, count
 *   1 / 16, another earlier op for a handle ...);
 * - duplicate an op, swap two neighbours, remove one;
 * - configuration: mostly to one seen in an earlier input, so that the
 *   result runs on a machine the fuzzer already keeps, else one flipped
 *   prefix bit.
 *
 * Every edit keeps handles naming the ops they named (sf_prog_insert and
 * friends re-target them); a handle to a removed op becomes "@last". The
 * only randomness is the seed argument: the same seed, input and history
 * of earlier inputs give the same output.
 */
#include "mutate.h"

#include <string.h>

/* The op table's "allocates" column (the format's copy of it). */
static const bool op_allocates[SF_NR_OPS] = {
#define SF_OP(code, nm, grp, alloc, fn, ...) [SF_OP_##code] = alloc,
#include "optable.h"
#undef SF_OP
};

static const unsigned int weights[SF_NR_MUTATIONS] = {
	[SF_MUT_SPLICE] = 200,
	[SF_MUT_INSERT] = 100,
	[SF_MUT_ARG] = 100,
	[SF_MUT_DUPLICATE] = 50,
	[SF_MUT_SWAP] = 50,
	[SF_MUT_REMOVE] = 10,
	[SF_MUT_CONFIG] = 10,
};

/* ------------------------------------------------------------------ */
/* Randomness: splitmix64 from the seed                                */
/* ------------------------------------------------------------------ */

static uint64_t rnd(struct sf_mutator *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int below(struct sf_mutator *m, unsigned int n)
{
	return n ? (unsigned int)(rnd(m) % n) : 0;
}

void sf_mutator_init(struct sf_mutator *m, unsigned int groups)
{
	memset(m, 0, sizeof(*m));
	m->groups = groups;
}

/* ------------------------------------------------------------------ */
/* Edits that keep handles                                             */
/* ------------------------------------------------------------------ */

static bool is_handle(enum sf_arg_kind k)
{
	return k == SF_ARG_SLOT || k == SF_ARG_CACHE;
}

/* Apply f to every handle of ops [from, nops). */
#define FOR_EACH_HANDLE(p, from, h, body)				\
	for (unsigned int _i = (from); _i < (p)->nops; _i++) {		\
		struct sf_op *_op = &(p)->ops[_i];			\
		const struct sf_op_desc *_d = &sf_ops[_op->code];	\
		for (unsigned int _a = 0; _a < _d->nargs; _a++) {	\
			uint64_t *h = &_op->arg[_a];			\
			if (is_handle((enum sf_arg_kind)_d->arg[_a]) &&	\
			    *h != SF_REF_LAST)				\
				body;					\
		}							\
	}

static void make_room(struct sf_program *p, unsigned int at, unsigned int n)
{
	memmove(&p->ops[at + n], &p->ops[at], (p->nops - at) * sizeof(p->ops[0]));
	p->nops += n;
	/* ops after the gap: handles at or past it move with their ops */
	FOR_EACH_HANDLE(p, at + n, h, { if (*h >= at) *h += n; });
}

bool sf_prog_insert(struct sf_program *p, unsigned int at, const struct sf_op *op)
{
	if (p->nops >= SF_MAX_OPS || at > p->nops)
		return false;
	make_room(p, at, 1);
	p->ops[at] = *op;
	return true;
}

void sf_prog_remove(struct sf_program *p, unsigned int at)
{
	if (at >= p->nops)
		return;
	memmove(&p->ops[at], &p->ops[at + 1], (p->nops - at - 1) * sizeof(p->ops[0]));
	p->nops--;
	FOR_EACH_HANDLE(p, at, h, {
		if (*h == at)
			*h = SF_REF_LAST;
		else if (*h > at)
			(*h)--;
	});
}

void sf_prog_swap(struct sf_program *p, unsigned int at)
{
	struct sf_op t;

	if (at + 1 >= p->nops)
		return;
	t = p->ops[at];
	p->ops[at] = p->ops[at + 1];
	p->ops[at + 1] = t;
	/* the op that moved up may no longer name the one now after it */
	FOR_EACH_HANDLE(p, at, h, {
		if (_i == at && *h == at)
			*h = SF_REF_LAST;
		else if (_i > at + 1 && *h == at)
			*h = at + 1;
		else if (_i > at + 1 && *h == at + 1)
			*h = at;
	});
}

unsigned int sf_prog_splice(struct sf_program *p, unsigned int at,
			    const struct sf_program *q, unsigned int from, unsigned int n)
{
	if (at > p->nops || from >= q->nops)
		return 0;
	if (n > q->nops - from)
		n = q->nops - from;
	if (n > SF_MAX_OPS - p->nops)
		n = SF_MAX_OPS - p->nops;
	if (!n)
		return 0;
	make_room(p, at, n);
	for (unsigned int k = 0; k < n; k++) {
		struct sf_op *op = &p->ops[at + k];
		const struct sf_op_desc *d = &sf_ops[q->ops[from + k].code];

		*op = q->ops[from + k];
		for (unsigned int a = 0; a < d->nargs; a++) {
			uint64_t *h = &op->arg[a];

			if (!is_handle((enum sf_arg_kind)d->arg[a]) || *h == SF_REF_LAST)
				continue;
			/* inside the run: the same op, moved; outside: gone */
			*h = *h >= from && *h < from + n ? *h - from + at : SF_REF_LAST;
		}
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Choosing values                                                     */
/* ------------------------------------------------------------------ */

/* Could op `maker` have made what a handle argument of `user` takes? */
static bool makes_for(unsigned int maker, unsigned int user, enum sf_arg_kind kind)
{
	unsigned int mg = sf_ops[maker].group, ug = sf_ops[user].group;

	if (kind == SF_ARG_CACHE)
		return maker == SF_OP_CACHE_CREATE;
	if (!op_allocates[maker] || mg == SF_G_MISUSE)
		return false;
	return ug == SF_G_COMMON || ug == SF_G_MISUSE || ug == mg;
}

/* A handle for argument kind `kind` of op `code` at index `at`: mostly an
 * earlier op that made something it takes, the nearer the likelier. */
static uint64_t pick_handle(struct sf_mutator *m, const struct sf_program *p,
			    unsigned int at, unsigned int code, enum sf_arg_kind kind)
{
	unsigned int cand[SF_MAX_OPS], n = 0;

	for (unsigned int i = 0; i < at && i < p->nops; i++)
		if (makes_for(p->ops[i].code, code, kind))
			cand[n++] = i;
	if (!n || below(m, 8) == 0)
		return SF_REF_LAST;
	/* half the time one of the last four */
	if (n > 4 && below(m, 2))
		return cand[n - 1 - below(m, 4)];
	return cand[below(m, n)];
}

static uint64_t pick_size(struct sf_mutator *m)
{
	unsigned int r = below(m, 100), cls;
	static const int offsets[] = { 0, 0, 0, 0, -1, 1, -8, 8, 16, -16 };
	uint64_t c, v;
	int off;

	if (r < 75) {
		if (r < 60)
			cls = 1 + below(m, SF_SIZE_KMALLOC_CLASSES);
		else if (r < 70)
			cls = below(m, 26);		/* up to the arena sizes */
		else
			cls = below(m, sf_nr_size_classes);
		off = offsets[below(m, sizeof(offsets) / sizeof(offsets[0]))];
		c = sf_size_classes[cls];
		if (off < 0)
			return c < (uint64_t)-off ? 0 : c - (uint64_t)-off;
		return c > UINT64_MAX - (uint64_t)off ? UINT64_MAX : c + (uint64_t)off;
	}
	/* log-uniform below 2^24, or below 2^14 (slab sizes) */
	r = below(m, below(m, 2) ? SF_SIZE_RAW_EXPS : SF_SIZE_SMALL_EXPS);
	v = ((uint64_t)1 << r) | (rnd(m) & (((uint64_t)1 << r) - 1));
	return sf_size_nearest(v);
}

static uint64_t pick_arg(struct sf_mutator *m, const struct sf_program *p,
			 unsigned int at, unsigned int code, enum sf_arg_kind kind)
{
	switch (kind) {
	case SF_ARG_SIZE:
		return pick_size(m);
	case SF_ARG_GFP:
		return below(m, 2) ? 0 : below(m, sf_nr_gfp);
	case SF_ARG_SLOT:
	case SF_ARG_CACHE:
		return pick_handle(m, p, at, code, kind);
	case SF_ARG_COUNT:
		return 1 + below(m, 16);
	case SF_ARG_ORDER:
		return below(m, 3) ? below(m, 4) : below(m, SF_NR_ORDERS);
	case SF_ARG_ALIGN:
		return below(m, SF_NR_ALIGNS);
	case SF_ARG_CFLAGS: {
		uint64_t v = 0;

		for (unsigned int i = 0; i < sf_nr_cflags; i++)
			if (!below(m, 6))
				v |= sf_cflags[i].bit;
		return v;
	}
	case SF_ARG_CPU:
		return below(m, 4);
	default:
		return below(m, 256);
	}
}

/* A boundary value for one argument (it may stay the same). */
static uint64_t boundary(struct sf_mutator *m, const struct sf_program *p,
			 unsigned int at, const struct sf_op *op, unsigned int a)
{
	enum sf_arg_kind kind = (enum sf_arg_kind)sf_ops[op->code].arg[a];
	uint64_t v = op->arg[a];

	switch (kind) {
	case SF_ARG_SIZE:
		switch (below(m, 4)) {
		case 0:		/* a neighbour */
			v += below(m, 2) ? 1 : (uint64_t)-1;
			return sf_size_encodable(v) ? v : sf_size_nearest(v);
		case 1:		/* the next class up or down */
			for (unsigned int i = 0; i < sf_nr_size_classes; i++)
				if (sf_size_classes[i] > v)
					return below(m, 2) ? sf_size_classes[i]
							   : sf_size_classes[i] + 1;
			return 0;
		default:
			return pick_size(m);
		}
	case SF_ARG_ORDER: {
		/* 0, 1, MAX_PAGE_ORDER, MAX_PAGE_ORDER + 1 */
		static const uint64_t o[] = { 0, 1, SF_NR_ORDERS - 2, SF_NR_ORDERS - 1 };

		return o[below(m, 4)];
	}
	case SF_ARG_COUNT:
		return below(m, 2) ? 1 : 16;
	case SF_ARG_BYTE:
		return below(m, 3) ? (uint64_t)(below(m, 2) ? 0 : 255) : below(m, 256);
	case SF_ARG_CFLAGS:
		return v ^ sf_cflags[below(m, sf_nr_cflags)].bit;
	default:
		return pick_arg(m, p, at, op->code, kind);
	}
}

/* ------------------------------------------------------------------ */
/* The mutations                                                       */
/* ------------------------------------------------------------------ */

static unsigned int valid_ops(const struct sf_mutator *m, uint8_t *codes)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < SF_NR_OPS; c++)
		if (m->groups & (1u << sf_ops[c].group))
			codes[n++] = (uint8_t)c;
	return n;
}

static bool mut_insert(struct sf_mutator *m, struct sf_program *p)
{
	uint8_t codes[SF_NR_OPS];
	unsigned int n = valid_ops(m, codes), at = below(m, p->nops + 1);
	struct sf_op op = { 0 };

	if (!n || p->nops >= SF_MAX_OPS)
		return false;
	op.code = codes[below(m, n)];
	for (unsigned int a = 0; a < sf_ops[op.code].nargs; a++)
		op.arg[a] = pick_arg(m, p, at, op.code, (enum sf_arg_kind)sf_ops[op.code].arg[a]);
	return sf_prog_insert(p, at, &op);
}

static bool mut_arg(struct sf_mutator *m, struct sf_program *p)
{
	unsigned int at, nargs;
	struct sf_op *op;

	if (!p->nops)
		return false;
	at = below(m, p->nops);
	op = &p->ops[at];
	nargs = sf_ops[op->code].nargs;
	if (!nargs)
		return false;
	{
		unsigned int a = below(m, nargs);

		op->arg[a] = boundary(m, p, at, op, a);
	}
	return true;
}

static bool mut_splice(struct sf_mutator *m, struct sf_program *p, struct sf_program *q)
{
	unsigned int d, from, n;

	if (!m->ndonors)
		return false;
	d = below(m, m->ndonors);
	sf_decode(m->donor[d], m->donor_len[d], q);
	if (!q->nops)
		return false;
	from = below(m, q->nops);
	n = 1 + below(m, q->nops - from < 16 ? q->nops - from : 16);
	return sf_prog_splice(p, below(m, p->nops + 1), q, from, n) > 0;
}

static bool mut_config(struct sf_mutator *m, struct sf_program *p)
{
	uint8_t pre[SF_PREFIX_LEN];

	if (m->nseen > 1 && below(m, 4)) {
		unsigned int i = below(m, m->nseen);

		sf_decode_prefix(m->seen[i], SF_PREFIX_LEN, &p->cfg);
		return true;
	}
	sf_encode_prefix(&p->cfg, pre);
	pre[below(m, SF_PREFIX_LEN)] ^= (uint8_t)(1u << below(m, 8));
	sf_decode_prefix(pre, SF_PREFIX_LEN, &p->cfg);
	return true;
}

static enum sf_mutation choose(struct sf_mutator *m)
{
	unsigned int total = 0, r;

	for (unsigned int i = 0; i < SF_NR_MUTATIONS; i++)
		total += weights[i];
	r = below(m, total);
	for (unsigned int i = 0; i < SF_NR_MUTATIONS; i++) {
		if (r < weights[i])
			return (enum sf_mutation)i;
		r -= weights[i];
	}
	return SF_MUT_INSERT;
}

static bool mutate_once(struct sf_mutator *m, struct sf_program *p, struct sf_program *q)
{
	enum sf_mutation k = choose(m);
	bool done = false;

	switch (k) {
	case SF_MUT_SPLICE:
		done = mut_splice(m, p, q);
		break;
	case SF_MUT_INSERT:
		done = mut_insert(m, p);
		break;
	case SF_MUT_ARG:
		done = mut_arg(m, p);
		break;
	case SF_MUT_DUPLICATE:
		if (p->nops) {
			unsigned int at = below(m, p->nops);

			done = sf_prog_insert(p, at + 1, &p->ops[at]);
		}
		break;
	case SF_MUT_SWAP:
		if (p->nops > 1) {
			sf_prog_swap(p, below(m, p->nops - 1));
			done = true;
		}
		break;
	case SF_MUT_REMOVE:
		if (p->nops) {
			sf_prog_remove(p, below(m, p->nops));
			done = true;
		}
		break;
	case SF_MUT_CONFIG:
		done = mut_config(m, p);
		break;
	case SF_NR_MUTATIONS:
		break;
	}
	if (done)
		m->done[k]++;
	return done;
}

/* Remember an input: its configuration, and its bytes to splice from. */
static void remember(struct sf_mutator *m, const uint8_t *data, size_t size)
{
	uint8_t pre[SF_PREFIX_LEN] = { 0 };
	unsigned int i;

	memcpy(pre, data, size < SF_PREFIX_LEN ? size : SF_PREFIX_LEN);
	for (i = 0; i < m->nseen; i++)
		if (!memcmp(m->seen[i], pre, SF_PREFIX_LEN))
			break;
	if (i == m->nseen && m->nseen < SF_MUT_SEEN)
		memcpy(m->seen[m->nseen++], pre, SF_PREFIX_LEN);
	if (size > SF_PREFIX_LEN && size <= SF_MUT_DONOR_LEN) {
		memcpy(m->donor[m->next_donor], data, size);
		m->donor_len[m->next_donor] = size;
		m->next_donor = (m->next_donor + 1) % SF_MUT_DONORS;
		if (m->ndonors < SF_MUT_DONORS)
			m->ndonors++;
	}
}

/* Encode p into out (cap bytes), dropping ops from the end until it fits. */
static size_t encode_fit(struct sf_program *p, uint8_t *out, size_t cap)
{
	while (p->nops && sf_encoded_len(p) > cap)
		p->nops--;
	if (sf_encoded_len(p) > cap)
		return 0;
	return sf_encode(p, out, cap);
}

static struct sf_program prog_p, prog_q;

size_t sf_mutate(struct sf_mutator *m, uint8_t *data, size_t size, size_t max_size,
		 unsigned int seed)
{
	unsigned int rounds;

	m->rng = seed;
	if (max_size < SF_PREFIX_LEN)
		return size < max_size ? size : max_size;
	sf_decode(data, size, &prog_p);
	remember(m, data, size);
	rounds = below(m, 4) ? 1 : 2 + below(m, 3);
	for (unsigned int r = 0, tries = 0; r < rounds && tries < 16; tries++)
		r += mutate_once(m, &prog_p, &prog_q);
	return encode_fit(&prog_p, data, max_size);
}

size_t sf_crossover(struct sf_mutator *m, const uint8_t *d1, size_t s1,
		    const uint8_t *d2, size_t s2, uint8_t *out, size_t max_out,
		    unsigned int seed)
{
	unsigned int at, from;

	m->rng = seed;
	sf_decode(d1, s1, &prog_p);
	sf_decode(d2, s2, &prog_q);
	if (max_out < SF_PREFIX_LEN)
		return 0;
	at = below(m, prog_p.nops + 1);
	from = prog_q.nops ? below(m, prog_q.nops) : 0;
	if (below(m, 2)) {
		/* the head of one, the tail of the other */
		prog_p.nops = at;
		sf_prog_splice(&prog_p, at, &prog_q, from, prog_q.nops - from);
	} else {
		/* a run of the other inserted */
		sf_prog_splice(&prog_p, at, &prog_q, from,
			       1 + below(m, prog_q.nops - from < 32 ? prog_q.nops - from : 32));
	}
	return encode_fit(&prog_p, out, max_out);
}
